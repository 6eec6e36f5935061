// delegate_to / local_action: which host a task's commands run on, and how to reach it. As in
// Ansible, the connection variables are the delegate's and every other variable stays the host's.
import { TaskFailure } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';
import type { Inventory } from '../inventory/types.js';
import { IMPLICIT_LOCALHOST } from '../inventory/pattern.js';
import type { Task } from '../playbook/types.js';
import type { PlayRun } from './play-run.js';
import type { Scope } from './scope.js';

/**
 * Variables that say how to reach a host and escalate on it (src/transport/spec.ts). A delegated
 * task takes them from the delegate only: web1's ansible_host must never be used to reach redis1.
 */
export const CONNECTION_VARS = [
  'ansible_connection',
  'ansible_host', 'ansible_ssh_host',
  'ansible_port', 'ansible_ssh_port',
  'ansible_user', 'ansible_ssh_user',
  'ansible_ssh_private_key_file', 'ansible_private_key_file',
  'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password',
  'ansible_host_key_checking', 'ansible_ssh_host_key_checking', 'ssh_known_hosts_file',
  'ansible_ssh_common_args', 'ansible_ssh_extra_args',
  'ansible_become', 'ansible_sudo', 'ansible_become_user', 'ansible_sudo_user',
  'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', 'ansible_become_method',
] as const;

export interface Delegation {
  /** The host the task runs on (an inventory host, or the controller as localhost / 127.0.0.1 / ::1). */
  host: string;
  /** What the connection resolver reads: the delegate's connection variables and its name. */
  connectionVars: Vars;
}

/** Whether `name` can be delegated to: an inventory host, or the implicit local host. */
export function knownDelegate(inventory: Inventory, name: string): boolean {
  return inventory.hosts.includes(name) || IMPLICIT_LOCALHOST.includes(name);
}

/** Why a delegate_to names no host, and what to do (preflight raises it for literal names, the task for templated ones). */
export function unknownDelegate(inventory: Inventory, name: string): { message: string; hint: string } {
  return {
    message: `delegate_to: '${name}' is not a host of the inventory ${inventory.source}`,
    hint: didYouMean(name, inventory.hosts) ?? 'delegate to a host of the inventory (it needs its address and a known host key anyway), or to localhost for the controller',
  };
}

/** The delegation of `task` on `host`, or undefined when it runs on the host itself. */
export function delegationFor(run: PlayRun, task: Task, scope: Scope, host: string, vars: Vars): Delegation | undefined {
  if (task.delegateTo === undefined) return undefined;
  const { inventory, options, states } = run.ctx;
  const name = String(run.ctx.templating.render(task.delegateTo, vars, task.loc) ?? '').trim();
  if (name === '') throw new TaskFailure('delegate_to rendered to an empty host name', task.loc, `delegate_to: ${task.delegateTo}`);
  if (name === host) return undefined;
  if (!knownDelegate(inventory, name)) {
    const why = unknownDelegate(inventory, name);
    throw new TaskFailure(why.message, task.loc, why.hint);
  }
  // An inventory host's full variables (play vars and -e included, as Ansible's delegated vars);
  // the implicit localhost has only `all`'s variables, the extra vars and its local connection.
  const own: Vars = states.has(name) && inventory.hosts.includes(name)
    ? run.varsFor(name, task, scope)
    : { ...inventory.hostVars(name), ...options.extraVars };
  const connectionVars: Vars = { inventory_hostname: name };
  for (const key of CONNECTION_VARS) if (own[key] !== undefined) connectionVars[key] = own[key];
  return { host: name, connectionVars };
}
