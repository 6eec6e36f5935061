// Gives a vars object whose templated values render on first read, against the same object,
// so variables may refer to each other in any order; a cycle is reported instead of recursing.
import { InputError } from '../core/errors.js';
import type { Vars } from '../core/types.js';

export type RenderFn = (value: unknown, vars: Vars) => unknown;

function holdsTemplate(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (depth > 4 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => holdsTemplate(v, depth + 1));
  return Object.values(value as Vars).some((v) => holdsTemplate(v, depth + 1));
}

export function lazyVars(merged: Vars, render: RenderFn): Vars {
  const out: Vars = {};
  const resolving = new Set<string>();
  for (const [key, raw] of Object.entries(merged)) {
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
