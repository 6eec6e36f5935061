// Folds the run's events, in the order they arrive, into a RunReport. Pure: the sink masks the
// events before they get here, and the renderer only reads the result.
import type { HostCounters, RunEvent } from '../../executor/events.js';
import { STATUS_RANK, type ReportDiff, type ReportTask, type RunReport, type TaskBar } from './model.js';

type HostResultEvent = Extract<RunEvent, { type: 'host_result' }>;

export class ReportCollector {
  private readonly hosts: string[] = [];
  private readonly tasks: ReportTask[] = [];
  private readonly bars = new Map<string, TaskBar>();
  private readonly diffs: ReportDiff[] = [];
  private readonly warnings: string[] = [];
  private check = false;
  private aborted: RunReport['aborted'];
  private recap: { hosts: Record<string, HostCounters>; exitCode: number; durationMs: number } | undefined;
  /** The latest time seen: events without `atMs` (never from the CLI) are placed there. */
  private lastMs = 0;

  add(event: RunEvent): void {
    const at = event.atMs ?? this.lastMs;
    this.lastMs = Math.max(this.lastMs, at);
    switch (event.type) {
      case 'play_start':
        this.check ||= event.check;
        event.hosts.forEach((h) => this.addHost(h));
        break;
      case 'batch_start':
        event.hosts.forEach((h) => this.addHost(h));
        break;
      case 'task_start':
        this.tasks.push({ index: this.tasks.length, play: event.play, name: event.task, handler: event.handler, loc: event.loc, startMs: at });
        break;
      case 'host_result':
        this.addResult(event, at);
        break;
      case 'warning':
        this.warnings.push(event.host ? `${event.host}: ${event.msg}` : event.msg);
        break;
      case 'aborted':
        this.aborted = { reason: event.reason, notRun: [...event.notRun] };
        break;
      case 'recap':
        Object.keys(event.hosts).forEach((h) => this.addHost(h));
        this.recap = { hosts: event.hosts, exitCode: event.exitCode, durationMs: event.durationMs };
        break;
    }
  }

  report(meta: { title: string; startedAt?: string }): RunReport {
    const bars = [...this.bars.values()].sort((a, b) => a.taskIndex - b.taskIndex || this.hosts.indexOf(a.host) - this.hosts.indexOf(b.host));
    const end = Math.max(this.lastMs, this.recap?.durationMs ?? 0, ...bars.map((b) => b.endMs));
    return {
      title: meta.title,
      startedAt: meta.startedAt,
      check: this.check,
      exitCode: this.recap?.exitCode,
      durationMs: end,
      hosts: [...this.hosts],
      tasks: this.tasks.map((t) => ({ ...t })),
      bars,
      recap: { ...(this.recap?.hosts ?? {}) },
      // Hosts finish a task in any order; the page lists diffs by task, then host, as the timeline does.
      diffs: [...this.diffs].sort((a, b) => a.taskIndex - b.taskIndex || this.hosts.indexOf(a.host) - this.hosts.indexOf(b.host)),
      warnings: [...this.warnings],
      aborted: this.aborted,
    };
  }

  private addHost(host: string): void {
    if (!this.hosts.includes(host)) this.hosts.push(host);
  }

  /** The task a result belongs to: the latest one started under that title (tasks run one at a time per play). */
  private taskFor(event: HostResultEvent, at: number): ReportTask {
    for (let i = this.tasks.length - 1; i >= 0; i--) {
      const t = this.tasks[i]!;
      if (t.name === event.task && t.handler === event.handler) return t;
    }
    const orphan: ReportTask = { index: this.tasks.length, play: '', name: event.task, handler: event.handler, startMs: Math.max(0, at - event.durationMs) };
    this.tasks.push(orphan);
    return orphan;
  }

  private addResult(event: HostResultEvent, at: number): void {
    this.addHost(event.host);
    const task = this.taskFor(event, at);
    const key = `${task.index}\0${event.host}`;
    // The event is emitted when the host finished the task; durationMs covers all its loop items.
    const start = Math.max(0, at - event.durationMs);
    const bar = this.bars.get(key);
    // Another worker's result: the host's play ran again after its first worker was lost, and this
    // attempt replaces the first (one cell per task and host, as the recap counts it once).
    const rerun = bar?.worker !== undefined && event.worker !== undefined && event.worker !== bar.worker;
    if (!bar || rerun) {
      this.bars.set(key, {
        host: event.host, taskIndex: task.index, status: event.status, ignored: Boolean(event.ignored),
        startMs: start, endMs: at, durationMs: event.durationMs, items: 1, msg: event.msg,
        ...(event.worker ? { worker: event.worker } : {}),
      });
    } else {
      if (STATUS_RANK[event.status] > STATUS_RANK[bar.status]) {
        bar.status = event.status;
        bar.msg = event.msg ?? bar.msg;
      }
      bar.ignored ||= Boolean(event.ignored);
      // A host re-run after its worker was lost: the worker that finished it.
      if (event.worker) bar.worker = event.worker;
      bar.items++;
      bar.startMs = Math.min(bar.startMs, start);
      bar.endMs = Math.max(bar.endMs, at);
      bar.durationMs = Math.max(bar.durationMs, event.durationMs);
    }
    if (event.status === 'changed') {
      for (const d of event.diffs ?? []) this.diffs.push({ host: event.host, taskIndex: task.index, task: event.task, path: d.path, before: d.before, after: d.after, ...(d.hidden !== undefined ? { hidden: d.hidden } : {}) });
    }
  }
}
