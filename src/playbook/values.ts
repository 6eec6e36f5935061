// Typed readers for keyword values, so every keyword refuses a wrong type the same way, at its line.
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { describeValue, isMapping } from '../yaml/expect.js';
import { yaml11Boolean } from '../yaml/scalars.js';

export function toBool(v: unknown, what: string, loc: SourceLoc): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    const b = yaml11Boolean(v.trim()) ?? ({ '1': true, '0': false } as Record<string, boolean>)[v.trim()];
    if (b !== undefined) return b;
  }
  const templated = typeof v === 'string' && v.includes('{{');
  throw new InputError(`${what} must be true or false, found ${describeValue(v)}`, loc, templated ? 'runbook needs this keyword known when the playbook loads; use a literal yes/no' : 'write yes/no or true/false');
}

export function toInt(v: unknown, what: string, loc: SourceLoc, min = 0): number {
  const n = typeof v === 'string' && /^\s*-?[0-9]+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new InputError(`${what} must be a whole number${min > 0 ? ` of at least ${min}` : ''}, found ${describeValue(v)}`, loc);
  }
  return n;
}

export function toName(v: unknown, what: string, loc: SourceLoc): string {
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number') return String(v);
  throw new InputError(`${what} must be a string, found ${describeValue(v)}`, loc);
}

/** A string or a list of strings (`notify`, `listen`); numbers become strings. */
export function toStringList(v: unknown, what: string, loc: SourceLoc): string[] {
  if (v === null || v === undefined) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((item) => {
    if (typeof item === 'string' || typeof item === 'number') return String(item);
    throw new InputError(`${what} must be a string or a list of strings, found ${describeValue(item)} in it`, loc);
  });
}

/** `tags: a`, `tags: "a, b"` or a list, as Ansible reads them. */
export function toTags(v: unknown, loc: SourceLoc): string[] {
  return toStringList(v, 'tags', loc).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
}

/** Conditions (`when`, `changed_when`, `failed_when`, `until`): strings; booleans become 'true'/'false'. */
export function toConditions(v: unknown, what: string, loc: SourceLoc): string[] {
  const items = Array.isArray(v) ? v : [v];
  return items.map((item) => {
    if (typeof item === 'string' && item.trim() !== '') return item;
    if (typeof item === 'boolean' || typeof item === 'number') return String(item);
    throw new InputError(`${what} must be a condition (a string, true/false, or a list of them), found ${describeValue(item)}`, loc);
  });
}

/** `vars:` is a mapping, or (as Ansible's _load_vars also takes) a list of mappings merged in order. */
export function toVars(v: unknown, what: string, loc: SourceLoc): Vars {
  if (v === null || v === undefined) return {};
  if (Array.isArray(v) && v.every((item) => isMapping(item) || item === null)) return Object.assign({}, ...v.filter(isMapping)) as Vars;
  if (!isMapping(v)) throw new InputError(`${what} must be a mapping of names to values (or a list of mappings), found ${describeValue(v)}`, loc);
  return v;
}

export function uniq(items: readonly string[]): string[] {
  return [...new Set(items)];
}
