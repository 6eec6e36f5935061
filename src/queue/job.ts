// What one queue job carries and what it gives back: a chunk of one serial batch of one play.
import type { HostCounters } from '../executor/events.js';
import type { StopPoint } from '../executor/host-state.js';

/** The run's options a worker needs; connection secrets (-k, -K) and keys never travel. */
export interface JobOptions {
  check: boolean;
  diff: boolean;
  collectDiffs: boolean;
  forks: number;
  tags: string[];
  skipTags: string[];
  verbose: number;
  forceHandlers: boolean;
  startAtTask?: string;
  user?: string;
  become?: boolean;
  becomeUser?: string;
  /** --become-method / ansible.cfg become_method and become_flags: defaults under the keywords, as in a local run. */
  becomeMethod?: 'sudo' | 'su';
  becomeFlags?: string;
  hostKeyChecking: boolean;
  timeoutMs: number;
}

export interface JobData {
  runId: string;
  bundleId: string;
  /** Paths as on the submitting machine; the worker finds them inside the bundle. */
  playbook: string;
  inventory: string;
  rolesPath: string[];
  /** -e values as given, @file made absolute (the file is in the bundle). */
  extraVars: string[];
  options: JobOptions;
  playIndex: number;
  /** 1-based, of `batches`. */
  batch: number;
  batches: number;
  hosts: string[];
}

export interface HostOutcome {
  counters: HostCounters;
  failed: boolean;
  unreachable: boolean;
  stoppedAt?: StopPoint;
}

export interface JobResult {
  worker: string;
  hosts: Record<string, HostOutcome>;
  /** any_errors_fatal stopped this chunk (the submitter decides for the whole batch). */
  aborted?: string;
  interrupted?: boolean;
}

/**
 * What a worker appends to the run's stream (field `d`) once a job's hosts finished their play: how
 * the submitter, should Redis die before the recap, knows which hosts are done and which to resume.
 */
/**
 * A job began on a worker (`j` in the run's events, never printed): what its hosts printed before
 * belongs to an earlier attempt, even one by a worker of the same name restarted after Redis came back.
 */
export interface JobStart {
  playIndex: number;
  worker: string;
  hosts: string[];
}

export interface JobDone {
  playIndex: number;
  worker: string;
  hosts: Record<string, HostOutcome>;
}

/** The job's id: stable, so a re-submitted identical job is not queued twice. */
export function jobId(runId: string, playIndex: number, batch: number, chunk: number): string {
  return `${runId}.p${playIndex}.b${batch}.c${chunk}`;
}
