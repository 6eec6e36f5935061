// Turns role references into tasks: meta dependencies first (depth-first), each role once per
// play unless its parameters differ (as Ansible), a dependency loop named in full.
import { basename, join } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { SourceLoc, Vars } from '../../core/types.js';
import { didYouMean } from '../../core/suggest.js';
import { isMapping, type YamlMap } from '../../yaml/expect.js';
import { loadYamlFile } from '../../yaml/load.js';
import { revealVaultValues } from '../../vault/vault.js';
import { keyLocAt, locAt } from '../../yaml/locs.js';
import type { TaskContext } from '../context.js';
import { dynamicInclude, readImport } from '../imports.js';
import { bareKeyword, ROLE_IMPORTS } from '../keywords.js';
import { parseHandlerList, parseTaskList } from '../list.js';
import type { DynamicInclude, TaskNode } from '../types.js';
import { toName, uniq } from '../values.js';
import { wrapNodes, type Inherited } from '../wrap.js';
import { readRoleFiles, roleTaskFile } from './files.js';
import { findRole } from './find.js';
import { parseRoleRef, type RoleRef } from './ref.js';

export interface ExpandOptions {
  /** import_role's tasks_from. */
  tasksFrom?: string;
  /** import_role runs the role's tasks even if the role already ran in this play. */
  always?: boolean;
}

export function expandRole(ref: RoleRef, ctx: TaskContext, opts: ExpandOptions = {}): TaskNode[] {
  const loopStart = ctx.roleStack.findIndex((r) => r.name === ref.name);
  if (loopStart >= 0) {
    const cycle = [...ctx.roleStack.slice(loopStart).map((r) => r.name), ref.name].join(' -> ');
    throw new InputError(`role dependency cycle: ${cycle}`, ref.loc, 'remove one of these dependencies in meta/main.yml');
  }
  const dir = findRole(ref.name, ctx.env, ref.loc);
  // Its library/ serves the whole play, as Ansible adds a loaded role's modules to its module path.
  if (!ctx.play.libraryDirs.includes(join(dir, 'library'))) ctx.play.libraryDirs.push(join(dir, 'library'));
  if (ctx.env.shallow) return [];
  const files = readRoleFiles(dir, ctx.env.vault);
  const key = `${dir}\0${stableJson(ref.params)}`;
  const existing = ctx.play.byKey.get(key);
  if (existing && !files.allowDuplicates && !opts.always) return [];

  const tags = uniq([...ctx.tags, ...ref.tags]);
  const inner: TaskContext = { ...ctx, tags, roleStack: [...ctx.roleStack, { name: ref.name, loc: ref.loc }], handlers: false, importStack: [] };
  const nodes: TaskNode[] = [];
  for (const dep of files.dependencies) nodes.push(...expandRole(parseRoleRef(dep.entry, dep.loc), inner));

  let role = existing;
  if (!role) {
    role = { name: ref.name.includes('/') ? basename(dir) : ref.name, dir, defaults: files.defaults, vars: files.vars, params: ref.params, argumentSpecs: files.argumentSpecs, loc: ref.loc };
    ctx.play.roles.push(role);
    ctx.play.byKey.set(key, role);
    if (files.handlersFile && !ctx.play.handlerDirs.has(dir)) {
      ctx.play.handlerDirs.add(dir);
      const hCtx: TaskContext = { ...inner, role, file: files.handlersFile, importStack: [files.handlersFile], tags: [] };
      ctx.play.handlers.push(...parseHandlerList(revealVaultValues(loadYamlFile(files.handlersFile), files.handlersFile, ctx.env.vault), { file: files.handlersFile, line: 1, col: 1 }, hCtx));
    }
  }
  const tasksFile = opts.tasksFrom !== undefined ? roleTaskFile(dir, 'tasks', opts.tasksFrom) : files.tasksFile;
  if (opts.tasksFrom !== undefined && !tasksFile) {
    throw new InputError(`role '${ref.name}' has no tasks file '${opts.tasksFrom}'`, ref.loc, `looked in ${dir}/tasks`);
  }
  if (tasksFile) {
    const tCtx: TaskContext = { ...inner, role, file: tasksFile, importStack: [tasksFile] };
    nodes.push(...parseTaskList(revealVaultValues(loadYamlFile(tasksFile), tasksFile, ctx.env.vault), `tasks of role '${ref.name}'`, { file: tasksFile, line: 1, col: 1 }, tCtx));
  }
  const wrap = { when: ref.when, vars: {}, tags, ...(ref.become !== undefined ? { become: ref.become } : {}), ...(ref.becomeUser !== undefined ? { becomeUser: ref.becomeUser } : {}), ...(ref.environment ? { environment: ref.environment } : {}) };
  return wrapNodes(nodes, wrap, ref.loc);
}

const IMPORT_ROLE_ARGS = ['name', 'tasks_from'];

/**
 * import_role (read now) and include_role (read when reached, per host, as in Ansible): `vars:`
 * become the role's parameters. An include_role with a literal name is also tried now, so its
 * handlers can be notified; what is wrong in its tasks is only an error on a host that reaches it.
 */
export function parseImportRole(raw: YamlMap, loc: SourceLoc, ctx: TaskContext): TaskNode[] {
  const dynamic = !ctx.handlers && Object.keys(raw).some((k) => bareKeyword(k) === 'include_role');
  const { key, value, inherited } = readImport(raw, loc, ctx, ROLE_IMPORTS, dynamic);
  const valueLoc = locAt(raw, key, loc);
  if (!isMapping(value)) throw new InputError(`${key} needs a mapping with name:`, valueLoc, `write ${key}: {name: ROLE}`);
  for (const k of Object.keys(value)) {
    if (!IMPORT_ROLE_ARGS.includes(k)) throw new InputError(`${key}: unsupported argument '${k}'`, keyLocAt(value, k, valueLoc), didYouMean(k, IMPORT_ROLE_ARGS) ?? `runbook supports: ${IMPORT_ROLE_ARGS.join(', ')}`);
  }
  const name = toName(value.name, 'name', locAt(value, 'name', valueLoc));
  const opts: ExpandOptions = { always: true };
  if (value.tasks_from !== undefined) opts.tasksFrom = toName(value.tasks_from, 'tasks_from', locAt(value, 'tasks_from', valueLoc));
  if (dynamic) {
    const looped = raw.loop !== undefined || raw.with_items !== undefined;
    if (raw.loop_control !== undefined && !looped) throw new InputError(`loop_control on ${bareKeyword(key)} needs a loop`, keyLocAt(raw, 'loop_control', loc), 'add loop: (or with_items:), or remove loop_control');
    const task = dynamicInclude(raw, loc, ctx, name, inherited);
    task.module = 'include_role';
    task.include = { ...task.include!, kind: 'role', ...(opts.tasksFrom !== undefined ? { tasksFrom: opts.tasksFrom } : {}) };
    if (!name.includes('{{')) {
      try {
        expandRole(roleRef(name, inherited, [], loc), { ...ctx, tags: inherited.tags }, opts);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        ctx.env.warn?.(err, loc);
      }
    }
    return [task];
  }
  return expandRole(roleRef(name, inherited, inherited.when, loc), { ...ctx, tags: inherited.tags }, opts);
}

function roleRef(name: string, inherited: Inherited, when: string[], loc: SourceLoc): RoleRef {
  const ref: RoleRef = { name, params: inherited.vars, tags: [], when, loc };
  if (inherited.become !== undefined) ref.become = inherited.become;
  if (inherited.becomeUser !== undefined) ref.becomeUser = inherited.becomeUser;
  if (inherited.environment) ref.environment = inherited.environment;
  return ref;
}

/** Expands the role a dynamic include_role chose (run time), with the loop item bound around its tasks. */
export function readIncludedRole(include: DynamicInclude, name: string, loc: SourceLoc, extraVars: Vars): TaskNode[] {
  const opts: ExpandOptions = { always: true };
  if (include.tasksFrom !== undefined) opts.tasksFrom = include.tasksFrom;
  const nodes = expandRole(roleRef(name, include.inherited, [], loc), { ...include.ctx, tags: include.inherited.tags }, opts);
  return wrapNodes(nodes, { when: [], vars: extraVars, tags: include.inherited.tags }, loc);
}

/** JSON with sorted keys, so {a, b} and {b, a} are the same parameters. */
function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) => (isMapping(val) ? Object.fromEntries(Object.entries(val).sort(([a], [b]) => (a < b ? -1 : 1))) : val));
}

