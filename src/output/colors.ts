// One palette per printer: real colours on a terminal, identity functions otherwise, so formatting
// code never checks whether colour is on.
import pc from 'picocolors';

export type Paint = (text: string) => string;

export interface Palette {
  ok: Paint;
  changed: Paint;
  failed: Paint;
  unreachable: Paint;
  skipped: Paint;
  ignored: Paint;
  warning: Paint;
  dim: Paint;
  bold: Paint;
  diffAdd: Paint;
  diffRemove: Paint;
  diffHunk: Paint;
}

export function palette(color: boolean): Palette {
  const c = pc.createColors(color);
  return {
    ok: c.green,
    changed: c.yellow,
    failed: c.red,
    unreachable: (t) => c.bold(c.red(t)),
    skipped: c.cyan,
    ignored: c.magenta,
    warning: c.magenta,
    dim: c.dim,
    bold: c.bold,
    diffAdd: c.green,
    diffRemove: c.red,
    diffHunk: c.cyan,
  };
}
