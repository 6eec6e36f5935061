// Remembers where each loaded mapping, list and value came from, so any later layer can
// point an error at the user's exact file:line:col without carrying YAML nodes around.
import type { SourceLoc } from '../core/types.js';

interface ContainerLocs {
  self: SourceLoc;
  /** Location of each entry's value (by key for mappings, by index for lists). */
  values: Map<string | number, SourceLoc>;
  /** Location of each mapping key itself. */
  keys: Map<string, SourceLoc>;
  /** Source text of entries written as YAML 1.1 octal (`mode: 0644`), whose value is already the number. */
  octal?: Map<string, string>;
}

const store = new WeakMap<object, ContainerLocs>();

/** Records where a container starts. Loaders that build data by hand (INI inventory) use it too. */
export function recordLoc(container: object, self: SourceLoc): void {
  if (!store.has(container)) store.set(container, { self, values: new Map(), keys: new Map() });
}

/** Records where one entry's value (and, for mappings, its key) sits. */
export function recordEntryLoc(container: object, key: string | number, value: SourceLoc, keyLoc?: SourceLoc): void {
  const entry = store.get(container);
  if (!entry) return;
  entry.values.set(key, value);
  if (keyLoc && typeof key === 'string') entry.keys.set(key, keyLoc);
}

/**
 * Where a loaded mapping or list starts, or (with `key`) where one of its entries' value
 * sits. Undefined for values that did not come from a file.
 */
export function locOf(value: object, key?: string | number): SourceLoc | undefined {
  const entry = store.get(value);
  if (!entry) return undefined;
  return key === undefined ? entry.self : entry.values.get(key);
}

/** Where a mapping's key is written; unknown-keyword errors point here rather than at the value. */
export function keyLocOf(map: object, key: string): SourceLoc | undefined {
  return store.get(map)?.keys.get(key);
}

/** The best location available: the entry, else the container, else the fallback. */
export function locAt(container: object, key: string | number | undefined, fallback: SourceLoc): SourceLoc {
  return (key !== undefined ? locOf(container, key) : undefined) ?? locOf(container) ?? fallback;
}

/** The key's own location if known, else as locAt. */
export function keyLocAt(map: object, key: string, fallback: SourceLoc): SourceLoc {
  return keyLocOf(map, key) ?? locAt(map, key, fallback);
}

/** Records that a mapping entry was written as an unquoted octal number (its value is the number). */
export function recordOctalSource(map: object, key: string, source: string): void {
  const entry = store.get(map);
  if (!entry) return;
  (entry.octal ??= new Map()).set(key, source);
}

/** The octal text (`0644`) an entry was written as, if it was an unquoted octal number. */
export function octalSourceOf(map: object, key: string): string | undefined {
  return store.get(map)?.octal?.get(key);
}
