// The one validator every module's arguments go through, driven by the module's spec (spec.ts), as
// Ansible's ArgumentSpecValidator is: unknown names, aliases, types, choices, defaults, required
// and the rules between arguments. What a spec cannot say, the module checks after, with the reader.
import { InputError } from '../../core/errors.js';
import { didYouMean } from '../../core/suggest.js';
import type { SourceLoc } from '../../core/types.js';
import type { ArgSpec, ArgsOf, ModuleSpec } from '../spec.js';
import { specArgNames } from '../spec.js';
import { ArgReader } from './args.js';
import { readMode } from './mode.js';

export interface Parsed<S extends ModuleSpec> {
  /** The arguments by canonical name, typed from the spec. */
  args: ArgsOf<S>;
  /** The same arguments (aliases folded) for the module's own checks and the shared readers (readAttrs). */
  reader: ArgReader;
}

const quoted = (names: readonly string[]): string => names.map((n) => `'${n}'`).join(', ').replace(/, ([^,]*)$/, ' or $1');

/** Validates one module's rendered arguments against its spec; throws InputError at loc. */
export function parseSpec<S extends ModuleSpec>(module: string, spec: S, raw: Record<string, unknown>, loc: SourceLoc): Parsed<S> {
  if (!spec.anyArgs) refuseUnknown(module, spec, raw, loc);
  const reader = new ArgReader(module, raw, loc, aliasesOf(spec));
  for (const group of spec.mutuallyExclusive ?? []) reader.exclusive(...group);
  const args: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(spec.args)) args[name] = readOne(reader, name, a);
  checkRules(reader, spec);
  return { args: args as ArgsOf<S>, reader };
}

// Read off each spec once: every task on every host parses its arguments (issue 18: CPU per host-task).
const ACCEPTED = new WeakMap<ModuleSpec, ReadonlySet<string>>();
const ALIASES = new WeakMap<ModuleSpec, Record<string, string>>();

function accepted(spec: ModuleSpec): ReadonlySet<string> {
  let names = ACCEPTED.get(spec);
  if (!names) ACCEPTED.set(spec, (names = new Set(specArgNames(spec))));
  return names;
}

/** alias -> canonical name. Shared, so never written to after it is built. */
function aliasesOf(spec: ModuleSpec): Record<string, string> {
  let aliases = ALIASES.get(spec);
  if (!aliases) {
    aliases = {};
    for (const [name, a] of Object.entries(spec.args)) for (const alias of a.aliases ?? []) aliases[alias] = name;
    ALIASES.set(spec, aliases);
  }
  return aliases;
}

function refuseUnknown(module: string, spec: ModuleSpec, raw: Record<string, unknown>, loc: SourceLoc): void {
  const known = accepted(spec);
  for (const name of Object.keys(raw)) {
    if (known.has(name) || raw[name] === undefined) continue;
    const allowed = specArgNames(spec);
    const hint = spec.formerArgs?.[name] ?? didYouMean(name, allowed) ?? (allowed.length ? `module '${module}' takes: ${allowed.join(', ')}` : `module '${module}' takes no arguments`);
    throw new InputError(`module '${module}' has no argument '${name}'`, loc, hint);
  }
}

function readOne(r: ArgReader, name: string, a: ArgSpec): unknown {
  if (a.required && !r.has(name)) throw r.error(`'${name}' is required`, a.requiredHint);
  const def = a.default as never;
  switch (a.type) {
    case 'bool':
      return r.has(name) ? r.bool(name, false) : def;
    case 'int': {
      if (!r.has(name)) return def;
      const n = r.int(name, 0, a.min ?? 0);
      if (a.max !== undefined && n > a.max) throw r.error(`'${name}' must be at most ${a.max}, got ${n}`);
      return n;
    }
    case 'list':
      return r.list(name) ?? (def === undefined ? undefined : [...(def as string[])]);
    case 'dict': {
      const v = r.value(name);
      if (v === undefined || v === null) return def;
      if (typeof v !== 'object' || Array.isArray(v)) throw r.error(`'${name}' must be a mapping`);
      return v;
    }
    case 'mode':
      return readMode(r, name);
    case 'raw':
      return r.value(name) ?? def;
    case 'str': {
      const text = r.str(name);
      if (text !== undefined && a.unsupported?.[text] !== undefined) throw r.error(`${name}=${text} is not supported`, a.unsupported[text]);
      if (a.choices) return r.has(name) ? r.choice(name, a.choices) : def;
      const v = r.str(name);
      if (a.required && v === '') throw r.error(`'${name}' is required`, a.requiredHint);
      return v ?? def;
    }
  }
}

/** Given: set and not an explicit false (Ansible's required_if compares the value; a false flag is not "given"). */
function given(r: ArgReader, name: string): boolean {
  return r.has(name) && r.value(name) !== '';
}

function checkRules(r: ArgReader, spec: ModuleSpec): void {
  for (const group of spec.requiredTogether ?? []) {
    const present = group.filter((n) => given(r, n));
    if (present.length > 0 && present.length < group.length) {
      const missing = group.filter((n) => !present.includes(n));
      throw r.error(`${quoted(present)} needs ${quoted(missing).replace(' or ', ' and ')} too`);
    }
  }
  for (const group of spec.requiredOneOf ?? []) {
    if (!group.some((n) => given(r, n))) throw r.error(`one of ${quoted(group)} is required`);
  }
  for (const [key, value, needs, anyOne] of spec.requiredIf ?? []) {
    const actual = typeof value === 'boolean' ? (r.has(key) ? r.bool(key, false) : undefined) : r.str(key);
    if (actual !== value) continue;
    const missing = needs.filter((n) => !given(r, n));
    if (anyOne ? missing.length === needs.length : missing.length > 0) {
      const what = anyOne ? `one of ${quoted(needs)} is` : `${quoted(missing).replace(' or ', ' and ')} ${missing.length > 1 ? 'are' : 'is'}`;
      throw r.error(`${what} required with ${key}=${String(value)}`);
    }
  }
}
