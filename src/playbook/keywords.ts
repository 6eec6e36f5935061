// The keywords runbook understands in plays, tasks and blocks, and the Ansible keywords it
// knowingly does not, so a typo gets a did-you-mean and an unsupported keyword gets a plain answer.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';

export const TASK_KEYWORDS = [
  'name', 'when', 'loop', 'loop_control', 'with_items', 'register', 'notify', 'listen', 'changed_when', 'failed_when',
  'ignore_errors', 'tags', 'check_mode', 'no_log', 'retries', 'until', 'delay', 'become', 'become_user', 'run_once',
  'delegate_to', 'delegate_facts', 'throttle', 'async', 'poll', 'vars', 'args', 'action', 'local_action', 'environment', 'connection',
  'with_nested', 'with_together', 'with_sequence', 'with_subelements', 'with_fileglob', 'with_first_found',
  'any_errors_fatal', 'module_defaults', 'become_method', 'become_flags',
] as const;

export const BLOCK_KEYWORDS = ['block', 'rescue', 'always', 'name', 'when', 'tags', 'vars', 'become', 'become_user', 'become_method', 'become_flags', 'ignore_errors', 'environment', 'any_errors_fatal', 'module_defaults'] as const;

/** Keywords allowed beside import_tasks / include_tasks / import_role / include_role; they apply to every imported task. */
export const IMPORT_KEYWORDS = ['name', 'when', 'tags', 'vars', 'become', 'become_user', 'environment'] as const;
export const TASK_IMPORTS = ['import_tasks', 'include_tasks', 'include'] as const;
export const ROLE_IMPORTS = ['import_role', 'include_role'] as const;

export const PLAY_KEYWORDS = [
  'name', 'hosts', 'vars', 'vars_files', 'roles', 'pre_tasks', 'tasks', 'post_tasks', 'handlers', 'become', 'become_user',
  'gather_facts', 'serial', 'max_fail_percentage', 'any_errors_fatal', 'tags', 'remote_user', 'checks', 'force_handlers', 'environment', 'connection', 'gather_subset',
  'strategy', 'vars_prompt', 'module_defaults', 'become_method', 'become_flags',
] as const;

/** Keys of a `roles:` entry that configure the reference; every other key is a role parameter. */
export const ROLE_REF_KEYWORDS = ['role', 'name', 'tags', 'when', 'vars', 'become', 'become_user', 'environment'] as const;

/** Ansible keywords runbook does not implement, with what to do instead where there is something. */
const UNSUPPORTED: Record<string, string> = {
  connection: 'set connection on the play or the task, or ansible_connection in the inventory',
  timeout: '',
  diff: 'use --diff on the command line',
  debugger: '',
  collections: 'write module names in full (community.general.ufw) or bare (ufw)',
  ignore_unreachable: '',
  port: 'set ansible_port in the inventory',
  remote_user: 'set ansible_user in the inventory (remote_user works on plays)',
  order: '',
  force_handlers: '',
  gather_subset: 'set gather_subset on the play',
  gather_timeout: '',
  fact_path: '',
  with_dict: 'use loop: with a list of mappings',
  with_list: 'use loop:',
  with_lines: '',
  with_indexed_items: 'use loop:',
  with_random_choice: '',
  max_fail_percentage: 'set max_fail_percentage on the play',
  serial: 'set serial on the play',
};

/** Throws for a key that is not in `allowed`: "not supported" for known Ansible keywords, else did-you-mean. */
export function rejectKeyword(key: string, where: string, allowed: readonly string[], loc: SourceLoc, extraCandidates: readonly string[] = []): never {
  if (key in UNSUPPORTED) {
    const hint = UNSUPPORTED[key] || undefined;
    throw new InputError(`'${key}' is an Ansible keyword that runbook does not support ${where}`, loc, hint);
  }
  const hint = didYouMean(key, [...allowed, ...extraCandidates]) ?? `known keywords: ${allowed.join(', ')}`;
  throw new InputError(`unknown keyword '${key}' ${where}`, loc, hint);
}

/** Strips collection prefixes from keyword-like keys users qualify too (`ansible.builtin.import_tasks`). */
export function bareKeyword(key: string): string {
  return key.replace(/^(ansible\.builtin|ansible\.legacy)\./, '');
}

/** The become methods runbook has: sudo (the default) and su. */
export type BecomeMethod = 'sudo' | 'su';

/**
 * `become_method:` (play, block, task, ansible_become_method, ansible.cfg): sudo or su, bare or as
 * ansible.builtin.*; any other method (doas, pbrun, ...) is refused where it is written.
 */
export function toBecomeMethod(value: unknown, loc: SourceLoc | undefined, where = 'become_method'): BecomeMethod {
  const method = typeof value === 'string' ? value.trim().replace(/^ansible\.builtin\./, '') : '';
  if (method === 'sudo' || method === 'su') return method;
  throw new InputError(
    `${where} '${String(value)}' is not supported: runbook escalates with sudo or su`,
    loc,
    'set it to sudo or su, or remove it (sudo is the default)',
  );
}

/** `become_method:` and `become_flags:` on a play, block or task, for its become to use. */
export function becomeKeywords(raw: Record<string, unknown>, at: (key: string) => SourceLoc): { becomeMethod?: BecomeMethod; becomeFlags?: string } {
  const out: { becomeMethod?: BecomeMethod; becomeFlags?: string } = {};
  if (raw.become_method !== undefined) out.becomeMethod = toBecomeMethod(raw.become_method, at('become_method'));
  if (raw.become_flags !== undefined && raw.become_flags !== null) {
    if (typeof raw.become_flags !== 'string') throw new InputError('become_flags must be a string of options, such as "-l"', at('become_flags'));
    out.becomeFlags = raw.become_flags;
  }
  return out;
}
