// Text that must never be templated: Ansible's `!unsafe`, and strings a task brought back (registered
// output, set_fact results) that were rendered once already, so a `{{` in them is data, not a template.

/** A string the templater passes through as it is. Renders, prints and serialises as its text. */
export class UnsafeText {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

export function isUnsafe(value: unknown): value is UnsafeText {
  return value instanceof UnsafeText;
}

/**
 * Marks data as rendered: every string holding `{{` (at any depth) becomes UnsafeText. Containers
 * are copied only where something inside changed; anything else is returned as it is.
 */
export function protectData<T>(value: T): T {
  return mapLeaves(value, (leaf) => (typeof leaf === 'string' && leaf.includes('{{') ? new UnsafeText(leaf) : leaf));
}

/** Plain values again: every UnsafeText becomes its text, at any depth (for code outside the templater). */
export function revealUnsafe<T>(value: T): T {
  return mapLeaves(value, (leaf) => (leaf instanceof UnsafeText ? leaf.text : leaf));
}

/**
 * Applies `leaf` to every non-container value at any depth. Lists and plain objects are copied only
 * where something inside changed, so untouched data keeps its identity (and stays cheap to compare).
 */
function mapLeaves<T>(value: T, leaf: (v: unknown) => unknown): T {
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const p = mapLeaves(v, leaf);
      changed ||= p !== v;
      return p;
    });
    return (changed ? out : value) as T;
  }
  if (isRecord(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = mapLeaves(v, leaf);
      changed ||= p !== v;
      out[k] = p;
    }
    return (changed ? out : value) as T;
  }
  return leaf(value) as T;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
