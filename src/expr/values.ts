// Python/Jinja value semantics (truthiness, equality, conversions) shared by conditions and templates,
// so `when: x` and `{{#if x}}` agree on what counts as true.

/** Python truthiness: '', [], {}, 0, NaN, null and undefined are false; everything else true. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Python `==`: deep for lists and dicts, no coercion between strings and numbers. */
export function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equals(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equals(a[k], b[k]));
  }
  return false;
}

/** Ansible's `bool` filter: yes/on/1/true (any case) are true, everything else false. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return v === 1;
  if (typeof v === 'string') return ['yes', 'on', '1', 'true', 'y'].includes(v.trim().toLowerCase());
  return false;
}

/** Jinja's `int` filter: whole numbers, "42", "3.7" -> 3, true -> 1; anything else the fallback (0). */
export function toInt(v: unknown, fallback = 0, base = 10): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : fallback;
  if (typeof v === 'string') {
    const s = v.trim();
    if (base !== 10) {
      const digits = s.replace(/^0[xob]/i, '');
      const n = Number.parseInt(digits, base);
      return digits !== '' && !Number.isNaN(n) && n.toString(base) === digits.toLowerCase().replace(/^0+(?=.)/, '') ? n : fallback;
    }
    if (/^[+-]?\d+$/.test(s)) return Number.parseInt(s, 10);
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Math.trunc(Number(s));
    if (/^0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s, 16);
  }
  return fallback;
}

/** Jinja's `float` filter. */
export function toFloat(v: unknown, fallback = 0): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return fallback;
}

/** Python's str(): what `| string`, `join`, `~` and Jinja2's `{{ }}` make of a value (None, True, ['a']). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string' && !isPlainObject(v) && !Array.isArray(v)) return String(v);
  return pyRepr(v);
}

const TUPLE = Symbol('tuple');

/** A list that prints as Python's tuple, `(1, 2)` (a macro's varargs). */
export function tuple(items: unknown[]): unknown[] {
  const t = [...items];
  Object.defineProperty(t, TUPLE, { value: true });
  return t;
}

/** Python's repr(): strings quoted as Python quotes them, lists and dicts as Python prints them. */
export function pyRepr(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (typeof v === 'string') {
    const q = v.includes("'") && !v.includes('"') ? '"' : "'";
    const body = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
    return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
  }
  if (depth > 50) return '...';
  if (Array.isArray(v) && TUPLE in v) return v.length === 1 ? `(${pyRepr(v[0], depth + 1)},)` : `(${v.map((x) => pyRepr(x, depth + 1)).join(', ')})`;
  if (Array.isArray(v)) return `[${v.map((x) => pyRepr(x, depth + 1)).join(', ')}]`;
  if (isPlainObject(v)) return `{${Object.entries(v).map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x, depth + 1)}`).join(', ')}}`;
  return pyRepr(String(v));
}

/** Python's len(): lists, strings and dicts; anything else is an error the caller names. */
export function lengthOf(v: unknown): number | undefined {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (isPlainObject(v)) return Object.keys(v).length;
  if (v !== null && typeof v === 'object' && typeof (v as { length?: unknown }).length === 'number') return (v as { length: number }).length;
  return undefined;
}

/** `x in y`: list membership, substring, dict key. Undefined when `y` cannot contain anything. */
export function contains(haystack: unknown, needle: unknown): boolean | undefined {
  if (Array.isArray(haystack)) return haystack.some((x) => equals(x, needle));
  if (typeof haystack === 'string') return typeof needle === 'string' ? haystack.includes(needle) : undefined;
  if (haystack !== null && typeof haystack === 'object') return typeof needle === 'string' && Object.prototype.hasOwnProperty.call(haystack, needle);
  return undefined;
}

/** A short name for a value's type in error messages, in Python's words users know from Ansible. */
export function typeName(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'none';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  return typeof v;
}
