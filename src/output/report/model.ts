// The typed picture of a finished run that the HTML report draws: built from events alone, so the
// page shows exactly what --json consumers saw, and rendering never re-derives executor rules.
import type { HostCounters, HostStatus } from '../../executor/events.js';
import type { SourceLoc } from '../../core/types.js';

/** One task as it started (handlers and repeated names are separate tasks). */
export interface ReportTask {
  /** Position in the run, from 0; the bars' `taskIndex`. */
  index: number;
  play: string;
  name: string;
  handler: boolean;
  loc?: SourceLoc;
  /** Milliseconds since the run started, when the task started. */
  startMs: number;
}

/** One task on one host: its loop items folded together, as the recap counts it. */
export interface TaskBar {
  host: string;
  taskIndex: number;
  status: HostStatus;
  /** A failure that ignore_errors turned into ok + ignored in the recap. */
  ignored: boolean;
  startMs: number;
  endMs: number;
  durationMs: number;
  /** Loop items seen (1 for a task without a loop). */
  items: number;
  /** The message of the worst item, if any. */
  msg?: string;
  /** The queue worker that ran it (apply --queue). */
  worker?: string;
}

/** A file diff from a changed result (applied, or would be applied in check mode). */
export interface ReportDiff {
  host: string;
  taskIndex: number;
  task: string;
  path: string;
  before: string;
  after: string;
  /** Why the text is not shown (the file holds a secret). */
  hidden?: string;
}

export interface RunReport {
  title: string;
  /** Wall-clock start of the run (ISO 8601), if known. */
  startedAt?: string;
  check: boolean;
  /** From the recap event; undefined if the run never reached one. */
  exitCode?: number;
  durationMs: number;
  /** Hosts in the order plays named them. */
  hosts: string[];
  tasks: ReportTask[];
  bars: TaskBar[];
  /** The recap event's counters, unchanged. */
  recap: Record<string, HostCounters>;
  diffs: ReportDiff[];
  warnings: string[];
  aborted?: { reason: string; notRun: string[] };
}

/** Worst first, as the executor folds loop items: unreachable, failed, then changed, ok, skipped. */
export const STATUS_RANK: Record<HostStatus, number> = { unreachable: 4, failed: 3, changed: 2, ok: 1, skipped: 0 };

/** The order of the recap's columns, as PLAY RECAP prints them. */
export const COUNTER_NAMES = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const satisfies readonly (keyof HostCounters)[];
