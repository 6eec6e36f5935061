// Python methods Jinja2 lets templates call on strings, dicts and lists (`x.split('.')`,
// `d.items()`). A fixed table, so an unknown method is a load-time error and nothing reaches
// JavaScript's own prototype methods. None of them changes its object.
import { FilterError } from './errors.js';
import { equals, isPlainObject, pyStr, typeName } from './values.js';

type Method = (self: never, args: unknown[]) => unknown;

function strArg(v: unknown, method: string): string {
  if (typeof v === 'string') return v;
  throw new FilterError(`'${method}' expects a string argument, got ${typeName(v)}`);
}

/** Python's str.split: no separator splits on runs of whitespace; maxsplit keeps the rest whole. */
export function pySplit(s: string, sep: unknown, maxsplit: unknown = -1, fromRight = false): string[] {
  const max = typeof maxsplit === 'number' ? maxsplit : -1;
  if (sep === undefined || sep === null) {
    const words = s.trim().split(/\s+/).filter((w) => w !== '');
    if (max < 0 || words.length <= max + 1) return words;
    if (fromRight) {
      const keep = words.slice(words.length - max);
      const head = s.trimEnd();
      let cut = head.length;
      for (const w of [...keep].reverse()) cut = head.lastIndexOf(w, cut - 1);
      return [head.slice(0, cut).trimEnd(), ...keep];
    }
    const out: string[] = [];
    let rest = s.trimStart();
    for (let i = 0; i < max; i++) {
      const m = /^(\S+)\s+/.exec(rest)!;
      out.push(m[1]!);
      rest = rest.slice(m[0].length);
    }
    return [...out, rest];
  }
  const separator = strArg(sep, 'split');
  if (separator === '') throw new FilterError('split: empty separator');
  const parts = s.split(separator);
  if (max < 0 || parts.length <= max + 1) return parts;
  return fromRight ? [parts.slice(0, parts.length - max).join(separator), ...parts.slice(parts.length - max)] : [...parts.slice(0, max), parts.slice(max).join(separator)];
}

function strip(s: string, chars: unknown, left: boolean, right: boolean): string {
  if (chars === undefined || chars === null) return left && right ? s.trim() : left ? s.trimStart() : s.trimEnd();
  const set = strArg(chars, 'strip');
  let a = 0;
  let b = s.length;
  while (left && a < b && set.includes(s[a]!)) a++;
  while (right && b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

function affix(s: string, arg: unknown, test: (p: string) => boolean, method: string): boolean {
  return Array.isArray(arg) ? arg.some((p) => test(strArg(p, method))) : test(strArg(arg, method));
}

/** Python's str.format with `{}` and `{0}` only (what templates use). */
function format(s: string, args: unknown[]): string {
  let auto = 0;
  return s.replace(/\{\{|\}\}|\{(\d*)\}/g, (m, idx: string | undefined) => (m === '{{' ? '{' : m === '}}' ? '}' : pyStr(args[idx ? Number(idx) : auto++])));
}

const STRING: Record<string, Method> = {
  split: (s: string, [sep, max]) => pySplit(s, sep, max),
  rsplit: (s: string, [sep, max]) => pySplit(s, sep, max, true),
  splitlines: (s: string) => s.split(/\r\n|\r|\n/).filter((l, i, all) => !(i === all.length - 1 && l === '')),
  startswith: (s: string, [p]) => affix(s, p, (x) => s.startsWith(x), 'startswith'),
  endswith: (s: string, [p]) => affix(s, p, (x) => s.endsWith(x), 'endswith'),
  strip: (s: string, [c]) => strip(s, c, true, true),
  lstrip: (s: string, [c]) => strip(s, c, true, false),
  rstrip: (s: string, [c]) => strip(s, c, false, true),
  lower: (s: string) => s.toLowerCase(),
  upper: (s: string) => s.toUpperCase(),
  title: (s: string) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase()),
  capitalize: (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  replace: (s: string, [a, b, n]) => {
    const from = strArg(a, 'replace');
    const parts = s.split(from);
    const count = typeof n === 'number' && n >= 0 ? n : parts.length;
    return parts.slice(0, count + 1).join(strArg(b, 'replace')) + (count + 1 < parts.length ? from + parts.slice(count + 1).join(from) : '');
  },
  find: (s: string, [x]) => s.indexOf(strArg(x, 'find')),
  count: (s: string, [x]) => s.split(strArg(x, 'count')).length - 1,
  join: (s: string, [xs]) => {
    if (!Array.isArray(xs)) throw new FilterError(`'join' expects a list, got ${typeName(xs)}`);
    return xs.map((x) => strArg(x, 'join')).join(s);
  },
  format: (s: string, args) => format(s, args),
  isdigit: (s: string) => /^\d+$/.test(s),
  isalpha: (s: string) => /^[A-Za-z]+$/.test(s),
  isalnum: (s: string) => /^[A-Za-z0-9]+$/.test(s),
  zfill: (s: string, [w]) => s.padStart(Number(w), '0'),
};

const DICT: Record<string, Method> = {
  items: (d: Record<string, unknown>) => Object.entries(d),
  keys: (d: Record<string, unknown>) => Object.keys(d),
  values: (d: Record<string, unknown>) => Object.values(d),
  get: (d: Record<string, unknown>, [k, fallback = null]) => (Object.prototype.hasOwnProperty.call(d, String(k)) && d[String(k)] !== undefined ? d[String(k)] : fallback),
  copy: (d: Record<string, unknown>) => ({ ...d }),
};

const LIST: Record<string, Method> = {
  index: (l: unknown[], [x]) => {
    const i = l.findIndex((y) => equals(y, x));
    if (i < 0) throw new FilterError(`'index': ${pyStr(x)} is not in the list`);
    return i;
  },
  count: (l: unknown[], [x]) => l.filter((y) => equals(y, x)).length,
  copy: (l: unknown[]) => [...l],
};

export const METHOD_NAMES = new Set([...Object.keys(STRING), ...Object.keys(DICT), ...Object.keys(LIST)]);

export function callMethod(object: unknown, name: string, args: unknown[]): unknown {
  const table = typeof object === 'string' ? STRING : isPlainObject(object) ? DICT : Array.isArray(object) ? LIST : undefined;
  const method = table && Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
  if (!method) throw new FilterError(`${typeName(object)} has no method '${name}'`);
  return method(object as never, args);
}
