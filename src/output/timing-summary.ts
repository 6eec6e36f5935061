// Where the time went, printed after the PLAY RECAP: the slowest tasks (and on which host), the
// time per host, and the run's total. Folded from host_result events, so it needs nothing else.
import type { RunEvent } from '../executor/events.js';
import { banner } from './banner.js';
import type { Palette } from './colors.js';
import { seconds } from './duration.js';

/** How many of the slowest tasks the summary lists. */
export const SLOWEST = 5;

interface TaskTime {
  order: number;
  title: string;
  handler: boolean;
  host: string;
  durationMs: number;
}

interface HostTime {
  /** Sum of the host's task durations: how long runbook was busy with it. */
  busyMs: number;
  /** First task start and last task end on the run's clock (atMs), when events carry it. */
  firstStart?: number;
  lastEnd?: number;
}

export class TimingSummary {
  private order = -1;
  /** The slowest host of each task run, by order of the task's start. */
  private readonly tasks = new Map<number, TaskTime>();
  private readonly hosts = new Map<string, HostTime>();
  /** A loop reports one result per item, each with the host's whole task time: count it once. */
  private readonly counted = new Set<string>();

  add(event: RunEvent): void {
    if (event.type === 'task_start') {
      this.order++;
      return;
    }
    if (event.type !== 'host_result') return;
    const key = `${this.order}\0${event.task}\0${event.host}`;
    if (this.counted.has(key)) return;
    this.counted.add(key);

    const t = this.tasks.get(this.order);
    if (!t || event.durationMs > t.durationMs) {
      this.tasks.set(this.order, { order: this.order, title: event.task, handler: event.handler, host: event.host, durationMs: event.durationMs });
    }
    const h = this.hosts.get(event.host) ?? { busyMs: 0 };
    h.busyMs += event.durationMs;
    if (event.atMs !== undefined) {
      const start = event.atMs - event.durationMs;
      h.firstStart = h.firstStart === undefined ? start : Math.min(h.firstStart, start);
      h.lastEnd = h.lastEnd === undefined ? event.atMs : Math.max(h.lastEnd, event.atMs);
    }
    this.hosts.set(event.host, h);
  }

  /** The slowest tasks, longest first (ties: the earlier task first). */
  slowest(n = SLOWEST): TaskTime[] {
    return [...this.tasks.values()].sort((a, b) => b.durationMs - a.durationMs || a.order - b.order).slice(0, n);
  }

  /** The summary's lines; none when no task ran on any host. */
  lines(runMs: number, p: Palette): string[] {
    if (this.tasks.size === 0) return [];
    const out = ['', banner('SLOWEST TASKS')];
    for (const t of this.slowest()) {
      const name = `${t.handler ? 'handler ' : ''}${t.title} [${t.host}] `;
      const time = ` ${seconds(t.durationMs)}`;
      out.push(`${name}${'-'.repeat(Math.max(3, 80 - name.length - time.length))}${time}`);
    }
    out.push('', banner('TIME PER HOST'));
    out.push(p.dim('busy: sum of its task durations; span: first task start to last task end'));
    const names = [...this.hosts.keys()].sort();
    const width = Math.max(26, ...names.map((n) => n.length));
    for (const name of names) {
      const h = this.hosts.get(name)!;
      const span = h.firstStart !== undefined && h.lastEnd !== undefined ? `   span ${seconds(h.lastEnd - h.firstStart).padStart(9)}` : '';
      out.push(`${name.padEnd(width)} : busy ${seconds(h.busyMs).padStart(9)}${span}`);
    }
    out.push('', `RUN TIME: ${seconds(runMs)} (start to recap)`);
    return out;
  }
}
