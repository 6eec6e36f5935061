// A fake terminal for the live view's tests: a stream that says it is a TTY, a tiny screen that
// obeys the three escape sequences the view uses, and a clock whose timers run only when told.
import type { Scheduler } from '../../../src/output/live-view.js';
import { Capture } from './capture.js';

/** A Capture that claims to be a terminal of the given size. */
export class FakeTty extends Capture {
  readonly isTTY = true;
  constructor(
    public columns = 80,
    public rows = 24,
  ) {
    super();
  }
}

/**
 * What a terminal would show after `text`: cursor-up, erase-line and erase-down are applied, plain
 * text overwrites at the cursor. Unknown sequences (colours) are dropped. No line wrapping: the
 * view never writes a line wider than the terminal.
 */
export function screen(text: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  const put = (ch: string): void => {
    const line = lines[row] ?? '';
    lines[row] = line.padEnd(col).slice(0, col) + ch + line.slice(col + 1);
    col++;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\x1b') {
      const m = /^\x1b\[(\d*)([A-Za-z])/.exec(text.slice(i));
      if (!m) throw new Error(`unknown escape at ${i}: ${JSON.stringify(text.slice(i, i + 8))}`);
      i += m[0].length - 1;
      const n = m[1] === '' ? 1 : Number(m[1]);
      if (m[2] === 'A') row = Math.max(0, row - n);
      else if (m[2] === 'K' && m[1] === '2') lines[row] = '';
      else if (m[2] === 'J') {
        lines[row] = (lines[row] ?? '').slice(0, col);
        lines.length = row + 1;
      }
      continue;
    }
    if (ch === '\n') {
      row++;
      col = 0;
      if (lines.length <= row) lines.push('');
      continue;
    }
    if (ch === '\r') {
      col = 0;
      continue;
    }
    put(ch);
  }
  return lines;
}

/** Time stands still until advance(); `soon` callbacks wait for runSoon(). */
export class FakeClock implements Scheduler {
  t = 1_000_000;
  private timers: { every: number; next: number; fn: () => void; stopped: boolean }[] = [];
  private queued: (() => void)[] = [];

  now(): number {
    return this.t;
  }

  every(ms: number, fn: () => void): { stop(): void } {
    const timer = { every: ms, next: this.t + ms, fn, stopped: false };
    this.timers.push(timer);
    return { stop: () => (timer.stopped = true) };
  }

  soon(fn: () => void): void {
    this.queued.push(fn);
  }

  /** Timers not stopped yet. */
  get running(): number {
    return this.timers.filter((t) => !t.stopped).length;
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.stopped && t.next <= end).sort((a, b) => a.next - b.next)[0];
      if (!due) break;
      this.t = due.next;
      due.next += due.every;
      due.fn();
    }
    this.t = end;
  }

  runSoon(): void {
    const q = this.queued;
    this.queued = [];
    q.forEach((fn) => fn());
  }
}
