// Several tasks' probes in one remote script: one round trip instead of one per task. Each probe runs
// in its own subshell, so a `cd`, a variable, a `set -e` or an `exit` in one cannot reach the next,
// and a marker after each one (on stdout and on stderr) carries its exit status.
import { randomBytes } from 'node:crypto';
import type { ExecResult } from '../transport/types.js';

export interface ProbeBatch {
  script: string;
  /** Random per batch: a probe's own output cannot forge a section's end. */
  marker: string;
}

/** One script running `scripts` in order, each in a subshell with stdin from /dev/null (batched probes carry no stdin). */
export function batchScript(scripts: readonly string[]): ProbeBatch {
  const marker = `rb-probe-${randomBytes(12).toString('hex')}`;
  const parts = scripts.map((s, i) =>
    // `:` keeps a probe of only comments from making an empty (invalid) subshell; the newline
    // before `)` ends a trailing comment or here-document of the probe.
    `(:\n${s}\n) </dev/null\nrb_probe_rc=$?\nprintf '${marker}:${i}:%s\\n' "$rb_probe_rc"\nprintf '${marker}:${i}:%s\\n' "$rb_probe_rc" >&2`,
  );
  return { script: parts.join('\n'), marker };
}

/** Where each section of one stream ends: its text and exit status, by section index. */
function sections(text: string, marker: string): Map<number, { text: string; code: number }> {
  const out = new Map<number, { text: string; code: number }>();
  const re = new RegExp(`${marker}:(\\d+):(\\d+)\\n`, 'g');
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.set(Number(m[1]), { text: text.slice(start, m.index), code: Number(m[2]) });
    start = m.index + m[0].length;
  }
  return out;
}

/**
 * Each probe's result, as if it had been sent alone; undefined for a probe whose section did not
 * finish (the batch was cut, or a probe killed the shell): that task probes again on its own.
 */
export function splitBatch(result: ExecResult, batch: ProbeBatch, count: number): Array<ExecResult | undefined> {
  const out = sections(result.stdout, batch.marker);
  const err = sections(result.stderr, batch.marker);
  return Array.from({ length: count }, (_, i) => {
    const o = out.get(i);
    const e = err.get(i);
    if (!o || !e || o.code !== e.code) return undefined;
    return { stdout: o.text, stderr: e.text, code: o.code };
  });
}
