// What the executor remembers about one host during a run: facts, registered results,
// notified handlers, would-be changes (for check-mode forecasts) and the recap counters.
import type { Vars } from '../core/types.js';
import type { HostCounters } from './events.js';
import type { RestorePoint } from './handler-restore.js';

/** The task a host stopped at. `startable`: a named task of the play's task list (not a handler or a check), so --start-at-task can name it. */
export interface StopPoint {
  title: string;
  startable: boolean;
}

export class HostState {
  facts: Vars = {};
  /** set_fact and register results: above play vars in precedence, below extra vars. */
  hostFacts: Vars = {};
  readonly notified = new Set<string>();
  /** Per notified name: files the notifying tasks replaced, for a failing handler to put back (handler-restore.ts). */
  readonly restorePoints = new Map<string, RestorePoint[]>();
  /** Task names that changed or would change, so check mode can forecast dependent tasks. */
  readonly changedTasks: string[] = [];
  failed = false;
  /** The host's last failure, for a rescue's ansible_failed_task / ansible_failed_result. */
  lastFailure?: { task: Vars; result: Vars };
  unreachable = false;
  /** Where the host last failed or became unreachable, so a resume can start there (resume.ts). */
  stoppedAt?: StopPoint;
  readonly counters: HostCounters = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

  constructor(readonly name: string) {}

  /** A host that failed or became unreachable leaves the run, as in Ansible. */
  get active(): boolean {
    return !this.failed && !this.unreachable;
  }
}
