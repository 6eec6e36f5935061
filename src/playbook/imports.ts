// import_tasks (and include_tasks, read statically for now): tasks from another file, relative
// to the including file (in a role: its tasks/ folder first), with the import's keywords applied.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { describeValue, isMapping, type YamlMap } from '../yaml/expect.js';
import { loadYamlFile } from '../yaml/load.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import { revealVaultValues } from '../vault/vault.js';
import type { TaskContext } from './context.js';
import { bareKeyword, IMPORT_KEYWORDS, rejectKeyword } from './keywords.js';
import { parseHandlerList, parseTaskList } from './list.js';
import type { TaskNode } from './types.js';
import { toBool, toConditions, toName, toTags, toVars, uniq } from './values.js';
import { wrapNodes, type Inherited } from './wrap.js';

/** Splits an import entry into its action key and the keywords that apply to what it imports. */
export function readImport(raw: YamlMap, loc: SourceLoc, ctx: TaskContext, actions: readonly string[]): { key: string; value: unknown; inherited: Inherited } {
  const keys = Object.keys(raw);
  const key = keys.find((k) => actions.includes(bareKeyword(k)))!;
  const allowed: readonly string[] = IMPORT_KEYWORDS;
  for (const k of keys) {
    if (k === key || allowed.includes(k)) continue;
    if (k === 'loop' || k === 'with_items') {
      throw new InputError(`${k} on ${bareKeyword(key)} is not supported: runbook reads imports when the playbook loads`, keyLocAt(raw, k, loc), 'put the loop on the tasks inside the imported file');
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
  return { key, value: raw[key], inherited };
}

export function parseImportTasks(raw: YamlMap, loc: SourceLoc, ctx: TaskContext): TaskNode[] {
  const { key, value, inherited } = readImport(raw, loc, ctx, ['import_tasks', 'include_tasks', 'include']);
  const valueLoc = locAt(raw, key, loc);
  const name = isMapping(value) && Object.keys(value).length === 1 ? value.file : value;
  if (typeof name !== 'string' || name === '') {
    throw new InputError(`${bareKeyword(key)} needs a file name, found ${describeValue(value)}`, valueLoc, `write ${bareKeyword(key)}: other.yml (or file: other.yml)`);
  }
  if (name.includes('{{')) {
    throw new InputError(`${bareKeyword(key)}: runbook reads task files when the playbook loads, so the file name cannot be a template`, valueLoc, 'name the file literally and choose tasks with when:');
  }
  const file = resolveTaskFile(name, ctx, valueLoc, bareKeyword(key));
  if (ctx.importStack.includes(file)) {
    throw new InputError(`import loop: ${[...ctx.importStack, file].join(' -> ')}`, valueLoc, 'a task file cannot import itself, directly or through others');
  }
  const inner: TaskContext = { ...ctx, file, tags: inherited.tags, importStack: [...ctx.importStack, file] };
  const data = revealVaultValues(loadYamlFile(file, valueLoc), file, ctx.env.vault);
  const fileLoc: SourceLoc = { file, line: 1, col: 1 };
  if (ctx.handlers) {
    if (inherited.when.length || Object.keys(inherited.vars).length || inherited.become !== undefined || inherited.becomeUser !== undefined) {
      throw new InputError(`when/vars/become on ${bareKeyword(key)} in handlers is not supported`, loc, 'put them on each handler in the imported file');
    }
    return parseHandlerList(data, fileLoc, inner);
  }
  const nodes = parseTaskList(data, `tasks in ${file}`, fileLoc, inner);
  return wrapNodes(nodes, inherited, loc, ctx.role);
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
