// Gives a vars object whose templated values render on first read, against the same object,
// so variables may refer to each other in any order; a cycle is reported instead of recursing.
import { InputError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import { UnsafeText } from '../core/unsafe.js';

export type RenderFn = (value: unknown, vars: Vars) => unknown;

/**
 * Values that stay the same while a play batch runs (its hostvars, the inventory's groups), with what
 * holdsTemplate found in them once computed. Every task on every host sees them: scanning them each
 * time cost O(hosts) per host per task, O(hosts²) per task.
 */
const stable = new WeakMap<object, boolean | undefined>();

/** Marks a value that is not changed while in use, so its scan for templates is done once. */
export function markStable<T extends object>(value: T): T {
  if (!stable.has(value)) stable.set(value, undefined);
  return value;
}

/** True when rendering would change the value: a `{{`, or UnsafeText to turn back into its text. */
function holdsTemplate(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%');
  if (value instanceof UnsafeText) return true;
  if (depth > 4 || value === null || typeof value !== 'object') return false;
  if (depth === 0 && stable.has(value)) {
    let known = stable.get(value);
    if (known === undefined) {
      known = scan(value, depth);
      stable.set(value, known);
    }
    return known;
  }
  return scan(value, depth);
}

function scan(value: object, depth: number): boolean {
  if (Array.isArray(value)) return value.some((v) => holdsTemplate(v, depth + 1));
  return Object.values(value as Vars).some((v) => holdsTemplate(v, depth + 1));
}

export function lazyVars(merged: Vars, render: RenderFn): Vars {
  const out: Vars = {};
  const resolving = new Set<string>();
  for (const [key, raw] of Object.entries(merged)) {
    if (raw instanceof UnsafeText) {
      out[key] = raw.text;
      continue;
    }
    if (!holdsTemplate(raw)) {
      out[key] = raw;
      continue;
    }
    let done = false;
    let value: unknown;
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get() {
        if (done) return value;
        if (resolving.has(key)) {
          throw new InputError(`variable '${key}' refers to itself (${[...resolving, key].join(' -> ')})`, undefined, 'break the cycle in your vars');
        }
        resolving.add(key);
        try {
          value = render(raw, out);
          done = true;
          return value;
        } finally {
          resolving.delete(key);
        }
      },
      set(v: unknown) {
        value = v;
        done = true;
      },
    });
  }
  return out;
}
