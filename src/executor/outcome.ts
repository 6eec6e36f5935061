// The typed result of one task on one host (or one loop item), before it becomes an event.
import type { HostData } from '../core/host-data.js';
import type { Vars } from '../core/types.js';
import type { HostThing, ReplacedFile } from '../modules/types.js';
import type { HostStatus, ResultDetail } from './events.js';

export interface Outcome extends ResultDetail {
  status: HostStatus;
  /** Module data for `register` (rc, stdout, stat, ...). */
  data: Vars;
  /** Facts from `setup` and similar probes: host data, never rendered. */
  facts?: HostData;
  /** Facts from set_fact (host-level, above play vars): host data, never rendered. */
  hostFacts?: HostData;
  /** Variables from controller files (include_vars): playbook content, rendered when used. */
  includedVars?: Vars;
  ignored?: boolean;
  /**
   * A failed task that changed the host all the same (a command that ran and exited non-zero):
   * registered as changed, and counted as changed when its failure is ignored, as in Ansible.
   */
  alsoChanged?: boolean;
  /** The loop item's label, for the output. */
  item?: string;
  /** A loop item's keys in the registered results (the loop variable, ansible_loop_var, the index). */
  loopKeys?: Vars;
  /** The host a delegated task ran on (delegate_to / local_action). */
  delegate?: string;
  /** Check mode: what this would-be change would create on the host, for later forecasts. */
  provides?: HostThing[];
  /** Files this task replaced, with their kept previous contents (tasks that notify a handler). */
  replaced?: ReplacedFile[];
  /** A templated no_log that held on this host: the output is hidden as with `no_log: true`. */
  hidden?: boolean;
}

export function skipped(msg: string): Outcome {
  return { status: 'skipped', msg, data: {} };
}

export function failed(msg: string, extra: Partial<Outcome> = {}): Outcome {
  return { status: 'failed', msg, data: {}, ...extra };
}

/** What `register` stores, in Ansible's shape, so `result.rc`, `result is changed` work unchanged. */
export function registered(o: Outcome): Vars {
  const base: Vars = {
    ...o.data,
    changed: o.status === 'changed' || (o.status === 'failed' && o.alsoChanged === true),
    failed: o.status === 'failed',
  };
  if (o.status === 'skipped') Object.assign(base, { skipped: true, skip_reason: o.msg });
  if (o.msg !== undefined && base.msg === undefined) base.msg = o.msg;
  if (o.rc !== undefined && base.rc === undefined) base.rc = o.rc;
  if (o.stdout !== undefined && base.stdout === undefined) Object.assign(base, { stdout: o.stdout, stdout_lines: o.stdout.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '') });
  if (o.stderr !== undefined && base.stderr === undefined) Object.assign(base, { stderr: o.stderr, stderr_lines: o.stderr.split('\n').filter((l, i, a) => i < a.length - 1 || l !== '') });
  return base;
}
