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
  if (typeof value === 'string') return (value.includes('{{') ? new UnsafeText(value) : value) as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const p = protectData(v);
      changed ||= p !== v;
      return p;
    });
    return (changed ? out : value) as T;
  }
  if (isRecord(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = protectData(v);
      changed ||= p !== v;
      out[k] = p;
    }
    return (changed ? out : value) as T;
  }
  return value;
}

/** Plain values again: every UnsafeText becomes its text, at any depth (for code outside the templater). */
export function revealUnsafe<T>(value: T): T {
  if (value instanceof UnsafeText) return value.text as T;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const p = revealUnsafe(v);
      changed ||= p !== v;
      return p;
    });
    return (changed ? out : value) as T;
  }
  if (isRecord(value)) {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = revealUnsafe(v);
      changed ||= p !== v;
      out[k] = p;
    }
    return (changed ? out : value) as T;
  }
  return value;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
