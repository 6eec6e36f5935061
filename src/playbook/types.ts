// The loaded, validated playbook: plain typed data, no behaviour. Strings may still hold
// Handlebars templates; they are rendered per host at run time.
import type { SourceLoc, Vars } from '../core/types.js';
import type { TaskContext } from './context.js';
import type { EnvironmentLayer } from './environment.js';
import type { Inherited } from './wrap.js';
import type { PromptEncrypt } from './prompt-encrypt.js';

/** Typed role arguments from meta/argument_specs.yml (entry point `main`). */
export interface ArgumentSpec {
  type: 'str' | 'int' | 'bool' | 'list' | 'dict' | 'path' | 'raw' | 'float';
  required?: boolean;
  default?: unknown;
  choices?: unknown[];
  /** Minimum length for strings and lists (runbook's extension: `min_length`). */
  minLength?: number;
  noLog?: boolean;
  description?: string;
  elements?: string;
  loc: SourceLoc;
}

export interface Role {
  name: string;
  dir: string;
  defaults: Vars;
  vars: Vars;
  /** Parameters given where the role is referenced (`roles: [{role: x, foo: 1}]`). */
  params: Vars;
  argumentSpecs: Record<string, ArgumentSpec>;
  loc: SourceLoc;
}

/** with_<lookup> loops built from their rendered terms (executor/loop-lookups.ts). */
export type LoopLookup = 'nested' | 'together' | 'sequence' | 'subelements' | 'fileglob' | 'first_found';

export interface Task {
  kind: 'task';
  name?: string;
  /** Canonical module name (ansible.builtin. prefix removed). */
  module: string;
  /** A custom module's file (a role's or the playbook's library/): the task runs it instead of a built-in. */
  library?: string;
  /** Raw arguments: a map, or a free-form string for command/shell. Rendered per host. */
  args: Record<string, unknown> | string;
  loc: SourceLoc;
  when: string[];
  loop?: unknown;
  loopVar: string;
  loopLabel?: string;
  /** loop_control.index_var: the variable holding the item's index. */
  loopIndexVar?: string;
  /** with_items: a list inside the loop's list is flattened into it, one level. */
  loopFlatten?: boolean;
  /** with_nested, with_sequence, ...: the list comes from this lookup over the rendered terms. */
  loopLookup?: LoopLookup;
  /** loop_control.extended: ansible_loop (index, first, last, length, ...) for each item; 'no-allitems' leaves allitems out. */
  loopExtended?: 'all' | 'no-allitems';
  /** loop_control.pause: seconds to wait between items. */
  loopPause?: number;
  register?: string;
  notify: string[];
  /** Handler topics (handlers only). */
  listen: string[];
  changedWhen?: string[];
  failedWhen?: string[];
  ignoreErrors: boolean;
  tags: string[];
  checkMode?: boolean;
  noLog: boolean;
  /** A templated no_log (`"{{ hide_output }}"`), decided per host when the task runs; noLog is then false. */
  noLogTemplate?: string;
  retries?: number;
  until?: string;
  delay?: number;
  become?: boolean;
  becomeUser?: string;
  /** become_method: sudo or su; undefined where not written. */
  becomeMethod?: 'sudo' | 'su';
  /** become_flags: options for su (or sudo) where written. */
  becomeFlags?: string;
  runOnce: boolean;
  delegateTo?: string;
  /** any_errors_fatal on the task: its failure on any host stops the play on every host. */
  anyErrorsFatal?: boolean;
  /** delegate_facts: facts the task gathers or sets go to the delegate instead of the host it runs for. */
  delegateFacts?: boolean;
  throttle?: number;
  /** async: the task may run at most this many seconds (Ansible's async); with poll 0 it runs detached on the host. */
  async?: number;
  /** poll: with async, 0 starts the job detached (async_status reads it); more runs it in the foreground. */
  poll?: number;
  /** connection: local runs the task on the controller (the inventory's ansible_connection wins). */
  connection?: 'ssh' | 'local';
  /** environment: variables for the commands the task runs on the host (merged over its blocks' and play's). */
  environment?: EnvironmentLayer[];
  vars: Vars;
  /** Role the task came from: its files/ and templates/ are searched first, its vars apply. */
  role?: Role;
  /** Set on a dynamic include_tasks or include_role (module of that name): chosen and read per host at run time. */
  include?: DynamicInclude;
}

/**
 * include_tasks with a templated file name or a loop: rendered per host (and item) when the task
 * runs, then read and run for the hosts that chose it, as Ansible's dynamic includes are.
 */
export interface DynamicInclude {
  /** include_tasks reads a task file; include_role expands a role (its tasks_from file) when reached. */
  kind: 'tasks' | 'role';
  /** The file (or role) name as written; may hold a template. Found like import_tasks' (import_role's) once rendered. */
  file: string;
  /** include_role's tasks_from. */
  tasksFrom?: string;
  /** Where the include was read (file, role, imports in progress), to read the chosen file later. */
  ctx: TaskContext;
  /** tags, vars, become and become_user written beside include_tasks: they apply to every included task. */
  inherited: Inherited;
}

export interface Block {
  kind: 'block';
  name?: string;
  block: TaskNode[];
  rescue: TaskNode[];
  always: TaskNode[];
  when: string[];
  tags: string[];
  vars: Vars;
  become?: boolean;
  becomeUser?: string;
  /** become_method: sudo or su; undefined where not written. */
  becomeMethod?: 'sudo' | 'su';
  /** become_flags: options for su (or sudo) where written. */
  becomeFlags?: string;
  environment?: EnvironmentLayer[];
  ignoreErrors: boolean;
  /** any_errors_fatal on the block: a failure of any of its tasks (not rescued) stops the play on every host. */
  anyErrorsFatal?: boolean;
  role?: Role;
  loc: SourceLoc;
}

export type TaskNode = Task | Block;

/**
 * One vars_files entry. A literal name is read with the playbook; a name with `{{ }}` (a host's
 * facts, an inventory variable) is rendered per host while running (src/executor/vars-files.ts).
 */
export type VarsFileEntry =
  | { kind: 'loaded'; vars: Vars }
  | {
      kind: 'per-host';
      /** The names as written, tried in order: the first that exists is read (Ansible's list form). */
      names: string[];
      /** The folder of the playbook file holding the play: relative names are looked for there. */
      dir: string;
      /** The entry in the playbook, for errors. */
      loc: SourceLoc;
    };

export interface Play {
  name: string;
  /** Host pattern, as in Ansible (`web:&prod`, `all:!db`, wildcards). */
  hosts: string;
  vars: Vars;
  /** vars_files in order: loaded while reading, or (a name that needs a variable) per host while running. */
  varsFiles: VarsFileEntry[];
  roles: Role[];
  /** pre_tasks, then every role's tasks, then tasks, then post_tasks: the order they run. */
  tasks: TaskNode[];
  handlers: Task[];
  /** The play's become keyword; undefined when not written (then -b decides). */
  become?: boolean;
  becomeUser?: string;
  /** become_method: sudo or su; undefined where not written. */
  becomeMethod?: 'sudo' | 'su';
  /** become_flags: options for su (or sudo) where written. */
  becomeFlags?: string;
  /** remote_user: the login user where the inventory sets no ansible_user (it beats -u, as in Ansible). */
  remoteUser?: string;
  /** connection: local runs the play on the controller (the inventory's ansible_connection wins). */
  connection?: 'ssh' | 'local';
  /** environment: for every task of the play (blocks and tasks add to it and win). */
  environment?: EnvironmentLayer[];
  gatherFacts: boolean;
  /** Batch sizes: numbers or percentages ("30%"); the last repeats. Empty: all hosts at once. */
  serial: (number | string)[];
  maxFailPercentage?: number;
  anyErrorsFatal: boolean;
  /** strategy: linear (each task on every host before the next) or free (each host runs through the play on its own). */
  strategy?: 'linear' | 'free';
  /** vars_prompt: variables asked on the terminal when the play starts (vars-prompt.ts). */
  varsPrompt?: VarsPrompt[];
  /** force_handlers: notified handlers run at the end of the play even on hosts that failed (like --force-handlers). */
  forceHandlers?: boolean;
  /** Health gate (issue 5): tasks run on each serial batch after its handlers; a failing check fails that host. */
  checks?: TaskNode[];
  loc: SourceLoc;
}

/** One vars_prompt entry. */
export interface VarsPrompt {
  name: string;
  prompt: string;
  default?: string;
  /** Not echoed while typed (Ansible's default), and masked in every output. */
  private: boolean;
  /** Asked twice; the two answers must match. */
  confirm: boolean;
  /** encrypt (with salt, salt_size): the variable holds the answer's crypt hash, not the answer. */
  encrypt?: PromptEncrypt;
  loc: SourceLoc;
}

export interface Playbook {
  file: string;
  dir: string;
  plays: Play[];
}
