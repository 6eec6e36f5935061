// What the executor remembers about one host during a run: facts, registered results,
// notified handlers, would-be changes (for check-mode forecasts) and the recap counters.
import { mergeHostData, noHostData, type HostData } from '../core/host-data.js';
import type { Vars } from '../core/types.js';
import type { HostCounters } from './events.js';
import type { Forecast } from './forecast.js';
import type { RestorePoint } from './handler-restore.js';

/** The task a host stopped at. `startable`: a named task of the play's task list (not a handler or a check), so --start-at-task can name it. */
export interface StopPoint {
  title: string;
  startable: boolean;
}

/**
 * Bumped whenever any host's failed, unreachable or ended changes: the play's list of active hosts
 * (play_hosts) is then built again, and not once per host and task (O(hosts²) per task at 1,000 hosts).
 */
let activeGeneration = 0;

export function activeHostsGeneration(): number {
  return activeGeneration;
}

export class HostState {
  /** Gathered facts. HostData: what the host said is never rendered as a template. */
  private factsData: HostData = noHostData;
  /** set_fact and register results: above play vars in precedence, below extra vars. */
  private hostFactsData: HostData = noHostData;
  /** include_vars results: playbook content (rendered when used), just below set_fact in precedence. */
  private includedVarsData: Vars = {};
  readonly notified = new Set<string>();
  /** Per notified name: files the notifying tasks replaced, for a failing handler to put back (handler-restore.ts). */
  readonly restorePoints = new Map<string, RestorePoint[]>();
  /** Check mode: would-be changes on this machine and what they would create, for later tasks' forecasts. */
  readonly forecasts: Forecast[] = [];
  private failedFlag = false;
  /** The host's last failure, for a rescue's ansible_failed_task / ansible_failed_result. */
  lastFailure?: { task: Vars; result: HostData };
  private unreachableFlag = false;
  private endedFlag = false;
  /** Where the host last failed or became unreachable, so a resume can start there (resume.ts). */
  stoppedAt?: StopPoint;
  readonly counters: HostCounters = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

  constructor(readonly name: string) {
    activeGeneration++;
  }

  get failed(): boolean {
    return this.failedFlag;
  }

  set failed(value: boolean) {
    if (value !== this.failedFlag) activeGeneration++;
    this.failedFlag = value;
  }

  get unreachable(): boolean {
    return this.unreachableFlag;
  }

  set unreachable(value: boolean) {
    if (value !== this.unreachableFlag) activeGeneration++;
    this.unreachableFlag = value;
  }

  /** meta end_host / end_play / end_batch: done with the current play without failing (back for the next play). */
  get ended(): boolean {
    return this.endedFlag;
  }

  set ended(value: boolean) {
    if (value !== this.endedFlag) activeGeneration++;
    this.endedFlag = value;
  }

  get facts(): HostData {
    return this.factsData;
  }

  get hostFacts(): HostData {
    return this.hostFactsData;
  }

  get includedVars(): Vars {
    return this.includedVarsData;
  }

  learnIncludedVars(vars: Vars): void {
    this.includedVarsData = { ...this.includedVarsData, ...vars };
  }

  /** meta: clear_facts: the gathered facts go (set_fact values and registered results stay, as in Ansible). */
  clearFacts(): void {
    this.factsData = noHostData;
  }

  /** Adds gathered facts (setup, or a module's facts). */
  learnFacts(facts: HostData): void {
    this.factsData = mergeHostData(this.factsData, facts);
  }

  /** Adds host variables (set_fact values, a registered result under its name). */
  learnHostFacts(values: HostData): void {
    this.hostFactsData = mergeHostData(this.hostFactsData, values);
  }

  /** A host that failed or became unreachable leaves the run, as in Ansible. */
  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended;
  }

  /** Failed or unreachable: out of the run (an ended host is not). */
  get stopped(): boolean {
    return this.failed || this.unreachable;
  }
}
