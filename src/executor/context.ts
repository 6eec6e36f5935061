// Everything one run shares, passed explicitly (no hidden globals, unlike pyinfra's `host`/`state`).
import type { SourceLoc, Vars } from '../core/types.js';
import type { Inventory } from '../inventory/types.js';
import type { Module } from '../modules/types.js';
import type { Playbook } from '../playbook/types.js';
import type { Transport, ConnectionSpec, BecomeOptions } from '../transport/types.js';
import type { Vault } from '../vault/vault.js';
import type { EventSink } from './events.js';
import type { HostState } from './host-state.js';
import type { RunOptions } from './options.js';
import type { ProbeCache } from './probe-cache.js';

/** Templating, as the executor needs it (implemented by src/template). */
export interface Templating {
  render(value: unknown, vars: Vars, loc?: SourceLoc): unknown;
  renderText(text: string, vars: Vars, file: string, searchPath?: readonly string[]): string;
}

/** Conditions (implemented by src/expr): the `when` language. */
export interface Conditions {
  value(expr: string, vars: Vars, loc?: SourceLoc): unknown;
  test(expr: string, vars: Vars, loc?: SourceLoc): boolean;
}

export interface Secrets {
  add(value: unknown): void;
  mask(text: string): string;
  /** True when the text holds any form of any secret. */
  contains(text: string): boolean;
}

export interface Connections {
  get(host: string, spec: ConnectionSpec): Promise<Transport>;
  /** Forgets the host's connection (or failure) and connects again (reboot, wait_for_connection). */
  reconnect?(host: string, spec: ConnectionSpec): Promise<Transport>;
  closeAll(): Promise<void>;
  /** Closes the host's connection so the next task connects again (meta: reset_connection); absent: nothing kept to reset. */
  reset?(host: string): Promise<void>;
}

/** Playbook keywords that set connection defaults: above the command line, below inventory variables. */
export interface ConnectionKeywords {
  /** The play's remote_user. */
  remoteUser?: string;
  /** The play's or task's connection keyword; the inventory's ansible_connection beats it, as in Ansible. */
  connection?: 'ssh' | 'local';
}

/** become_method / become_flags keywords in effect (task > block > play); undefined where none is written. */
export interface BecomeHow {
  method?: 'sudo' | 'su';
  flags?: string;
}

export interface ConnectionResolver {
  spec(host: string, vars: Vars, keywords?: ConnectionKeywords): ConnectionSpec;
  /** `become` / `becomeUser`: the nearest keyword (task > block > play), undefined where none is written. */
  become(vars: Vars, become: boolean | undefined, becomeUser: string | undefined, how?: BecomeHow): BecomeOptions | undefined;
}

export interface RunContext {
  options: RunOptions;
  inventory: Inventory;
  playbook: Playbook;
  templating: Templating;
  conditions: Conditions;
  secrets: Secrets;
  connections: Connections;
  resolver: ConnectionResolver;
  /** Module lookup (the registry in production; a test may pass its own). */
  modules: (name: string) => Module | undefined;
  emit: EventSink;
  states: Map<string, HostState>;
  /** Probes read ahead for later tasks; runPlaybook makes one per run (--probe-batch). */
  probes?: ProbeCache;
  /** Decrypts vault files met while running (include_vars); absent: no password was set up. */
  vault?: Vault;
}
