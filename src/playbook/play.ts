// Reads one play: its hosts, variables, roles and task lists, in the order they will run.
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { describeValue, expectList, expectMapping, type YamlMap } from '../yaml/expect.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import { newPlayRoles, type LoaderEnv, type TaskContext } from './context.js';
import { toConnection } from './connection.js';
import { toEnvironment } from './environment.js';
import { checkGatherSubset } from './gather-subset.js';
import { becomeKeywords, PLAY_KEYWORDS, rejectKeyword } from './keywords.js';
import { toModuleDefaults } from './module-defaults.js';
import { parseVarsPrompt } from './vars-prompt.js';
import { parseHandlerList, parseTaskList } from './list.js';
import { expandRole } from './roles/expand.js';
import { parseRoleRef } from './roles/ref.js';
import type { Play } from './types.js';
import { toBool, toName, toStringList, toTags, toVars } from './values.js';
import { parseVarsFiles } from './vars-files.js';

const keywords: readonly string[] = PLAY_KEYWORDS;

export function parsePlay(value: unknown, loc: SourceLoc, env: LoaderEnv): Play {
  const raw = expectMapping(value, 'a play', loc, 'a playbook is a list of plays, each a mapping with hosts: and tasks:');
  const at = (k: string): SourceLoc => locAt(raw, k, loc);
  for (const k of Object.keys(raw)) {
    if (keywords.includes(k)) continue;
    if (raw.hosts === undefined && env.modules(k)) {
      throw new InputError(`'${k}' is a module, but this is a play`, keyLocAt(raw, k, loc), 'a playbook is a list of plays; put tasks under a play\'s tasks:, e.g. "- hosts: all\\n  tasks:\\n    - ..."');
    }
    rejectKeyword(k, 'in a play', keywords, keyLocAt(raw, k, loc));
  }
  if (raw.hosts === undefined || raw.hosts === null) throw new InputError('a play needs hosts:', loc, 'write hosts: all, a group name, or a pattern such as web:&prod');
  const hosts = toStringList(raw.hosts, 'hosts', at('hosts')).join(',');
  if (hosts.trim() === '') throw new InputError('hosts: is empty', at('hosts'));

  const vars: Vars = toVars(raw.vars, 'vars', at('vars'));
  const playRoles = newPlayRoles();
  const ctx: TaskContext = {
    env,
    file: env.playbookFile,
    tags: raw.tags !== undefined ? toTags(raw.tags, at('tags')) : [],
    handlers: false,
    importStack: [env.playbookFile],
    roleStack: [],
    play: playRoles,
  };
  if (raw.module_defaults !== undefined) ctx.moduleDefaults = toModuleDefaults(raw.module_defaults, at('module_defaults'), env);
  // Roles first, so an import_role in pre_tasks does not count as the play's use of that role.
  const roleNodes = roleList(raw, loc).flatMap((ref) => expandRole(ref, ctx));
  const pre = parseTaskList(raw.pre_tasks, 'pre_tasks', at('pre_tasks'), ctx);
  const tasks = parseTaskList(raw.tasks, 'tasks', at('tasks'), ctx);
  const post = parseTaskList(raw.post_tasks, 'post_tasks', at('post_tasks'), ctx);
  // One list, shared with the loader's record: a role an include_role first reads at run time adds its handlers here.
  playRoles.handlers.push(...parseHandlerList(raw.handlers, at('handlers'), { ...ctx, tags: [] }));

  const play: Play = {
    name: raw.name !== undefined && raw.name !== null ? toName(raw.name, 'name', at('name')) : hosts,
    hosts,
    vars,
    varsFiles: parseVarsFiles(raw.vars_files, at('vars_files'), ctx),
    roles: playRoles.roles,
    tasks: [...pre, ...roleNodes, ...tasks, ...post],
    handlers: playRoles.handlers,
    gatherFacts: raw.gather_facts !== undefined ? toBool(raw.gather_facts, 'gather_facts', at('gather_facts')) : true,
    serial: serial(raw.serial, at('serial')),
    anyErrorsFatal: raw.any_errors_fatal !== undefined ? toBool(raw.any_errors_fatal, 'any_errors_fatal', at('any_errors_fatal')) : false,
    loc,
  };
  if (raw.become !== undefined) play.become = toBool(raw.become, 'become', at('become'));
  Object.assign(play, becomeKeywords(raw, at));
  if (raw.become_user !== undefined) play.becomeUser = toName(raw.become_user, 'become_user', at('become_user'));
  if (raw.remote_user !== undefined) play.remoteUser = toName(raw.remote_user, 'remote_user', at('remote_user'));
  if (raw.max_fail_percentage !== undefined) play.maxFailPercentage = percentage(raw.max_fail_percentage, at('max_fail_percentage'));
  if (raw.force_handlers !== undefined) play.forceHandlers = toBool(raw.force_handlers, 'force_handlers', at('force_handlers'));
  if (raw.connection !== undefined) play.connection = toConnection(raw.connection, at('connection'));
  if (raw.gather_subset !== undefined) checkGatherSubset(raw.gather_subset, at('gather_subset'));
  if (raw.environment !== undefined) play.environment = toEnvironment(raw.environment, at('environment'));
  if (raw.strategy !== undefined) play.strategy = strategy(raw.strategy, at('strategy'));
  if (raw.vars_prompt !== undefined) play.varsPrompt = parseVarsPrompt(raw.vars_prompt, at('vars_prompt'));
  if (raw.checks !== undefined) play.checks = parseTaskList(raw.checks, 'checks', at('checks'), ctx);
  return play;
}

function roleList(raw: YamlMap, loc: SourceLoc): ReturnType<typeof parseRoleRef>[] {
  if (raw.roles === undefined || raw.roles === null) return [];
  const list = expectList(raw.roles, 'roles', locAt(raw, 'roles', loc), 'write roles: [name] or a list of {role: name, ...}');
  return list.map((entry, i) => parseRoleRef(entry, locAt(list, i, loc)));
}

/** serial: 2, "30%", or a list of them (the last repeats); 0 means every remaining host at once, as in Ansible. */
function serial(v: unknown, loc: SourceLoc): (number | string)[] {
  if (v === undefined || v === null) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((item) => {
    if (typeof item === 'number' && Number.isInteger(item) && item >= 0) return item;
    if (typeof item === 'string' && /^\s*[0-9]+\s*$/.test(item)) return Number(item);
    if (typeof item === 'string' && /^\s*[0-9]+(\.[0-9]+)?%\s*$/.test(item) && parseFloat(item) > 0) return item.trim();
    throw new InputError(`serial must be a number of hosts (0: all remaining hosts), a percentage such as "30%", or a list of them; found ${describeValue(item)}`, loc);
  });
}

function percentage(v: unknown, loc: SourceLoc): number {
  const n = typeof v === 'string' ? Number(v.replace(/%\s*$/, '')) : v;
  if (typeof n !== 'number' || Number.isNaN(n) || n < 0 || n > 100) {
    throw new InputError(`max_fail_percentage must be a number from 0 to 100, found ${describeValue(v)}`, loc);
  }
  return n;
}

/** strategy: linear (Ansible's default) or free; the others are named in the error. */
function strategy(v: unknown, loc: SourceLoc): 'linear' | 'free' {
  if (v === 'linear' || v === 'free') return v;
  const hint = v === 'host_pinned' ? 'free is the nearest: each host runs through the play on its own' : v === 'debug' ? 'runbook has no task debugger' : 'write linear or free';
  throw new InputError(`strategy: ${describeValue(v)} is not supported`, loc, hint);
}
