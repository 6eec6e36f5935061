// Typed events the executor emits; printers (human, JSON, report) only listen.
import type { SourceLoc } from '../core/types.js';
import type { FileDiff } from '../modules/types.js';
import type { ProbeCounts } from './probe-cache.js';

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
  /** delegate_to / local_action: the host the task ran on; `host` stays the one it ran for (Ansible's `web1 -> redis1`). */
  delegate?: string;
  durationMs: number;
  /** The queue worker that ran it (`runbook worker --name`); absent in a local run. */
  worker?: string;
}

/** How to pick up a rollout that stopped: the hosts that did not finish and the command that resumes them (docs/rollouts.md). */
export interface ResumeHint {
  /** Failed, unreachable, cut short by the abort, or never run; inventory order. */
  hosts: string[];
  /** Set when every one of those hosts stopped at this same task, so nothing before it needs to run again. */
  startAtTask?: string;
  /** This run's command line with --limit (and --start-at-task) replaced, quoted for sh; values holding secrets left out. */
  command?: string;
  /** The directory to run `command` from (its relative paths are relative to it). */
  cwd?: string;
  /** What the command leaves out on purpose and must be given again (e.g. a -e value holding a secret). */
  notes?: string[];
}

/** Every event, once it leaves the executor, carries `atMs`: milliseconds since the run started. */
export type RunEvent = RunEventBody & { atMs?: number };

export type RunEventBody =
  | { type: 'play_start'; play: string; hosts: string[]; check: boolean }
  | { type: 'batch_start'; play: string; hosts: string[]; batch: number; batches: number }
  | { type: 'task_start'; play: string; task: string; loc: SourceLoc; handler: boolean; hosts?: string[] }
  /** A host begins the task (after waiting for --forks / throttle): the live view's "running". */
  | { type: 'host_start'; task: string; handler: boolean; host: string }
  /** The host's command printed something (at most about once a second per host): it is alive. */
  | { type: 'host_progress'; task: string; host: string }
  /** An `until` attempt did not hold; `left` more will be made after the delay. */
  | { type: 'host_retry'; task: string; host: string; left: number }
  | ({ type: 'host_result'; task: string; handler: boolean } & HostResult)
  | { type: 'warning'; msg: string; host?: string }
  | { type: 'aborted'; reason: string; notRun: string[]; resume?: ResumeHint }
  /** `interrupted`: why the run stopped before its end (a queued run that lost Redis): the counters are what was received. */
  /** `probes`: commands sent to read hosts, and how many task runs they answered (docs/performance.md). */
  | { type: 'recap'; hosts: Record<string, HostCounters>; exitCode: number; durationMs: number; resume?: ResumeHint; interrupted?: string; probes?: ProbeCounts }
  /** The run stopped on an unexpected error (the CLI prints it); no recap follows. */
  | { type: 'run_error'; msg: string };

export type EventSink = (event: RunEvent) => void;
