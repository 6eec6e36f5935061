// Finds which module a task calls: the one key that is not a task keyword (or `action:` /
// `local_action:`), with did-you-mean for a misspelt module or keyword.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { didYouMean, suggest } from '../core/suggest.js';
import { describeValue, isMapping, type YamlMap } from '../yaml/expect.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import type { ModuleInfo, TaskContext } from './context.js';
import { rejectKeyword, TASK_KEYWORDS } from './keywords.js';
import { splitArgs } from './kv.js';
import { findCustomModule, libraryDirs } from './library.js';

export interface FoundAction {
  module: ModuleInfo;
  /** What the module's arguments are made of, and where they are written. */
  value: unknown;
  valueLoc: SourceLoc;
  local: boolean;
}

const keywords: readonly string[] = TASK_KEYWORDS;

export function findAction(raw: YamlMap, loc: SourceLoc, ctx: TaskContext): FoundAction {
  const others = Object.keys(raw).filter((k) => !keywords.includes(k));
  if ('action' in raw || 'local_action' in raw) {
    if ('action' in raw && 'local_action' in raw) throw new InputError('a task has either action: or local_action:, not both', keyLocAt(raw, 'local_action', loc));
    if (others.length) rejectKeyword(others[0]!, 'in a task', keywords, keyLocAt(raw, others[0]!, loc));
    const key = 'action' in raw ? 'action' : 'local_action';
    return { ...actionForm(raw[key], locAt(raw, key, loc), ctx), local: key === 'local_action' };
  }
  const lookup = (k: string): ModuleInfo | undefined => findCustomModule(k, ctx) ?? ctx.env.modules(k);
  const known = others.filter((k) => lookup(k));
  if (known.length > 1) {
    throw new InputError(`a task calls one module, found ${known.map((k) => `'${k}'`).join(' and ')}`, keyLocAt(raw, known[1]!, loc), 'split it into two tasks');
  }
  const unknown = others.filter((k) => !known.includes(k));
  if (known.length === 1) {
    if (unknown.length) rejectKeyword(unknown[0]!, 'in a task', keywords, keyLocAt(raw, unknown[0]!, loc));
    const key = known[0]!;
    return { module: lookup(key)!, value: raw[key], valueLoc: locAt(raw, key, loc), local: false };
  }
  if (unknown.length === 0) {
    throw new InputError('task has no module', loc, 'a task needs one module key, such as `command: ls` or `copy: {src: a, dest: b}`');
  }
  // Nothing known: blame the first key that looks like a misspelt keyword, else the first as a module.
  const keywordTypo = unknown.find((k) => suggest(k, keywords) !== undefined && suggest(k, ctx.env.moduleNames) === undefined);
  if (keywordTypo !== undefined) rejectKeyword(keywordTypo, 'in a task', keywords, keyLocAt(raw, keywordTypo, loc));
  throw unknownModule(unknown[0]!, keyLocAt(raw, unknown[0]!, loc), ctx);
}

export function unknownModule(name: string, loc: SourceLoc, ctx: TaskContext): InputError {
  const names = ctx.env.moduleNames;
  // A custom module is looked for in library/ folders first (Ansible's module path): say which, so a missing file is found.
  const looked = `no custom module '${name}' in ${libraryDirs(ctx).join(', ')}`;
  const dym = didYouMean(name, names);
  const hint = dym ? `${dym} (${looked} either)` : `${looked}${names.length ? `; runbook's modules: ${names.join(', ')}` : ''}`;
  return new InputError(`unknown module '${name}'`, loc, hint);
}

/** `action: copy src=a dest=b` or `action: {module: copy, src: a}`. */
function actionForm(value: unknown, loc: SourceLoc, ctx: TaskContext): Omit<FoundAction, 'local'> {
  let name: unknown;
  let args: unknown;
  if (typeof value === 'string') {
    const first = splitArgs(value)[0];
    name = first?.text;
    args = first ? value.slice(first.end).trim() || null : null;
  } else if (isMapping(value)) {
    const { module, ...rest } = value;
    name = module;
    args = rest;
  } else {
    throw new InputError(`action must be a module call (text or a mapping with module:), found ${describeValue(value)}`, loc);
  }
  if (typeof name !== 'string' || !name) throw new InputError('action names no module', loc, 'write action: MODULE ARGS, or action: {module: MODULE, ...}');
  const module = findCustomModule(name, ctx) ?? ctx.env.modules(name);
  if (!module) throw unknownModule(name, loc, ctx);
  return { module, value: args, valueLoc: loc };
}
