// import_tasks and include_tasks: tasks from another file, relative to the including file (in a
// role: its tasks/ folder first), with the import's keywords applied. import_tasks is read now;
// include_tasks is dynamic, as in Ansible: it becomes a task that picks and reads the file per host
// when reached, so an OS-guarded include of tasks this host cannot run costs nothing on it.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { describeValue, isMapping, type YamlMap } from '../yaml/expect.js';
import { loadYamlFile } from '../yaml/load.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import { revealVaultValues } from '../vault/vault.js';
import type { TaskContext } from './context.js';
import { toEnvironment } from './environment.js';
import { bareKeyword, IMPORT_KEYWORDS, rejectKeyword } from './keywords.js';
import { parseHandlerList, parseTaskList } from './list.js';
import { LOOP_KEYS, readLoop } from './task.js';
import type { DynamicInclude, Task, TaskNode } from './types.js';
import { toBool, toConditions, toName, toTags, toVars, uniq } from './values.js';
import { filesNamedBy } from './include-probe.js';
import { wrapNodes, type Inherited } from './wrap.js';

/** Loop keywords a dynamic include_tasks takes. */
const INCLUDE_LOOP_KEYWORDS: readonly string[] = [...LOOP_KEYS, 'loop_control'];

/** Splits an import entry into its action key and the keywords that apply to what it imports. */
export function readImport(raw: YamlMap, loc: SourceLoc, ctx: TaskContext, actions: readonly string[], loops = false): { key: string; value: unknown; inherited: Inherited } {
  const keys = Object.keys(raw);
  const key = keys.find((k) => actions.includes(bareKeyword(k)))!;
  const allowed: readonly string[] = loops ? [...IMPORT_KEYWORDS, ...INCLUDE_LOOP_KEYWORDS] : IMPORT_KEYWORDS;
  for (const k of keys) {
    if (k === key || allowed.includes(k)) continue;
    if ((LOOP_KEYS as readonly string[]).includes(k)) {
      const hint = ctx.handlers ? 'put the loop on the handlers inside the file' : 'use include_tasks for a loop over a task file, or put the loop on the tasks inside it';
      throw new InputError(`${k} on ${bareKeyword(key)} is not supported: ${bareKeyword(key)} is read when the playbook loads`, keyLocAt(raw, k, loc), hint);
    }
    rejectKeyword(k, `beside ${bareKeyword(key)}`, allowed, keyLocAt(raw, k, loc));
  }
  const at = (k: string): SourceLoc => locAt(raw, k, loc);
  const inherited: Inherited = {
    when: raw.when !== undefined ? toConditions(raw.when, 'when', at('when')) : [],
    vars: toVars(raw.vars, 'vars', at('vars')),
    tags: uniq([...ctx.tags, ...(raw.tags !== undefined ? toTags(raw.tags, at('tags')) : [])]),
  };
  if (raw.name !== undefined && raw.name !== null) inherited.name = toName(raw.name, 'name', at('name'));
  if (raw.become !== undefined) inherited.become = toBool(raw.become, 'become', at('become'));
  if (raw.become_user !== undefined) inherited.becomeUser = toName(raw.become_user, 'become_user', at('become_user'));
  if (raw.environment !== undefined) inherited.environment = toEnvironment(raw.environment, at('environment'));
  return { key, value: raw[key], inherited };
}

export function parseImportTasks(raw: YamlMap, loc: SourceLoc, ctx: TaskContext): TaskNode[] {
  const action = bareKeyword(Object.keys(raw).find((k) => ['import_tasks', 'include_tasks', 'include'].includes(bareKeyword(k)))!);
  const including = action !== 'import_tasks' && !ctx.handlers;
  const { key, value, inherited } = readImport(raw, loc, ctx, ['import_tasks', 'include_tasks', 'include'], including);
  const valueLoc = locAt(raw, key, loc);
  const name = isMapping(value) && Object.keys(value).length === 1 ? value.file : value;
  if (typeof name !== 'string' || name === '') {
    throw new InputError(`${bareKeyword(key)} needs a file name, found ${describeValue(value)}`, valueLoc, `write ${bareKeyword(key)}: other.yml (or file: other.yml)`);
  }
  const looped = LOOP_KEYS.some((k) => raw[k] !== undefined);
  if (raw.loop_control !== undefined && !looped) throw new InputError(`loop_control on ${bareKeyword(key)} needs a loop`, keyLocAt(raw, 'loop_control', loc), 'add loop: (or with_items:), or remove loop_control');
  if (including) {
    const task = dynamicInclude(raw, loc, ctx, name, inherited);
    if (ctx.env.warn) probeInclude(name, ctx, inherited, loc, valueLoc, ctx.env.warn);
    return [task];
  }
  if (name.includes('{{')) {
    throw new InputError(`${bareKeyword(key)}: ${ctx.handlers ? 'handlers are' : 'import_tasks is'} read when the playbook loads, so the file name cannot be a template`, valueLoc, ctx.handlers ? 'name the file literally' : 'use include_tasks for a file chosen at run time');
  }
  const file = resolveTaskFile(name, ctx, valueLoc, bareKeyword(key));
  if (ctx.env.shallow) return [];
  if (ctx.handlers) {
    if (inherited.when.length || Object.keys(inherited.vars).length || inherited.become !== undefined || inherited.becomeUser !== undefined || inherited.environment?.length) {
      throw new InputError(`when/vars/become/environment on ${bareKeyword(key)} in handlers is not supported`, loc, 'put them on each handler in the imported file');
    }
    const { data, inner } = openTaskFile(file, ctx, inherited.tags, valueLoc);
    return parseHandlerList(data, { file, line: 1, col: 1 }, inner);
  }
  return readTaskFile(file, ctx, inherited, loc, valueLoc);
}

/** Reads a task file for an import (load time) or a dynamic include (run time), refusing an import loop. */
function openTaskFile(file: string, ctx: TaskContext, tags: string[], at: SourceLoc): { data: unknown; inner: TaskContext } {
  if (ctx.importStack.includes(file)) {
    throw new InputError(`import loop: ${[...ctx.importStack, file].join(' -> ')}`, at, 'a task file cannot import or include itself, directly or through others');
  }
  const inner: TaskContext = { ...ctx, file, tags, importStack: [...ctx.importStack, file] };
  return { data: revealVaultValues(loadYamlFile(file, at), file, ctx.env.vault), inner };
}

/** A task file's tasks, wrapped so the import's (or include's) keywords apply to each of them. */
function readTaskFile(file: string, ctx: TaskContext, inherited: Inherited, loc: SourceLoc, at: SourceLoc): TaskNode[] {
  const { data, inner } = openTaskFile(file, ctx, inherited.tags, at);
  return wrapNodes(parseTaskList(data, `tasks in ${file}`, { file, line: 1, col: 1 }, inner), inherited, loc, ctx.role);
}

/**
 * The task standing for a dynamic include_tasks: its `when` and loop decide, per host, whether and
 * how often the file is included; its vars, become and tags go to the included tasks.
 */
export function dynamicInclude(raw: YamlMap, loc: SourceLoc, ctx: TaskContext, file: string, inherited: Inherited): Task {
  const task: Task = {
    kind: 'task', module: 'include_tasks', args: {}, loc, when: inherited.when, loopVar: 'item', notify: [], listen: [],
    // The include's vars are seen by its own when, loop and file name too, as in Ansible.
    ignoreErrors: false, tags: inherited.tags, noLog: false, runOnce: false, vars: inherited.vars,
    // The when stays on the include (tested once per host and item), not on each included task.
    include: { kind: 'tasks', file, ctx, inherited: { ...inherited, when: [] } },
  };
  if (inherited.name !== undefined) task.name = inherited.name;
  if (ctx.role) task.role = ctx.role;
  readLoop(raw, task, loc);
  return task;
}

/** Reads what a dynamic include can name now, reporting instead of throwing: the run may never get there. */
function probeInclude(name: string, ctx: TaskContext, inherited: Inherited, loc: SourceLoc, at: SourceLoc, warn: (p: InputError, includedAt: SourceLoc) => void): void {
  const templated = name.includes('{{');
  let files = filesNamedBy(name, ctx);
  if (!templated) files = files.slice(0, 1);
  if (!templated && files.length === 0) {
    try {
      resolveTaskFile(name, ctx, at, 'include_tasks');
    } catch (err) {
      if (err instanceof InputError) warn(err, loc);
      else throw err;
    }
  }
  for (const file of files) {
    if (ctx.importStack.includes(file)) continue;
    try {
      readTaskFile(file, ctx, inherited, loc, at);
    } catch (err) {
      if (err instanceof InputError) warn(err, loc);
      else throw err;
    }
  }
}

/** Reads the file a dynamic include chose (run time): its tasks, with the include's vars, item and become. */
export function readIncludedFile(include: DynamicInclude, file: string, loc: SourceLoc, extraVars: Vars): TaskNode[] {
  const inherited = { ...include.inherited, vars: { ...include.inherited.vars, ...extraVars } };
  return readTaskFile(file, include.ctx, inherited, loc, loc);
}

/** In a role: its tasks/ folder, then beside the including file; elsewhere: beside the including file, then the playbook. */
export function resolveTaskFile(name: string, ctx: TaskContext, loc: SourceLoc, what: string): string {
  if (isAbsolute(name)) {
    if (isFile(name)) return name;
    throw new InputError(`${what}: file not found: ${name}`, loc);
  }
  const bases = ctx.role ? [join(ctx.role.dir, 'tasks'), dirname(ctx.file)] : [dirname(ctx.file), ctx.env.playbookDir];
  const candidates = [...new Set(bases.map((b) => resolve(b, name)))];
  const found = candidates.find(isFile);
  if (found) return found;
  throw new InputError(`${what}: file not found: ${name}`, loc, `looked for ${candidates.join(', ')}`);
}

function isFile(p: string): boolean {
  return existsSync(p) && statSync(p).isFile();
}
