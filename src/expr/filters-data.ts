// Filters over lists and dicts as Ansible ships them (unique, union, combine, selectattr, map ...).
// Higher-order filters (map, select, selectattr) call other filters and tests by name, from the
// same tables a condition uses.
import { randomInt } from 'node:crypto';
import { FilterError } from './errors.js';
import { applyFilter, type FilterSpec } from './filters.js';
import { PyRandom } from './py-random.js';
import { TESTS } from './tests.js';
import { equals, isPlainObject, pyStr, truthy, typeName } from './values.js';

function list(v: unknown, filter: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isPlainObject(v)) return Object.keys(v);
  throw new FilterError(`filter '${filter}' expects a list, got ${typeName(v)}`);
}

function dict(v: unknown, filter: string): Record<string, unknown> {
  if (isPlainObject(v)) return v;
  throw new FilterError(`filter '${filter}' expects a dict, got ${typeName(v)}`);
}

function uniq(xs: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of xs) if (!out.some((y) => equals(x, y))) out.push(x);
  return out;
}

const has = (xs: unknown[], x: unknown): boolean => xs.some((y) => equals(x, y));

/** `a.b.c` or a list index: Jinja2's attribute= argument. */
function attr(v: unknown, path: unknown): unknown {
  let cur = v;
  for (const part of String(path).split('.')) {
    if (Array.isArray(cur) && /^\d+$/.test(part)) cur = cur[Number(part)];
    else if (isPlainObject(cur) && Object.prototype.hasOwnProperty.call(cur, part)) cur = cur[part];
    else return undefined;
  }
  return cur;
}

function runTest(name: unknown, value: unknown, args: unknown[]): boolean {
  if (name === undefined) return truthy(value);
  const n = String(name);
  // Jinja2's spellings of comparisons, which select('equalto', 1) and selectattr('x', '==', 1) use.
  const ops: Record<string, (a: unknown, b: unknown) => boolean> = {
    '==': equals, eq: equals, equalto: equals, sameas: (a, b) => a === b,
    '!=': (a, b) => !equals(a, b), ne: (a, b) => !equals(a, b),
    '<': (a, b) => (a as number) < (b as number), lt: (a, b) => (a as number) < (b as number), lessthan: (a, b) => (a as number) < (b as number),
    '<=': (a, b) => (a as number) <= (b as number), le: (a, b) => (a as number) <= (b as number),
    '>': (a, b) => (a as number) > (b as number), gt: (a, b) => (a as number) > (b as number), greaterthan: (a, b) => (a as number) > (b as number),
    '>=': (a, b) => (a as number) >= (b as number), ge: (a, b) => (a as number) >= (b as number),
    in: (a, b) => (Array.isArray(b) ? has(b, a) : typeof b === 'string' && typeof a === 'string' ? b.includes(a) : isPlainObject(b) && Object.prototype.hasOwnProperty.call(b, String(a))),
  };
  if (ops[n]) return ops[n](value, args[0]);
  const spec = Object.prototype.hasOwnProperty.call(TESTS, n) ? TESTS[n] : undefined;
  if (!spec) throw new FilterError(`unknown test '${n}'`);
  if (value === undefined && !spec.acceptsUndefined) return false;
  return spec.check(value, args);
}

function combine(dicts: Record<string, unknown>[], recursive: boolean, listMerge: string): Record<string, unknown> {
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const old = out[k];
      if (recursive && isPlainObject(old) && isPlainObject(v)) out[k] = merge(old, v);
      else if (Array.isArray(old) && Array.isArray(v) && listMerge !== 'replace') {
        out[k] = listMerge === 'append' ? [...old, ...v] : listMerge === 'prepend' ? [...v, ...old] : listMerge === 'append_rp' ? [...old.filter((x) => !has(v, x)), ...v] : [...v, ...old.filter((x) => !has(v, x))];
      } else out[k] = v;
    }
    return out;
  };
  return dicts.reduce((acc, d) => merge(acc, d), {});
}

function flatten(xs: unknown[], levels: number | undefined, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of xs) {
    if (Array.isArray(x) && (levels === undefined || levels > 0)) out.push(...flatten(x, levels === undefined ? undefined : levels - 1, skipNulls));
    else if (!(skipNulls && (x === null || x === 'None'))) out.push(x);
  }
  return out;
}

function sortKey(v: unknown, caseSensitive: boolean): unknown {
  return typeof v === 'string' && !caseSensitive ? v.toLowerCase() : v;
}

function cmp(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  throw new FilterError(`cannot compare ${typeName(a)} with ${typeName(b)}`);
}

/** Python seeds with ints and strs as they are; anything else by its text. */
function seedOf(seed: unknown): string | number {
  return typeof seed === 'number' && Number.isInteger(seed) ? seed : pyStr(seed);
}

function extremum(xs: unknown[], attribute: unknown, sign: number): unknown {
  if (xs.length === 0) return undefined;
  return xs.reduce((best, x) => (cmp(attribute === undefined ? x : attr(x, attribute), attribute === undefined ? best : attr(best, attribute)) * sign > 0 ? x : best));
}

export const DATA_FILTERS: Record<string, FilterSpec> = {
  unique: { minArgs: 0, maxArgs: 0, kwargs: ['case_sensitive', 'attribute'], apply: (v) => uniq(list(v, 'unique')) },
  union: { minArgs: 1, maxArgs: 1, apply: (v, [b]) => uniq([...list(v, 'union'), ...list(b, 'union')]) },
  intersect: { minArgs: 1, maxArgs: 1, apply: (v, [b]) => uniq(list(v, 'intersect').filter((x) => has(list(b, 'intersect'), x))) },
  difference: { minArgs: 1, maxArgs: 1, apply: (v, [b]) => uniq(list(v, 'difference').filter((x) => !has(list(b, 'difference'), x))) },
  symmetric_difference: {
    minArgs: 1,
    maxArgs: 1,
    apply: (v, [b]) => { const x = list(v, 'symmetric_difference'); const y = list(b, 'symmetric_difference'); return uniq([...x.filter((e) => !has(y, e)), ...y.filter((e) => !has(x, e))]); },
  },
  sort: {
    minArgs: 0,
    maxArgs: 3,
    kwargs: ['reverse', 'case_sensitive', 'attribute'],
    apply: (v, [reverse, caseSensitive, attribute], kw) => {
      const at = attribute ?? kw.attribute;
      const cs = truthy(caseSensitive ?? kw.case_sensitive);
      const out = [...list(v, 'sort')].sort((a, b) => cmp(sortKey(at === undefined ? a : attr(a, at), cs), sortKey(at === undefined ? b : attr(b, at), cs)));
      return truthy(reverse ?? kw.reverse) ? out.reverse() : out;
    },
  },
  reverse: { minArgs: 0, maxArgs: 0, apply: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...list(v, 'reverse')].reverse()) },
  dictsort: {
    minArgs: 0,
    maxArgs: 3,
    kwargs: ['case_sensitive', 'by', 'reverse'],
    apply: (v, [cs, by, rev], kw) => {
      const pos = (by ?? kw.by) === 'value' ? 1 : 0;
      const out = Object.entries(dict(v, 'dictsort')).sort((a, b) => cmp(sortKey(a[pos], truthy(cs ?? kw.case_sensitive)), sortKey(b[pos], truthy(cs ?? kw.case_sensitive))));
      return truthy(rev ?? kw.reverse) ? out.reverse() : out;
    },
  },
  map: {
    minArgs: 0,
    maxArgs: Infinity,
    kwargs: ['attribute', 'default'],
    apply: (v, [name, ...args], kw, env) => {
      const xs = list(v, 'map');
      if (kw.attribute !== undefined) return xs.map((x) => attr(x, kw.attribute) ?? kw.default);
      if (name === undefined) throw new FilterError("map needs a filter name or attribute='...'");
      return xs.map((x) => applyFilter(String(name), x, args, {}, env));
    },
  },
  select: { minArgs: 0, maxArgs: Infinity, apply: (v, [test, ...args]) => list(v, 'select').filter((x) => runTest(test, x, args)) },
  reject: { minArgs: 0, maxArgs: Infinity, apply: (v, [test, ...args]) => list(v, 'reject').filter((x) => !runTest(test, x, args)) },
  selectattr: { minArgs: 1, maxArgs: Infinity, apply: (v, [a, test, ...args]) => list(v, 'selectattr').filter((x) => runTest(test, attr(x, a), args)) },
  rejectattr: { minArgs: 1, maxArgs: Infinity, apply: (v, [a, test, ...args]) => list(v, 'rejectattr').filter((x) => !runTest(test, attr(x, a), args)) },
  attr: { minArgs: 1, maxArgs: 1, apply: (v, [a]) => attr(v, a) },
  combine: {
    minArgs: 0,
    maxArgs: Infinity,
    kwargs: ['recursive', 'list_merge'],
    apply: (v, args, kw) => combine([v, ...args].flatMap((d) => (Array.isArray(d) ? d : [d])).map((d) => dict(d, 'combine')), truthy(kw.recursive), String(kw.list_merge ?? 'replace')),
  },
  dict2items: {
    minArgs: 0,
    maxArgs: 0,
    kwargs: ['key_name', 'value_name'],
    apply: (v, _a, kw) => Object.entries(dict(v, 'dict2items')).map(([k, x]) => ({ [String(kw.key_name ?? 'key')]: k, [String(kw.value_name ?? 'value')]: x })),
  },
  items2dict: {
    minArgs: 0,
    maxArgs: 0,
    kwargs: ['key_name', 'value_name'],
    apply: (v, _a, kw) => Object.fromEntries(list(v, 'items2dict').map((it) => [pyStr(attr(it, kw.key_name ?? 'key')), attr(it, kw.value_name ?? 'value')])),
  },
  min: { minArgs: 0, maxArgs: 0, kwargs: ['attribute'], apply: (v, _a, kw) => extremum(list(v, 'min'), kw.attribute, -1) },
  max: { minArgs: 0, maxArgs: 0, kwargs: ['attribute'], apply: (v, _a, kw) => extremum(list(v, 'max'), kw.attribute, 1) },
  sum: {
    minArgs: 0,
    maxArgs: 2,
    kwargs: ['attribute', 'start'],
    apply: (v, [attribute, start], kw) => {
      const at = attribute ?? kw.attribute;
      return list(v, 'sum').reduce((acc: unknown, x) => {
        const y = at === undefined ? x : attr(x, at);
        if (Array.isArray(acc) && Array.isArray(y)) return [...acc, ...y];
        if (typeof acc !== 'number' || typeof y !== 'number') throw new FilterError(`sum: cannot add ${typeName(acc)} and ${typeName(y)}`);
        return acc + y;
      }, start ?? kw.start ?? 0);
    },
  },
  flatten: { minArgs: 0, maxArgs: 1, kwargs: ['levels', 'skip_nulls'], apply: (v, [levels], kw) => flatten(list(v, 'flatten'), (levels ?? kw.levels) as number | undefined, kw.skip_nulls === undefined ? true : truthy(kw.skip_nulls)) },
  zip: { minArgs: 0, maxArgs: Infinity, apply: (v, args) => { const ls = [v, ...args].map((l) => list(l, 'zip')); const n = Math.min(...ls.map((l) => l.length)); return Array.from({ length: n }, (_x, i) => ls.map((l) => l[i])); } },
  zip_longest: {
    minArgs: 0,
    maxArgs: Infinity,
    kwargs: ['fillvalue'],
    apply: (v, args, kw) => { const ls = [v, ...args].map((l) => list(l, 'zip_longest')); const n = Math.max(...ls.map((l) => l.length)); return Array.from({ length: n }, (_x, i) => ls.map((l) => (i < l.length ? l[i] : (kw.fillvalue ?? null)))); },
  },
  product: {
    minArgs: 0,
    maxArgs: Infinity,
    kwargs: ['repeat'],
    apply: (v, args) => {
      const out = [v, ...args].map((l) => list(l, 'product')).reduce<unknown[][]>((acc, l) => acc.flatMap((prefix) => l.map((x) => [...prefix, x])), [[]]);
      if (out.length > 100000) throw new FilterError('product is too long (over 100000 items)');
      return out;
    },
  },
  random: {
    minArgs: 0,
    maxArgs: 2,
    kwargs: ['seed', 'start', 'step'],
    apply: (v, [start, step], kw) => {
      // With a seed, Python's generator as Ansible seeds it, so each host gets the value Ansible gives it.
      const rnd = kw.seed === undefined ? undefined : new PyRandom(seedOf(kw.seed));
      if (typeof v === 'number') {
        const s = Number(start ?? kw.start ?? 0);
        const st = Number(step ?? kw.step ?? 1);
        if (Math.ceil((v - s) / st) <= 0) throw new FilterError('random: empty range');
        return rnd ? rnd.randrange(s, v, st) : s + randomInt(Math.ceil((v - s) / st)) * st;
      }
      const xs = list(v, 'random');
      if (xs.length === 0) throw new FilterError('random: empty list');
      return xs[rnd ? rnd.below(xs.length) : randomInt(xs.length)];
    },
  },
  shuffle: {
    minArgs: 0,
    maxArgs: 0,
    kwargs: ['seed'],
    apply: (v, _a, kw) => {
      const xs = [...list(v, 'shuffle')];
      if (kw.seed !== undefined) return new PyRandom(seedOf(kw.seed)).shuffle(xs);
      for (let i = xs.length - 1; i > 0; i--) {
        const j = randomInt(i + 1);
        [xs[i], xs[j]] = [xs[j], xs[i]];
      }
      return xs;
    },
  },
  batch: { minArgs: 1, maxArgs: 2, apply: (v, [n, fill]) => { const xs = list(v, 'batch'); const size = Number(n); const out: unknown[][] = []; for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size)); const lastRow = out.at(-1); if (fill !== undefined && lastRow) while (lastRow.length < size) lastRow.push(fill); return out; } },
  abs: { minArgs: 0, maxArgs: 0, apply: (v) => Math.abs(Number(v)) },
  round: { minArgs: 0, maxArgs: 2, apply: (v, [precision = 0, method = 'common']) => { const f = 10 ** Number(precision); const x = Number(v) * f; return (method === 'ceil' ? Math.ceil(x) : method === 'floor' ? Math.floor(x) : Math.round(x)) / f; } },
  extract: { minArgs: 1, maxArgs: 2, apply: (v, [container, morekeys]) => { let cur = attr(container, v); for (const k of Array.isArray(morekeys) ? morekeys : morekeys === undefined ? [] : [morekeys]) cur = attr(cur, k); return cur; } },
  subelements: {
    minArgs: 1,
    maxArgs: 2,
    kwargs: ['skip_missing'],
    apply: (v, [key, skip], kw) => list(v, 'subelements').flatMap((item) => {
      const sub = attr(item, key);
      if (sub === undefined) {
        if (truthy(skip ?? kw.skip_missing)) return [];
        throw new FilterError(`subelements: an item has no key '${String(key)}'`);
      }
      return list(sub, 'subelements').map((s) => [item, s]);
    }),
  },
};
