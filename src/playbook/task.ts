// Reads one task (a module call with its keywords) into a typed Task, refusing anything it does not understand.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';
import { describeValue, expectMapping, type YamlMap } from '../yaml/expect.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import { findAction } from './action.js';
import { toConnection } from './connection.js';
import { toEnvironment } from './environment.js';
import type { TaskContext } from './context.js';
import { moduleArgs } from './module-args.js';
import { mergeModuleDefaults, toModuleDefaults, withModuleDefaults } from './module-defaults.js';
import type { LoopLookup, Task } from './types.js';
import { toBool, toConditions, toInt, toName, toStringList, toTags, toVars, uniq } from './values.js';
import { becomeKeywords } from './keywords.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseTask(raw: YamlMap, loc: SourceLoc, ctx: TaskContext): Task {
  const at = (k: string): SourceLoc => locAt(raw, k, loc);
  const action = findAction(raw, loc, ctx);
  const defaults = raw.module_defaults !== undefined ? mergeModuleDefaults(ctx.moduleDefaults, toModuleDefaults(raw.module_defaults, at('module_defaults'), ctx.env)) : ctx.moduleDefaults;
  const task: Task = {
    kind: 'task',
    module: action.module.name,
    args: withModuleDefaults(action.module, moduleArgs(action.module, action.value, action.valueLoc, raw.args, at('args')), defaults),
    loc,
    when: [],
    loopVar: 'item',
    notify: [],
    listen: [],
    ignoreErrors: false,
    tags: uniq([...ctx.tags, ...(raw.tags !== undefined ? toTags(raw.tags, at('tags')) : [])]),
    noLog: false,
    runOnce: false,
    vars: toVars(raw.vars, 'vars', at('vars')),
  };
  if (ctx.role) task.role = ctx.role;
  if (action.module.library) task.library = action.module.library;
  if (raw.name !== undefined && raw.name !== null) task.name = toName(raw.name, 'name', at('name'));
  if (raw.when !== undefined) task.when = toConditions(raw.when, 'when', at('when'));
  readLoop(raw, task, loc);
  if (raw.register !== undefined) {
    const r = toName(raw.register, 'register', at('register'));
    if (!IDENTIFIER.test(r)) throw new InputError(`register: '${r}' is not a valid variable name`, at('register'), 'use letters, digits and _, starting with a letter');
    task.register = r;
  }
  if (raw.notify !== undefined) task.notify = toStringList(raw.notify, 'notify', at('notify'));
  if (raw.listen !== undefined) {
    if (!ctx.handlers) throw new InputError('listen is only for handlers', keyLocAt(raw, 'listen', loc), 'move this task under handlers:, or remove listen:');
    task.listen = toStringList(raw.listen, 'listen', at('listen'));
  }
  if (raw.changed_when !== undefined) task.changedWhen = toConditions(raw.changed_when, 'changed_when', at('changed_when'));
  if (raw.failed_when !== undefined) task.failedWhen = toConditions(raw.failed_when, 'failed_when', at('failed_when'));
  if (raw.until !== undefined) {
    const conds = toConditions(raw.until, 'until', at('until'));
    task.until = conds.length === 1 ? conds[0]! : conds.map((c) => `(${c})`).join(' and ');
  }
  if (raw.ignore_errors !== undefined) task.ignoreErrors = toBool(raw.ignore_errors, 'ignore_errors', at('ignore_errors'));
  if (typeof raw.no_log === 'string' && raw.no_log.includes('{{')) task.noLogTemplate = raw.no_log;
  else if (raw.no_log !== undefined) task.noLog = toBool(raw.no_log, 'no_log', at('no_log'));
  if (raw.run_once !== undefined) task.runOnce = toBool(raw.run_once, 'run_once', at('run_once'));
  if (raw.check_mode !== undefined) task.checkMode = toBool(raw.check_mode, 'check_mode', at('check_mode'));
  if (raw.become !== undefined) task.become = toBool(raw.become, 'become', at('become'));
  Object.assign(task, becomeKeywords(raw, at));
  if (raw.become_user !== undefined) task.becomeUser = toName(raw.become_user, 'become_user', at('become_user'));
  if (raw.retries !== undefined) task.retries = toInt(raw.retries, 'retries', at('retries'));
  if (raw.delay !== undefined) task.delay = toInt(raw.delay, 'delay', at('delay'));
  if (raw.throttle !== undefined) task.throttle = toInt(raw.throttle, 'throttle', at('throttle'), 1);
  if (raw.async !== undefined) task.async = toInt(raw.async, 'async', at('async'), 1);
  if (raw.poll !== undefined) task.poll = toInt(raw.poll, 'poll', at('poll'));
  if (raw.delegate_to !== undefined) task.delegateTo = toName(raw.delegate_to, 'delegate_to', at('delegate_to'));
  if (action.local) {
    if (task.delegateTo !== undefined) throw new InputError('local_action already delegates to localhost; remove delegate_to', keyLocAt(raw, 'delegate_to', loc));
    task.delegateTo = 'localhost';
  }
  if (raw.connection !== undefined) task.connection = toConnection(raw.connection, at('connection'));
  if (raw.environment !== undefined) task.environment = toEnvironment(raw.environment, at('environment'));
  if (raw.any_errors_fatal !== undefined) task.anyErrorsFatal = toBool(raw.any_errors_fatal, 'any_errors_fatal', at('any_errors_fatal'));
  if (raw.delegate_facts !== undefined) task.delegateFacts = toBool(raw.delegate_facts, 'delegate_facts', at('delegate_facts'));
  return task;
}

/** The loop keywords of a task: loop, with_items, and the with_<lookup> forms executor/loop-lookups.ts builds. */
export const LOOP_KEYS = ['loop', 'with_items', 'with_nested', 'with_together', 'with_sequence', 'with_subelements', 'with_fileglob', 'with_first_found'] as const;

const LOOP_CONTROL = ['loop_var', 'label', 'index_var', 'extended', 'extended_allitems', 'pause'];

/** loop / with_items and loop_control onto `task` (tasks, and dynamic include_tasks). */
export function readLoop(raw: YamlMap, task: Task, loc: SourceLoc): void {
  const keys = LOOP_KEYS.filter((k) => raw[k] !== undefined);
  if (keys.length > 1) {
    throw new InputError(`a task has one loop, found ${keys.join(' and ')}`, keyLocAt(raw, keys[1]!, loc), 'keep one of them');
  }
  const key = keys[0];
  if (key) {
    if (raw[key] === null) throw new InputError(`${key} needs a list (or a template giving one)`, keyLocAt(raw, key, loc));
    task.loop = raw[key];
    // Ansible's with_items is the `items` lookup, which flattens one level: [[a, b], c] is a, b, c.
    if (key === 'with_items') task.loopFlatten = true;
    else if (key !== 'loop') task.loopLookup = key.slice('with_'.length) as LoopLookup;
  }
  if (raw.loop_control === undefined || raw.loop_control === null) return;
  const lcLoc = locAt(raw, 'loop_control', loc);
  const lc = expectMapping(raw.loop_control, 'loop_control', lcLoc);
  for (const k of Object.keys(lc)) {
    if (!LOOP_CONTROL.includes(k)) {
      throw new InputError(`loop_control: '${k}' is not supported`, keyLocAt(lc, k, lcLoc), didYouMean(k, LOOP_CONTROL) ?? `runbook supports: ${LOOP_CONTROL.join(', ')}`);
    }
  }
  if (lc.loop_var !== undefined) {
    const v = toName(lc.loop_var, 'loop_var', locAt(lc, 'loop_var', lcLoc));
    if (!IDENTIFIER.test(v)) throw new InputError(`loop_var: '${v}' is not a valid variable name`, locAt(lc, 'loop_var', lcLoc));
    task.loopVar = v;
  }
  if (lc.index_var !== undefined) {
    const v = toName(lc.index_var, 'index_var', locAt(lc, 'index_var', lcLoc));
    if (!IDENTIFIER.test(v)) throw new InputError(`index_var: '${v}' is not a valid variable name`, locAt(lc, 'index_var', lcLoc));
    task.loopIndexVar = v;
  }
  if (lc.label !== undefined) task.loopLabel = toName(lc.label, 'label', locAt(lc, 'label', lcLoc));
  if (lc.extended !== undefined && toBool(lc.extended, 'extended', locAt(lc, 'extended', lcLoc))) {
    const all = lc.extended_allitems === undefined || toBool(lc.extended_allitems, 'extended_allitems', locAt(lc, 'extended_allitems', lcLoc));
    task.loopExtended = all ? 'all' : 'no-allitems';
  } else if (lc.extended_allitems !== undefined) {
    throw new InputError('extended_allitems needs extended: true', keyLocAt(lc, 'extended_allitems', lcLoc), 'add extended: true to loop_control, or remove extended_allitems');
  }
  if (lc.pause !== undefined) task.loopPause = seconds(lc.pause, 'pause', locAt(lc, 'pause', lcLoc));
}

/** A number of seconds (fractions allowed, as Ansible's loop pause takes a float). */
function seconds(v: unknown, what: string, loc: SourceLoc): number {
  const n = typeof v === 'string' && /^\s*[0-9]+(\.[0-9]+)?\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new InputError(`${what} must be a number of seconds, found ${describeValue(v)}`, loc, typeof v === 'string' && v.includes('{{') ? 'runbook needs it known when the playbook loads; write a number' : undefined);
  }
  return n;
}
