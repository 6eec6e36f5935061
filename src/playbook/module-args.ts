// A task's module arguments in every form Ansible accepts: a mapping, `k=v` text, free-form
// text (`command: ls -l`), plus the `args:` keyword; every argument name checked against the module.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { UnsafeText } from '../core/unsafe.js';
import { didYouMean } from '../core/suggest.js';
import { describeValue, isMapping, type YamlMap } from '../yaml/expect.js';
import { keyLocAt, locAt, octalSourceOf } from '../yaml/locs.js';
import type { ModuleInfo } from './context.js';
import { kvValue, splitArgs, splitAssignment } from './kv.js';

export type TaskArgs = Record<string, unknown> | string;

/**
 * Builds the raw arguments. `value` is what follows the module key (found at `valueLoc`);
 * `argsKeyword` is the task's `args:` mapping, which inline arguments override.
 */
export function moduleArgs(mod: ModuleInfo, value: unknown, valueLoc: SourceLoc, argsKeyword: unknown, argsLoc: SourceLoc): TaskArgs {
  const extra: Record<string, unknown> = {};
  if (argsKeyword !== undefined && argsKeyword !== null) {
    if (!isMapping(argsKeyword)) throw new InputError(`args must be a mapping, found ${describeValue(argsKeyword)}`, argsLoc);
    checkNames(mod, argsKeyword, argsLoc);
    Object.assign(extra, withOctalModes(argsKeyword, argsLoc));
  }
  if (value === null || value === undefined) return { ...extra };
  if (isMapping(value)) {
    checkNames(mod, value, valueLoc);
    return { ...extra, ...withOctalModes(value, valueLoc) };
  }
  // `command: !unsafe "echo {{x}}"`: the whole text is the command, never templated nor split into k=v.
  if (value instanceof UnsafeText && mod.freeForm) return { ...extra, [mod.freeForm]: value };
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    const inline = mod.freeForm ? freeFormArgs(mod, mod.freeForm, text) : kvArgs(mod, text, valueLoc);
    checkNames(mod, typeof inline === 'string' ? {} : inline, valueLoc);
    if (typeof inline === 'string') return Object.keys(extra).length ? { ...extra, [mod.freeForm!]: inline } : inline;
    return { ...extra, ...inline };
  }
  throw new InputError(`arguments of module '${mod.name}' must be a mapping${mod.freeForm ? ' or a command line' : ' or key=value text'}, found ${describeValue(value)}`, valueLoc);
}

/** File-mode arguments (mode, directory_mode, …) written as a name ending in mode. */
const MODE_ARG = /(?:^|_)mode$/;

/**
 * `mode: 0644` unquoted: YAML 1.1 (Ansible's) reads 420, which Ansible's file modules take as
 * 0o644. Keeping the octal text written says the same without a number whose base is a guess.
 * `mode: 644` (no leading zero: 0o1204 to Ansible, surely not what was meant) is refused now.
 */
function withOctalModes(args: YamlMap, fallback: SourceLoc): YamlMap {
  let out: YamlMap | undefined;
  for (const key of Object.keys(args)) {
    const value = args[key];
    if (!MODE_ARG.test(key) || typeof value !== 'number') continue;
    const octal = octalSourceOf(args, key);
    if (octal === undefined) {
      throw new InputError(`'${key}: ${value}' is a number, so its octal meaning is ambiguous`, locAt(args, key, fallback), `quote it: ${key}: '0${value.toString()}' or use u=rw,g=r,o=r`);
    }
    (out ??= { ...args })[key] = octal;
  }
  return out ?? args;
}

function kvArgs(mod: ModuleInfo, text: string, loc: SourceLoc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const word of splitArgs(text)) {
    const kv = splitAssignment(word.text);
    if (!kv) {
      throw new InputError(`module '${mod.name}' takes key=value arguments or a mapping, found '${word.text}'`, loc, `write ${mod.name}: key=value ... or a mapping under ${mod.name}:`);
    }
    out[kv[0]] = kvValue(kv[1]);
  }
  return out;
}

/**
 * Free-form text stays a string, except `k=v` words naming one of the module's arguments
 * (`command: creates=/x touch /x`), which Ansible pulls out; then the result is a mapping.
 */
function freeFormArgs(mod: ModuleInfo, freeForm: string, text: string): TaskArgs {
  const pulled: Record<string, unknown> = {};
  let rest = '';
  let cursor = 0;
  for (const word of splitArgs(text)) {
    const kv = splitAssignment(word.text);
    if (kv && kv[0] !== freeForm && mod.argNames.includes(kv[0])) {
      pulled[kv[0]] = kvValue(kv[1]);
      rest += text.slice(cursor, word.start);
      cursor = word.end;
    }
  }
  rest = (rest + text.slice(cursor)).replace(/\s+$/, '').replace(/^\s+/, '');
  if (Object.keys(pulled).length === 0) return text;
  return rest ? { [freeForm]: rest, ...pulled } : pulled;
}

/** `argNames: ['*']` (set_fact) accepts any name. */
function checkNames(mod: ModuleInfo, args: YamlMap, fallback: SourceLoc): void {
  if (mod.argNames.includes('*')) return;
  const allowed = mod.freeForm && !mod.argNames.includes(mod.freeForm) ? [...mod.argNames, mod.freeForm] : mod.argNames;
  for (const name of Object.keys(args)) {
    if (allowed.includes(name)) continue;
    const hint = mod.formerArgs?.[name] ?? didYouMean(name, allowed) ?? (allowed.length ? `module '${mod.name}' takes: ${allowed.join(', ')}` : `module '${mod.name}' takes no arguments`);
    throw new InputError(`module '${mod.name}' has no argument '${name}'`, keyLocAt(args, name, locAt(args, undefined, fallback)), hint);
  }
}
