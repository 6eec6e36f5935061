// What each play, task and block keyword accepts and means, as editors show it on hover. The lists
// of keywords come from src/playbook/keywords.ts; this file only says what their values look like.
import { conditions, identifier, literalBool, literalInt, mapping, stringList, text, type JsonSchema } from './values.js';

/** `environment:` on a play, block, task, import or role: a mapping of names to scalars, a template giving one, or a list of those. */
function environmentSchema(description: string): JsonSchema {
  const one: JsonSchema = {
    type: ['object', 'string'],
    pattern: '\\{\\{',
    patternErrorMessage: 'a mapping of variable names to values, or a template giving one ("{{ proxy_env }}")',
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', not: { const: 'IFS' } },
    additionalProperties: { type: ['string', 'number', 'boolean', 'null'] },
  };
  return { description, anyOf: [one, { type: 'array', items: one }, { type: 'null' }] };
}

function connectionSchema(description: string): JsonSchema {
  return { description, enum: ['local', 'ssh', 'smart', 'paramiko', 'paramiko_ssh', 'ansible.builtin.local', 'ansible.builtin.ssh', 'ansible.builtin.paramiko_ssh'] };
}

const ENVIRONMENT_TEXT =
  'Environment variables for the commands this runs on the host, e.g. {http_proxy: "{{ proxy }}"}. Values may be templates; a template giving a mapping works too. The play\'s, the blocks\' and the task\'s are merged, the nearest winning. Values reach the host on stdin, never on a command line.';

const MODULE_DEFAULTS: JsonSchema = {
  description: 'Default arguments per module ({apt: {update_cache: true}}), under the task\'s own; the play\'s, the blocks\' and the task\'s are merged, the nearest winning. By module name (group/... action groups are not supported).',
  type: ['object', 'array', 'null'],
  additionalProperties: { type: ['object', 'null'] },
};

/** Keywords shared by tasks, blocks, imports and role references. `$ref`s point at definitions the builders add. */
export const TASK_KEYWORD_SCHEMAS: Record<string, JsonSchema> = {
  name: text('What this does, shown in the output. On a handler, the name that notify: refers to.'),
  when: conditions("Run only when this condition holds (runbook's expression language, e.g. ansible_os_family == 'Debian'); a list means all of them."),
  loop: { description: 'Run the task once per item of this list (or of the list a {{template}} gives); the item is {{item}}.', type: ['array', 'string'] },
  with_items: { description: "Ansible's older spelling of loop:; a list inside the list is flattened into it (one level), as Ansible's with_items does.", type: ['array', 'string'] },
  with_nested: { description: 'Loop over every combination of the lists given ([[a, b], [1, 2]]: [a, 1], [a, 2], [b, 1], [b, 2]); the item is a list, {{ item.0 }}, {{ item.1 }}.', type: ['array', 'string'] },
  with_together: { description: 'Loop over the lists side by side ([[a, b], [1, 2]]: [a, 1], [b, 2]); a shorter list gives null.', type: ['array', 'string'] },
  with_sequence: { description: 'Loop over numbers, as strings: "start=1 end=5 stride=1 format=web%02d", "count=3", or "1-5/1:web%02d".', type: ['string', 'array'] },
  with_subelements: { description: "Loop over [element, subelement] pairs: [users, 'keys'] gives {{ item.0 }} (a user) and {{ item.1 }} (one of its keys); a third term {skip_missing: true} skips elements without the key.", type: ['array', 'string'] },
  with_fileglob: { description: "Loop over the controller's files matching a pattern (relative ones in the role's files/, then the playbook's files/ and folder), sorted.", type: ['array', 'string'] },
  with_first_found: { description: 'One item: the first of these controller files that exists (names, or {files: [...], paths: [...], skip: true}).', type: ['array', 'string', 'object'] },
  loop_control: {
    description: 'How the loop names its item and shows it.',
    type: ['object', 'null'],
    properties: {
      loop_var: identifier('The variable holding the current item, instead of item (for loops inside included tasks).'),
      label: text('What the output shows for each item, instead of the whole item.'),
      index_var: identifier('A variable holding the index of the current item (0, 1, ...).'),
      extended: literalBool('Give each item ansible_loop: index, index0, revindex, revindex0, first, last, length, previtem, nextitem and allitems.'),
      extended_allitems: literalBool('With extended: false leaves allitems out of ansible_loop (for long lists).'),
      pause: {
        description: 'Seconds to wait between items (not before the first).',
        type: ['number', 'string'],
        minimum: 0,
        pattern: '^\\s*[0-9]+(\\.[0-9]+)?\\s*$',
        patternErrorMessage: 'a number of seconds, known when the playbook loads',
      },
    },
    additionalProperties: false,
  },
  register: identifier("Save the task's result (rc, stdout, changed, failed, module data) in this variable for later tasks."),
  notify: stringList("Handler names or listen topics to run at the end of the play (or at meta: flush_handlers) when this task changed something."),
  listen: stringList('Topics this handler also answers to: notify: a topic to run every handler listening to it.'),
  changed_when: conditions("Decide 'changed' yourself: a condition on the result (false: never report a change)."),
  failed_when: conditions("Decide 'failed' yourself: a condition on the result, e.g. result.rc not in [0, 2]."),
  ignore_errors: literalBool('Go on with this host when the task fails; the recap counts it as ignored.'),
  tags: stringList('Tags for --tags / --skip-tags: a name, "a, b", or a list. always and never are special.'),
  check_mode: literalBool('true: this task never changes anything, even without --check. false: it runs for real even under --check.'),
  no_log: literalBool("Hide this task's arguments and results from every output (for secrets)."),
  retries: literalInt('With until: how many more times to try (default 3). The registered result holds attempts.'),
  until: conditions('Retry the task until this condition on its result holds (see retries and delay).'),
  delay: literalInt('Seconds to wait between retries.'),
  become: literalBool('Run with sudo as become_user (root by default).'),
  become_user: text('The user become: switches to (default root).'),
  become_method: { description: "How become: switches user: sudo (the default) or su (the become user's password, typed at su's prompt on a terminal). ansible_become_method in the inventory wins over it, as in Ansible.", enum: ['sudo', 'su', 'ansible.builtin.sudo', 'ansible.builtin.su'] },
  become_flags: text('Extra options for su or sudo, such as "-l" (a login shell for su) or "-i".'),
  run_once: literalBool("Run on the first host of the batch only; every host of the batch gets that result."),
  delegate_to: text('Run this task on another inventory host instead (for example the load balancer), with this host\'s variables.'),
  delegate_facts: literalBool('With delegate_to: facts the task gathers or sets go to the delegated host instead of this one.'),
  throttle: literalInt('At most this many hosts run this task at the same time.', 1),
  async: literalInt('The task may run at most this many seconds; with poll: 0 it runs detached on the host and async_status reads its job.', 1),
  poll: literalInt('With async: 0 starts the job and goes on (async_status reads it); more runs it in the foreground, stopped at the async deadline.'),
  vars: mapping('Variables for this task (or block, or import) only.'),
  environment: environmentSchema(ENVIRONMENT_TEXT),
  connection: connectionSchema("local: run this task on the controller instead of over SSH (the inventory's ansible_connection still wins)."),
  args: { description: "The module's arguments as a mapping; arguments written on the module itself win.", type: ['object', 'null'] },
  action: {
    description: "Ansible's older form: action: copy src=a dest=b, or action: {module: copy, src: a, dest: b}.",
    type: ['string', 'object'],
    properties: { module: { description: 'The module to call.', type: 'string' } },
    required: ['module'],
  },
  local_action: {
    description: 'Like action:, but run on the controller (delegate_to: localhost).',
    type: ['string', 'object'],
    properties: { module: { description: 'The module to call.', type: 'string' } },
    required: ['module'],
  },
  any_errors_fatal: literalBool("A failure of this task (of the block's tasks), unless a rescue takes it, stops the play on every host."),
  module_defaults: MODULE_DEFAULTS,
  block: { description: 'Tasks run in order; when one fails, the tasks of rescue: run.', $ref: '#/definitions/taskList' },
  rescue: { description: 'Tasks run when a task of block: failed; the host then counts as rescued, not failed.', $ref: '#/definitions/taskList' },
  always: { description: 'Tasks run after block: (and rescue:), whatever happened.', $ref: '#/definitions/taskList' },
};

/** Keywords of a play. */
export const PLAY_KEYWORD_SCHEMAS: Record<string, JsonSchema> = {
  name: text('The play\'s name, shown in the PLAY banner (default: its hosts).'),
  hosts: {
    description: 'The inventory hosts this play runs on: all, a group, a host, or a pattern (web:&prod, web:!web3, web[0:2]); a list is joined.',
    type: ['string', 'array'],
    pattern: '\\S',
    minItems: 1,
    items: { type: ['string', 'number'] },
  },
  vars: mapping('Variables for every task of the play.'),
  vars_files: {
    description: 'Variable files, relative to the playbook (vars/NAME, then NAME). An entry that is a list means the first of those files that exists. A name with {{ }} (vars/{{ ansible_os_family }}.yml) is read per host once its variables are known.',
    type: ['array', 'null'],
    items: { type: ['string', 'array'], items: { type: 'string' } },
  },
  roles: { description: 'Roles to run before tasks:, each a name or {role: NAME, tags: ..., when: ..., vars: ..., PARAMETER: value}.', type: ['array', 'null'], items: { $ref: '#/definitions/roleRef' } },
  pre_tasks: { description: 'Tasks run before the roles.', $ref: '#/definitions/taskList' },
  tasks: { description: 'Tasks run after the roles.', $ref: '#/definitions/taskList' },
  post_tasks: { description: 'Tasks run after tasks:, once its handlers have run.', $ref: '#/definitions/taskList' },
  handlers: { description: 'Tasks run at the end of the play (or at meta: flush_handlers), once, when a task notified them.', $ref: '#/definitions/handlerList' },
  become: literalBool('Run every task with sudo as become_user (root by default).'),
  become_user: text('The user become: switches to (default root).'),
  become_method: { description: "How become: switches user: sudo (the default) or su (the become user's password, typed at su's prompt on a terminal). ansible_become_method in the inventory wins over it, as in Ansible.", enum: ['sudo', 'su', 'ansible.builtin.sudo', 'ansible.builtin.su'] },
  become_flags: text('Extra options for su or sudo, such as "-l" (a login shell for su) or "-i".'),
  gather_facts: literalBool("Read each host's facts (ansible_os_family, ansible_default_ipv4 ...) before the first task. Default true."),
  serial: {
    description: 'Roll the play out in batches: a number of hosts, a percentage ("30%"), or a list of them such as [1, 5, "25%"] (the last repeats); 0 puts every remaining host in one batch, as in Ansible. Each batch runs the whole play, its handlers included, before the next starts.',
    anyOf: [{ $ref: '#/definitions/serialStep' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/serialStep' } }],
  },
  max_fail_percentage: {
    description: 'Stop the rollout when more than this percentage of a batch failed (0: any failure stops it). The hosts not run are named in the recap; exit code 8.',
    type: ['number', 'string'],
    minimum: 0,
    maximum: 100,
    pattern: '^\\s*(?:100(?:\\.0+)?|[0-9]{1,2}(?:\\.[0-9]+)?)\\s*%?\\s*$',
    patternErrorMessage: 'a number from 0 to 100, optionally with %',
  },
  any_errors_fatal: literalBool('A failure on any host stops the play on every host.'),
  tags: stringList('Tags every task of the play gets, for --tags / --skip-tags.'),
  remote_user: text('The SSH user for hosts whose inventory sets no ansible_user.'),
  checks: { description: 'Health checks: tasks run on each batch after its handlers; a failing check is that host\'s failure (and counts toward max_fail_percentage).', $ref: '#/definitions/taskList' },
  force_handlers: literalBool('Run notified handlers even on hosts that failed afterwards.'),
  environment: environmentSchema(ENVIRONMENT_TEXT),
  connection: connectionSchema("local: run the play's tasks on the controller instead of over SSH (hosts: localhost is the usual pairing); the inventory's ansible_connection still wins."),
  strategy: { description: 'linear: each task runs on every host before the next starts; free: each host runs through the tasks on its own.', enum: ['linear', 'free'] },
  module_defaults: MODULE_DEFAULTS,
  vars_prompt: {
    description: 'Variables asked on the terminal when the play starts; without a terminal, -e or the default (else an error naming -e).',
    type: ['array', 'null'],
    items: {
      type: 'object',
      properties: {
        name: identifier('The variable.'),
        prompt: text('The question.'),
        default: { description: 'The value when nothing is typed, or when there is no terminal.', type: ['string', 'number', 'boolean'] },
        private: literalBool('Do not echo the answer (default true); it is masked in every output.'),
        confirm: literalBool('Ask twice; the answers must match.'),
        unsafe: literalBool('Accepted; the answer is a plain value.'),
      },
      required: ['name'],
      additionalProperties: false,
    },
  },
  gather_subset: {
    description: "Ansible's fact subsets (all, min, network, !hardware, ...). Checked for typos; runbook always gathers its one fixed set in one command.",
    type: ['string', 'array'],
    items: { type: 'string' },
  },
};

/** What the import keywords mean; their spellings with a collection prefix get the same text. */
export const IMPORT_DOCS: Record<string, string> = {
  import_tasks: 'Tasks from another file, in place. The path is relative to this file (in a role, to its tasks/ folder). Keywords beside it apply to every imported task.',
  include_tasks: 'Tasks from another file, read when a host reaches it (its when is tested once, there): the name may be a template, and a loop includes it per item. In handlers it is read when the playbook loads, as import_tasks.',
  include: "Ansible's old name for include_tasks.",
  import_role: "A role's tasks, in place: {name: ROLE, tasks_from: FILE}. vars: beside it become the role's parameters.",
  include_role: "A role's tasks, read when a host reaches it (its when is tested once, there): {name: ROLE, tasks_from: FILE}; the name may be a template, and a loop includes it per item.",
  import_playbook: 'The plays of another playbook file, in place (a literal file name, relative to this playbook).',
};
