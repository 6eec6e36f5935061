// The knobs of one run, as the CLI resolved them from flags, the config file and defaults.
import type { Vars } from '../core/types.js';
import type { HostLockMode } from './host-lock.js';
import type { ResumeCommandBuilder } from './resume.js';

export interface RunOptions {
  check: boolean;
  /** --diff: print what changed in files. */
  diff: boolean;
  /** Compute file diffs even when they are not printed (--report shows them). */
  collectDiffs?: boolean;
  forks: number;
  /**
   * --probe-batch: at most this many tasks' probes in one command to a host (probe-ahead.ts); 1 sends
   * each task's probe on its own. Default 50.
   */
  probeBatch?: number;
  /** --limit pattern; undefined means every host the play names. */
  limit?: string;
  tags: string[];
  skipTags: string[];
  extraVars: Vars;
  verbose: number;
  /** Defaults for connections not set by the inventory. */
  connection: {
    user?: string;
    privateKeyFile?: string;
    knownHostsFile?: string;
    /** --known-hosts: beats the inventory's ssh_known_hosts_file (knownHostsFile, from runbook.cfg, does not). */
    knownHostsOverride?: string;
    hostKeyChecking: boolean;
    timeoutMs: number;
    password?: string;
    becomePassword?: string;
    /** -b: become where no become keyword (task, block, role, play) or ansible_become says otherwise. */
    become?: boolean;
    /** --become-user: the sudo target where neither a become_user keyword nor ansible_become_user names one. */
    becomeUser?: string;
    /** --become-method / ansible.cfg become_method: below the become_method keyword and ansible_become_method. */
    becomeMethod?: 'sudo' | 'su';
    /** ansible.cfg become_flags: below the become_flags keyword and ansible_become_flags. */
    becomeFlags?: string;
  };
  /** The per-host run lock (host-lock.ts); the CLI turns it on, library callers and unit tests leave it off. */
  hostLock?: HostLockMode;
  /** --start-at-task: tasks before the first one whose name (or `role : name`) matches are skipped. */
  startAtTask?: string;
  /** --force-handlers: notified handlers run at the end of the play even on hosts that failed. */
  forceHandlers?: boolean;
  /** --step: asked before each task (not handlers); false passes over the task. */
  step?: (taskTitle: string) => Promise<boolean>;
  /**
   * vars_prompt: asks on the terminal (secret: not echoed) and resolves the answer. Absent when there is
   * no terminal: a prompt then takes -e, its default, or fails naming -e.
   */
  prompt?: (question: string, secret: boolean) => Promise<string>;
  /** Cancels the run (SIGINT): no new task starts, running commands are cut. */
  signal?: AbortSignal;
  /** Spells the command that resumes a stopped run (the CLI, from its argv); without it a resume hint names hosts only. */
  resumeCommand?: ResumeCommandBuilder;
}

export function defaultRunOptions(): RunOptions {
  return {
    check: false,
    diff: false,
    forks: 20,
    tags: [],
    skipTags: [],
    extraVars: {},
    verbose: 0,
    connection: { hostKeyChecking: true, timeoutMs: 15000 },
  };
}
