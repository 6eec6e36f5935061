// The helpers templates may call, as plain functions over values; registration (arity checks,
// error positions) lives in register.ts so each helper here is only its meaning.
import { stringify as toYaml } from 'yaml';
import { shQuote } from '../core/shell.js';
import type { Vars } from '../core/types.js';
import { contains, equals, isPlainObject, lengthOf, pyStr, toBool, toFloat, toInt, truthy, typeName } from '../expr/values.js';

/** Thrown by a helper on bad input; register.ts adds the position of the call. */
export class HelperError extends Error {}

export interface HelperCall {
  /** `key=value` arguments. */
  hash: Record<string, unknown>;
  /** The variables the template was rendered with (for hostvar). */
  root: Vars;
}

export interface HelperDef {
  minArgs: number;
  maxArgs: number;
  /** Path arguments may be undefined without an error (default, defined). */
  tolerant?: boolean;
  fn(args: unknown[], call: HelperCall): unknown;
}

function str(v: unknown, helper: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new HelperError(`${helper} expects a string, got ${typeName(v)}`);
}

function list(v: unknown, helper: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new HelperError(`${helper} expects a list, got ${typeName(v)}`);
}

function num(v: unknown, helper: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new HelperError(`${helper} expects a number, got ${typeName(v)}`);
}

function ordered(a: unknown, b: unknown, helper: string): [number | string, number | string] {
  if ((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string')) return [a, b];
  throw new HelperError(`${helper} cannot compare ${typeName(a)} with ${typeName(b)}; convert with (int x) first`);
}

/** RFC 3986: everything but unreserved characters encoded, so the result is safe inside a URL query value. */
export function urlencode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Python-style replacement references (\1, \g<name>) as well as JavaScript's ($1, $<name>). */
function expandReplacement(replacement: string, match: RegExpExecArray | string[], groups: Record<string, string> | undefined): string {
  return replacement.replace(/\\(\d+)|\\g<(\w+)>|\$(\d+)|\$<(\w+)>|\$\$/g, (whole, bs: string, gname: string, dollar: string, dname: string) => {
    if (whole === '$$') return '$';
    const index = bs ?? dollar;
    if (index !== undefined) return match[Number(index)] ?? '';
    const name = gname ?? dname;
    if (/^\d+$/.test(name)) return match[Number(name)] ?? '';
    return groups?.[name] ?? '';
  });
}

function regexReplace(s: string, pattern: string, replacement: string, hash: Record<string, unknown>): string {
  let re: RegExp;
  try {
    re = new RegExp(pattern, `g${truthy(hash.ignorecase) ? 'i' : ''}${truthy(hash.multiline) ? 'm' : ''}`);
  } catch (err) {
    throw new HelperError(`regex_replace: invalid pattern ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
  return s.replace(re, (...m: unknown[]) => {
    const last = m.at(-1);
    const groups = last !== null && typeof last === 'object' ? (last as Record<string, string>) : undefined;
    const count = m.length - (groups ? 3 : 2);
    return expandReplacement(replacement, m.slice(0, count) as string[], groups);
  });
}

function range(args: unknown[]): number[] {
  const nums = args.map((a) => toInt(a, NaN));
  if (nums.some(Number.isNaN)) throw new HelperError('range expects whole numbers');
  const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0) throw new HelperError('range step must not be 0');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < end : i > end; i += step) {
    out.push(i);
    if (out.length > 100000) throw new HelperError('range is too long (over 100000 items)');
  }
  return out;
}

function hostvar(host: unknown, name: unknown, root: Vars): unknown {
  const hostvars = root.hostvars;
  const h = String(host);
  const vars = isPlainObject(hostvars) && Object.prototype.hasOwnProperty.call(hostvars, h) ? hostvars[h] : undefined;
  if (!isPlainObject(vars)) throw new HelperError(`hostvar: no host '${h}' in the inventory`);
  const key = String(name);
  if (!Object.prototype.hasOwnProperty.call(vars, key) || vars[key] === undefined) {
    throw new HelperError(`undefined variable 'hostvars[${h}].${key}'`);
  }
  return vars[key];
}

function defaultHelper([value, fallback, onFalsy]: unknown[], { hash }: HelperCall): unknown {
  if (value === undefined || value === null) return fallback;
  return truthy(onFalsy ?? hash.boolean) && !truthy(value) ? fallback : value;
}

export const HELPERS: Record<string, HelperDef> = {
  default: { minArgs: 2, maxArgs: 3, tolerant: true, fn: defaultHelper },
  defined: { minArgs: 1, maxArgs: 1, tolerant: true, fn: ([v]) => v !== undefined },
  eq: { minArgs: 2, maxArgs: 2, fn: ([a, b]) => equals(a, b) },
  ne: { minArgs: 2, maxArgs: 2, fn: ([a, b]) => !equals(a, b) },
  lt: { minArgs: 2, maxArgs: 2, fn: ([a, b]) => { const [x, y] = ordered(a, b, 'lt'); return x < y; } },
  le: { minArgs: 2, maxArgs: 2, fn: ([a, b]) => { const [x, y] = ordered(a, b, 'le'); return x <= y; } },
  gt: { minArgs: 2, maxArgs: 2, fn: ([a, b]) => { const [x, y] = ordered(a, b, 'gt'); return x > y; } },
  ge: { minArgs: 2, maxArgs: 2, fn: ([a, b]) => { const [x, y] = ordered(a, b, 'ge'); return x >= y; } },
  and: { minArgs: 1, maxArgs: Infinity, fn: (args) => args.find((a) => !truthy(a)) ?? args.at(-1) },
  or: { minArgs: 1, maxArgs: Infinity, fn: (args) => args.find((a) => truthy(a)) ?? args.at(-1) },
  not: { minArgs: 1, maxArgs: 1, fn: ([v]) => !truthy(v) },
  ternary: { minArgs: 3, maxArgs: 3, fn: ([c, a, b]) => (truthy(c) ? a : b) },
  contains: {
    minArgs: 2,
    maxArgs: 2,
    fn: ([haystack, needle]) => {
      const found = contains(haystack, needle);
      if (found === undefined) throw new HelperError(`contains expects a list, string or dict first, got ${typeName(haystack)}`);
      return found;
    },
  },
  json: { minArgs: 1, maxArgs: 2, fn: ([v, indent]) => JSON.stringify(v, null, indent === undefined ? undefined : toInt(indent)) ?? 'null' },
  to_yaml: { minArgs: 1, maxArgs: 1, fn: ([v]) => toYaml(v).replace(/\n$/, '') },
  urlencode: { minArgs: 1, maxArgs: 1, fn: ([v]) => urlencode(str(v, 'urlencode')) },
  quote: { minArgs: 1, maxArgs: 1, fn: ([v]) => shQuote(str(v, 'quote')) },
  b64encode: { minArgs: 1, maxArgs: 1, fn: ([v]) => Buffer.from(str(v, 'b64encode'), 'utf8').toString('base64') },
  b64decode: { minArgs: 1, maxArgs: 1, fn: ([v]) => Buffer.from(str(v, 'b64decode'), 'base64').toString('utf8') },
  lower: { minArgs: 1, maxArgs: 1, fn: ([v]) => str(v, 'lower').toLowerCase() },
  upper: { minArgs: 1, maxArgs: 1, fn: ([v]) => str(v, 'upper').toUpperCase() },
  trim: { minArgs: 1, maxArgs: 1, fn: ([v]) => str(v, 'trim').trim() },
  replace: { minArgs: 3, maxArgs: 3, fn: ([v, from, to]) => str(v, 'replace').split(str(from, 'replace')).join(str(to, 'replace')) },
  regex_replace: { minArgs: 3, maxArgs: 3, fn: ([v, p, r], { hash }) => regexReplace(str(v, 'regex_replace'), str(p, 'regex_replace'), str(r, 'regex_replace'), hash) },
  split: {
    minArgs: 1,
    maxArgs: 2,
    fn: ([v, sep]) => {
      const s = str(v, 'split');
      return sep === undefined ? s.split(/\s+/).filter((x) => x !== '') : s.split(str(sep, 'split'));
    },
  },
  join: { minArgs: 1, maxArgs: 2, fn: ([v, sep]) => list(v, 'join').map((x) => (typeof x === 'string' ? x : pyStr(x))).join(sep === undefined ? '' : str(sep, 'join')) },
  concat: {
    minArgs: 1,
    maxArgs: Infinity,
    fn: (args) => (Array.isArray(args[0]) ? args.flatMap((a) => list(a, 'concat')) : args.map((a) => (a === undefined || a === null ? '' : typeof a === 'string' ? a : pyStr(a))).join('')),
  },
  length: {
    minArgs: 1,
    maxArgs: 1,
    fn: ([v]) => {
      const n = lengthOf(v);
      if (n === undefined) throw new HelperError(`length expects a list, string or dict, got ${typeName(v)}`);
      return n;
    },
  },
  first: { minArgs: 1, maxArgs: 1, fn: ([v]) => (typeof v === 'string' ? v : list(v, 'first'))[0] },
  last: { minArgs: 1, maxArgs: 1, fn: ([v]) => (typeof v === 'string' ? v : list(v, 'last')).at(-1) },
  keys: { minArgs: 1, maxArgs: 1, fn: ([v]) => { if (!isPlainObject(v)) throw new HelperError(`keys expects a dict, got ${typeName(v)}`); return Object.keys(v); } },
  int: { minArgs: 1, maxArgs: 2, fn: ([v, fallback]) => toInt(v, fallback === undefined ? 0 : toInt(fallback)) },
  float: { minArgs: 1, maxArgs: 1, fn: ([v]) => toFloat(v) },
  bool: { minArgs: 1, maxArgs: 1, fn: ([v]) => toBool(v) },
  string: { minArgs: 1, maxArgs: 1, fn: ([v]) => (typeof v === 'string' ? v : pyStr(v)) },
  range: { minArgs: 1, maxArgs: 3, fn: (args) => range(args) },
  add: { minArgs: 2, maxArgs: 2, fn: ([a, b]) => num(a, 'add') + num(b, 'add') },
  basename: { minArgs: 1, maxArgs: 1, fn: ([v]) => str(v, 'basename').replace(/\/+$/, '').split('/').at(-1) ?? '' },
  dirname: { minArgs: 1, maxArgs: 1, fn: ([v]) => { const s = str(v, 'dirname'); const i = s.lastIndexOf('/'); return i < 0 ? '' : i === 0 ? '/' : s.slice(0, i); } },
  hostvar: { minArgs: 2, maxArgs: 2, fn: ([h, n], { root }) => hostvar(h, n, root) },
};
