// What the executor remembers about one host during a run: facts, registered results,
// notified handlers, would-be changes (for check-mode forecasts) and the recap counters.
import type { Vars } from '../core/types.js';
import type { HostCounters } from './events.js';

export class HostState {
  facts: Vars = {};
  /** set_fact and register results: above play vars in precedence, below extra vars. */
  hostFacts: Vars = {};
  readonly notified = new Set<string>();
  /** Task names that changed or would change, so check mode can forecast dependent tasks. */
  readonly changedTasks: string[] = [];
  failed = false;
  unreachable = false;
  readonly counters: HostCounters = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

  constructor(readonly name: string) {}

  /** A host that failed or became unreachable leaves the run, as in Ansible. */
  get active(): boolean {
    return !this.failed && !this.unreachable;
  }
}
