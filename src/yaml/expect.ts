// Small shape checks shared by the loaders, so every "expected a mapping" error reads the same.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { UnsafeText } from '../core/unsafe.js';
import { VaultText } from './scalars.js';

export type YamlMap = Record<string, unknown>;

export function isMapping(v: unknown): v is YamlMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof VaultText) && !(v instanceof UnsafeText);
}

/** "a string", "a list"...: for messages that say what was found instead. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof VaultText) return 'a vault value';
  if (v instanceof UnsafeText) return `an !unsafe string (${JSON.stringify(v.text)})`;
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v} (${JSON.stringify(v)})`;
}

export function expectMapping(v: unknown, what: string, loc: SourceLoc, hint?: string): YamlMap {
  if (!isMapping(v)) throw new InputError(`${what} must be a mapping, found ${describeValue(v)}`, loc, hint);
  return v;
}

export function expectList(v: unknown, what: string, loc: SourceLoc, hint?: string): unknown[] {
  if (!Array.isArray(v)) throw new InputError(`${what} must be a list, found ${describeValue(v)}`, loc, hint);
  return v;
}
