// Typed events the executor emits; printers (human, JSON, report) only listen.
import type { SourceLoc } from '../core/types.js';
import type { FileDiff } from '../modules/types.js';

export type HostStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable';

export interface HostCounters {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
  skipped: number;
  rescued: number;
  ignored: number;
}

/** What a task result says besides its status: shared by the executor's outcomes and the events. */
export interface ResultDetail {
  msg?: string;
  /** What changed or would change, in words. */
  changes?: string[];
  diffs?: FileDiff[];
  stdout?: string;
  stderr?: string;
  rc?: number | null;
}

export interface HostResult extends ResultDetail {
  host: string;
  status: HostStatus;
  /** Loop item label, when the task loops. */
  item?: string;
  /** Failure was ignored (ignore_errors). */
  ignored?: boolean;
  durationMs: number;
}

/** Every event, once it leaves the executor, carries `atMs`: milliseconds since the run started. */
export type RunEvent = RunEventBody & { atMs?: number };

export type RunEventBody =
  | { type: 'play_start'; play: string; hosts: string[]; check: boolean }
  | { type: 'batch_start'; play: string; hosts: string[]; batch: number; batches: number }
  | { type: 'task_start'; play: string; task: string; loc: SourceLoc; handler: boolean }
  | ({ type: 'host_result'; task: string; handler: boolean } & HostResult)
  | { type: 'warning'; msg: string; host?: string }
  | { type: 'aborted'; reason: string; notRun: string[] }
  | { type: 'recap'; hosts: Record<string, HostCounters>; exitCode: number; durationMs: number };

export type EventSink = (event: RunEvent) => void;
