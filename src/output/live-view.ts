// The live status block under the current task's banner on a terminal: redrawn in place a few times
// a second while the task runs, then replaced by the task's ordinary result lines, so the
// scrollback reads exactly like the output without a terminal.
import type { HostStatus } from '../executor/events.js';
import type { Palette } from './colors.js';
import { liveFrame, type LiveHost, type LiveTask } from './live-frame.js';
import { ansi, termSize, type TermStream } from './tty.js';

/** Time and timers, injected so tests drive the view with a fake clock. */
export interface Scheduler {
  now(): number;
  every(ms: number, fn: () => void): { stop(): void };
  /** Runs fn once the current synchronous work is done (a loop's item results arrive together). */
  soon(fn: () => void): void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    // Never what keeps the process alive: a run that ended, or died, exits whatever the view does.
    timer.unref();
    return { stop: () => clearInterval(timer) };
  },
  soon: (fn) => queueMicrotask(fn),
};

export interface LiveViewOptions {
  /** Where the size comes from; the text goes through `write`. */
  term: Pick<TermStream, 'columns' | 'rows'>;
  /** The printer's writer (it masks secrets). */
  write: (text: string) => void;
  p: Palette;
  scheduler?: Scheduler;
  /** Redraw period; a few times a second is lively without flooding a slow terminal. */
  intervalMs?: number;
}

const WORST: Record<HostStatus, number> = { unreachable: 4, failed: 3, changed: 2, ok: 1, skipped: 0 };

export class LiveView {
  private readonly sched: Scheduler;
  private readonly intervalMs: number;
  private task: LiveTask | undefined;
  private timer: { stop(): void } | undefined;
  /** Result lines of the current task, written when it is done. */
  private held = '';
  /** Lines of the block now on screen, below which the cursor sits. */
  private drawn = 0;
  private tick = 0;
  private closed = false;

  constructor(private readonly opts: LiveViewOptions) {
    this.sched = opts.scheduler ?? realScheduler;
    this.intervalMs = opts.intervalMs ?? 250;
  }

  /** Whether a task is on the view now (its results are being held). */
  get active(): boolean {
    return this.task !== undefined;
  }

  /** A task starts on `hosts`. The block appears only at the first redraw: a quick task never flickers. */
  begin(title: string, handler: boolean, hosts: string[]): void {
    this.finish();
    if (this.closed) return;
    const now = this.sched.now();
    this.task = { title, handler, startedAt: now, hosts: new Map(hosts.map((h) => [h, { name: h, state: 'waiting' as const }])) };
    this.timer = this.sched.every(this.intervalMs, () => this.redraw());
  }

  hostStart(host: string): void {
    const h = this.host(host);
    if (h) Object.assign(h, { state: 'running', startedAt: this.sched.now() });
  }

  hostProgress(host: string): void {
    const h = this.host(host);
    if (h && h.state === 'running') h.lastOutputAt = this.sched.now();
  }

  /** A result for `host`: its lines are held until the task is done (false: write them now, no task is live). */
  hostResult(host: string, status: HostStatus, durationMs: number, text: string): boolean {
    const h = this.host(host);
    if (!h || !this.task) return false;
    // A loop reports once per item: the host shows its worst item, as the recap counts it.
    const prev = h.state in WORST ? WORST[h.state as HostStatus] : -1;
    if (WORST[status] >= prev) h.state = status;
    h.durationMs = durationMs;
    this.held += text;
    if ([...this.task.hosts.values()].every((x) => x.state !== 'waiting' && x.state !== 'running')) {
      const task = this.task;
      this.sched.soon(() => {
        if (this.task === task) this.finish();
      });
    }
    return true;
  }

  /** Something else must print (a warning): the block steps aside and comes back at the next redraw. */
  writeAbove(text: string): void {
    this.erase();
    this.opts.write(text);
  }

  /** The task is over: timer stopped, block erased, its result lines written in their usual form. */
  finish(): void {
    this.timer?.stop();
    this.timer = undefined;
    this.erase();
    if (this.held) this.opts.write(this.held);
    this.held = '';
    this.task = undefined;
  }

  /** For good (recap, Ctrl-C, an error): finish, and draw no block again. */
  close(): void {
    this.finish();
    this.closed = true;
  }

  private host(name: string): LiveHost | undefined {
    if (!this.task) return undefined;
    let h = this.task.hosts.get(name);
    // A host the task start did not name (an older emitter): it joins the block when it shows up.
    if (!h) {
      h = { name, state: 'waiting' };
      this.task.hosts.set(name, h);
    }
    return h;
  }

  private erase(): void {
    if (this.drawn === 0) return;
    this.opts.write(ansi.up(this.drawn) + ansi.eraseDown);
    this.drawn = 0;
  }

  private redraw(): void {
    if (!this.task) return;
    const { columns, rows } = termSize(this.opts.term);
    const lines = liveFrame({ task: this.task, now: this.sched.now(), columns, rows, tick: this.tick++, p: this.opts.p });
    // One write per frame, each line erased just before it is redrawn: no blank flash between frames.
    const frame = ansi.up(this.drawn) + lines.map((l) => `${ansi.eraseLine}${l}\n`).join('') + ansi.eraseDown;
    this.opts.write(frame);
    this.drawn = lines.length;
  }
}
