// What the output stream can do (a live view, colours) and the few ANSI sequences the live view
// uses, so no other file decides about terminals or spells escape codes.

/** The part of a stream the printers need; process.stdout fits, and so does a test's fake terminal. */
export interface TermStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  write(text: string): boolean;
}

type Env = Record<string, string | undefined>;

/**
 * The live view redraws in place, so it needs a real terminal that can move the cursor: TERM=dumb
 * (Emacs' shell, some CI consoles that claim a TTY) cannot. NO_COLOR asks for no colour, not for no
 * live view, so it does not turn the view off.
 */
export function canRedraw(out: Partial<TermStream>, env: Env = process.env): boolean {
  return Boolean(out.isTTY) && env.TERM !== 'dumb';
}

/** Colour on a terminal unless NO_COLOR (https://no-color.org) is set or the terminal is dumb. */
export function canColor(out: Partial<TermStream>, env: Env = process.env): boolean {
  return Boolean(out.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** The terminal's size; 80x24 when the stream does not say (a pty whose size was never set). */
export function termSize(out: Partial<TermStream>): { columns: number; rows: number } {
  return { columns: out.columns && out.columns > 0 ? out.columns : 80, rows: out.rows && out.rows > 0 ? out.rows : 24 };
}

export const ansi = {
  /** Cursor up n lines (the column stays; ours is always 0 after a newline). */
  up: (n: number): string => (n > 0 ? `\x1b[${n}A` : ''),
  /** Erase the whole current line. */
  eraseLine: '\x1b[2K',
  /** Erase from the cursor to the end of the screen. */
  eraseDown: '\x1b[J',
};
