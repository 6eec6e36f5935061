// The tests `x is NAME` may use, Jinja2's and Ansible's; changed/failed/skipped read a registered
// result as Ansible does, version compares as Ansible's LooseVersion does.
import { pyRegExp } from '../modules/lib/pyregex.js';
import { FilterError } from './errors.js';
import { contains, equals, isPlainObject, truthy, typeName } from './values.js';

export interface TestSpec {
  /** The operand may be undefined (defined/undefined): the evaluator then does not reject it. */
  acceptsUndefined?: boolean;
  minArgs?: number;
  maxArgs?: number;
  check(value: unknown, args: unknown[]): boolean;
}

function resultFlag(name: string, flag: 'changed' | 'failed' | 'skipped'): TestSpec {
  return {
    check: (v) => {
      if (!isPlainObject(v)) throw new FilterError(`'is ${name}' expects a registered result (a dict), got ${typeName(v)}`);
      return truthy(v[flag]);
    },
  };
}

const succeeded: TestSpec = { check: (v, a) => !resultFlag('succeeded', 'failed').check(v, a) };

/** LooseVersion's parts: numbers compare as numbers, words as text, a number after a word. */
function versionParts(v: unknown): Array<number | string> {
  return String(v).split(/(\d+|[a-z]+|\.)/i).filter((p) => p !== '' && p !== '.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export function compareVersions(a: unknown, b: unknown): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    if (p === q) continue;
    if (typeof p === typeof q) return p < q ? -1 : 1;
    return typeof p === 'number' ? 1 : -1;
  }
  return 0;
}

const VERSION_OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0, lt: (c) => c < 0, '<=': (c) => c <= 0, le: (c) => c <= 0, '>': (c) => c > 0, gt: (c) => c > 0,
  '>=': (c) => c >= 0, ge: (c) => c >= 0, '==': (c) => c === 0, '=': (c) => c === 0, eq: (c) => c === 0, '!=': (c) => c !== 0, '<>': (c) => c !== 0, ne: (c) => c !== 0,
};

const version: TestSpec = {
  minArgs: 1,
  maxArgs: 3,
  check: (v, [other, op = 'eq']) => {
    const fn = VERSION_OPS[String(op)];
    if (!fn) throw new FilterError(`version: unknown operator '${String(op)}' (use <, <=, >, >=, ==, !=)`);
    return fn(compareVersions(v, other));
  },
};

function regexTest(anchored: 'start' | 'full' | 'none'): TestSpec {
  return {
    minArgs: 1,
    maxArgs: 3,
    check: (v, [pattern, ignorecase, multiline]) => {
      if (typeof v !== 'string') throw new FilterError(`a regex test expects a string, got ${typeName(v)}`);
      let re: RegExp;
      try {
        re = pyRegExp(String(pattern));
      } catch (err) {
        throw new FilterError(`invalid pattern ${JSON.stringify(pattern)}: ${(err as Error).message}`);
      }
      const flags = re.flags + (truthy(ignorecase) && !re.flags.includes('i') ? 'i' : '') + (truthy(multiline) && !re.flags.includes('m') ? 'm' : '');
      const source = anchored === 'start' ? `^(?:${re.source})` : anchored === 'full' ? `^(?:${re.source})$` : re.source;
      // `match` anchors at the start only: multiline must not let ^ match at a later line.
      return new RegExp(source, anchored === 'start' ? flags.replace('m', '') : flags).test(v);
    },
  };
}

const cmp = (fn: (a: number | string, b: number | string) => boolean): TestSpec => ({ minArgs: 1, maxArgs: 1, check: (v, [o]) => fn(v as number, o as number) });

export const TESTS: Record<string, TestSpec> = {
  defined: { acceptsUndefined: true, check: (v) => v !== undefined },
  undefined: { acceptsUndefined: true, check: (v) => v === undefined },
  none: { check: (v) => v === null },
  changed: resultFlag('changed', 'changed'),
  change: resultFlag('changed', 'changed'),
  failed: resultFlag('failed', 'failed'),
  failure: resultFlag('failed', 'failed'),
  skipped: resultFlag('skipped', 'skipped'),
  skip: resultFlag('skipped', 'skipped'),
  succeeded,
  success: succeeded,
  true: { check: (v) => v === true },
  false: { check: (v) => v === false },
  boolean: { check: (v) => typeof v === 'boolean' },
  truthy: { check: (v) => truthy(v) },
  falsy: { check: (v) => !truthy(v) },
  string: { check: (v) => typeof v === 'string' },
  number: { check: (v) => typeof v === 'number' },
  integer: { check: (v) => typeof v === 'number' && Number.isInteger(v) },
  float: { check: (v) => typeof v === 'number' && !Number.isInteger(v) },
  mapping: { check: (v) => isPlainObject(v) },
  sequence: { check: (v) => Array.isArray(v) || typeof v === 'string' },
  iterable: { check: (v) => Array.isArray(v) || typeof v === 'string' || isPlainObject(v) },
  lower: { check: (v) => typeof v === 'string' && v === v.toLowerCase() },
  upper: { check: (v) => typeof v === 'string' && v === v.toUpperCase() },
  even: { check: (v) => typeof v === 'number' && v % 2 === 0 },
  odd: { check: (v) => typeof v === 'number' && Math.abs(v % 2) === 1 },
  divisibleby: { minArgs: 1, maxArgs: 1, check: (v, [n]) => typeof v === 'number' && v % Number(n) === 0 },
  version,
  version_compare: version,
  match: regexTest('start'),
  search: regexTest('none'),
  regex: regexTest('none'),
  contains: {
    minArgs: 1,
    maxArgs: 1,
    check: (v, [x]) => {
      const found = contains(v, x);
      if (found === undefined) throw new FilterError(`'contains' expects a list, string or dict, got ${typeName(v)}`);
      return found;
    },
  },
  in: { minArgs: 1, maxArgs: 1, check: (v, [seq]) => contains(seq, v) === true },
  subset: { minArgs: 1, maxArgs: 1, check: (v, [b]) => Array.isArray(v) && Array.isArray(b) && v.every((x) => b.some((y) => equals(x, y))) },
  superset: { minArgs: 1, maxArgs: 1, check: (v, [b]) => Array.isArray(v) && Array.isArray(b) && b.every((x) => v.some((y) => equals(x, y))) },
  equalto: { minArgs: 1, maxArgs: 1, check: (v, [o]) => equals(v, o) },
  eq: { minArgs: 1, maxArgs: 1, check: (v, [o]) => equals(v, o) },
  '==': { minArgs: 1, maxArgs: 1, check: (v, [o]) => equals(v, o) },
  ne: { minArgs: 1, maxArgs: 1, check: (v, [o]) => !equals(v, o) },
  sameas: { minArgs: 1, maxArgs: 1, check: (v, [o]) => v === o },
  lt: cmp((a, b) => a < b),
  le: cmp((a, b) => a <= b),
  gt: cmp((a, b) => a > b),
  ge: cmp((a, b) => a >= b),
  lessthan: cmp((a, b) => a < b),
  greaterthan: cmp((a, b) => a > b),
};
