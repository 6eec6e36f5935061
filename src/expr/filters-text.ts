// Filters over text: case, regular expressions (Python's syntax), encodings, hashes, serialisation
// (JSON as Python's json.dumps writes it, so a rendered file matches Ansible's byte for byte).
import { createHash } from 'node:crypto';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { expandTemplate, pyRegExp } from '../modules/lib/pyregex.js';
import { FilterError } from './errors.js';
import { shaCrypt } from './sha-crypt.js';
import type { FilterSpec } from './filters.js';
import { isPlainObject, pyStr, truthy, typeName } from './values.js';

function text(v: unknown, filter: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return pyStr(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isPlainObject(v)) return String(v);
  throw new FilterError(`filter '${filter}' expects a string, got ${typeName(v)}`);
}

function regex(pattern: unknown, filter: string, flags: { ignorecase?: unknown; multiline?: unknown }, global: boolean): RegExp {
  try {
    const re = pyRegExp(text(pattern, filter));
    let f = re.flags;
    if (truthy(flags.ignorecase) && !f.includes('i')) f += 'i';
    if (truthy(flags.multiline) && !f.includes('m')) f += 'm';
    if (global) f += 'g';
    return new RegExp(re.source, f);
  } catch (err) {
    if (err instanceof FilterError) throw err;
    throw new FilterError(`${filter}: invalid pattern ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

/** Python's json.dumps: ', ' and ': ' separators, non-ASCII escaped, optional indent and sorted keys. */
export function pyJson(v: unknown, indent?: number, sortKeys = false, depth = 0): string {
  const nl = indent === undefined ? '' : `\n${' '.repeat(indent * (depth + 1))}`;
  const end = indent === undefined ? '' : `\n${' '.repeat(indent * depth)}`;
  const comma = indent === undefined ? ', ' : ',';
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : `[${nl}${v.map((x) => pyJson(x, indent, sortKeys, depth + 1)).join(comma + nl)}${end}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (sortKeys) keys.sort();
    if (keys.length === 0) return '{}';
    return `{${nl}${keys.map((k) => `${pyJson(k)}: ${pyJson(v[k], indent, sortKeys, depth + 1)}`).join(comma + nl)}${end}}`;
  }
  return pyJson(String(v));
}

function hash(s: string, algorithm: string): string {
  const algo = algorithm === 'sha' ? 'sha1' : algorithm;
  try {
    return createHash(algo).update(s, 'utf8').digest('hex');
  } catch {
    throw new FilterError(`hash: unknown algorithm '${algorithm}' (md5, sha1, sha256, sha512 ...)`);
  }
}

function indentText(s: string, width: unknown, first: unknown, blank: unknown): string {
  const pad = typeof width === 'string' ? width : ' '.repeat(Number(width ?? 4));
  const lines = s.split('\n');
  return lines.map((l, i) => ((i === 0 && !truthy(first)) || (l === '' && !truthy(blank)) ? l : pad + l)).join('\n');
}

/** Ansible's comment filter, the plain style: a `#` line above and below, `# ` before each line. */
function comment(s: string, style: unknown, kw: Record<string, unknown>): string {
  const styles: Record<string, { decoration: string; prefix?: string; postfix?: string }> = {
    plain: { decoration: '# ' },
    erlang: { decoration: '% ' },
    c: { decoration: '// ' },
    cblock: { decoration: ' * ', prefix: '/*', postfix: ' */' },
    xml: { decoration: '   - ', prefix: '<!--', postfix: '-->' },
  };
  const st = styles[String(style ?? 'plain')];
  if (!st) throw new FilterError(`comment: unknown style '${String(style)}' (plain, erlang, c, cblock, xml)`);
  const decoration = (kw.decoration as string | undefined) ?? st.decoration;
  const prefix = (kw.prefix as string | undefined) ?? st.prefix ?? decoration.trimEnd();
  const postfix = (kw.postfix as string | undefined) ?? st.postfix ?? decoration.trimEnd();
  const body = s.split('\n').map((l) => (decoration + l).trimEnd() === decoration.trimEnd() && l === '' ? decoration.trimEnd() : decoration + l);
  return [prefix, ...body, postfix].join('\n');
}

const one = (fn: (s: string) => unknown, name: string): FilterSpec => ({ minArgs: 0, maxArgs: 0, apply: (v) => fn(text(v, name)) });

export const TEXT_FILTERS: Record<string, FilterSpec> = {
  lower: one((s) => s.toLowerCase(), 'lower'),
  upper: one((s) => s.toUpperCase(), 'upper'),
  capitalize: one((s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(), 'capitalize'),
  title: one((s) => s.toLowerCase().replace(/(^|[^A-Za-z0-9])([a-z])/g, (_m, a: string, b: string) => a + b.toUpperCase()), 'title'),
  trim: one((s) => s.trim(), 'trim'),
  replace: {
    minArgs: 2,
    maxArgs: 3,
    apply: (v, [from, to, count]) => {
      const parts = text(v, 'replace').split(text(from, 'replace'));
      const n = typeof count === 'number' ? count : parts.length;
      return parts.slice(0, n + 1).join(text(to, 'replace')) + (n + 1 < parts.length ? text(from, 'replace') + parts.slice(n + 1).join(text(from, 'replace')) : '');
    },
  },
  regex_replace: {
    minArgs: 1,
    maxArgs: 2,
    kwargs: ['ignorecase', 'multiline', 'count'],
    apply: (v, [pattern, replacement = ''], kw) => {
      const re = regex(pattern, 'regex_replace', kw, true);
      let left = typeof kw.count === 'number' && kw.count > 0 ? kw.count : Infinity;
      return text(v, 'regex_replace').replace(re, (...m: unknown[]) => {
        if (left-- <= 0) return String(m[0]);
        const groups = m.at(-1) !== null && typeof m.at(-1) === 'object' ? (m.at(-1) as Record<string, string>) : undefined;
        const match = Object.assign(m.slice(0, m.length - (groups ? 3 : 2)) as string[], { groups }) as unknown as RegExpExecArray;
        return expandTemplate(text(replacement, 'regex_replace'), match);
      });
    },
  },
  regex_search: {
    minArgs: 1,
    maxArgs: Infinity,
    kwargs: ['ignorecase', 'multiline'],
    apply: (v, [pattern, ...groups], kw) => {
      const m = regex(pattern, 'regex_search', kw, false).exec(text(v, 'regex_search'));
      if (!m) return null;
      if (groups.length === 0) return m[0];
      return groups.map((g) => {
        const ref = String(g).replace(/^\\g<(\w+)>$/, '$1').replace(/^\\(\d+)$/, '$1');
        return /^\d+$/.test(ref) ? m[Number(ref)] : m.groups?.[ref];
      });
    },
  },
  regex_findall: {
    minArgs: 1,
    maxArgs: 1,
    kwargs: ['ignorecase', 'multiline'],
    apply: (v, [pattern], kw) => [...text(v, 'regex_findall').matchAll(regex(pattern, 'regex_findall', kw, true))].map((m) => (m.length > 2 ? m.slice(1) : m.length === 2 ? m[1] : m[0])),
  },
  regex_escape: one((s) => s.replace(/[^A-Za-z0-9_]/g, (c) => `\\${c}`), 'regex_escape'),
  b64encode: one((s) => Buffer.from(s, 'utf8').toString('base64'), 'b64encode'),
  b64decode: one((s) => Buffer.from(s, 'base64').toString('utf8'), 'b64decode'),
  hash: { minArgs: 0, maxArgs: 1, apply: (v, [algo = 'sha1']) => hash(text(v, 'hash'), String(algo)) },
  password_hash: {
    minArgs: 0,
    maxArgs: 3,
    kwargs: ['hashtype', 'salt', 'rounds'],
    apply: (v, [type, salt, rounds], kw) => {
      const t = String(type ?? kw.hashtype ?? 'sha512').replace(/_crypt$/, '');
      if (t !== 'sha512' && t !== 'sha256') throw new FilterError(`password_hash: '${t}' is not supported; use sha512 or sha256`);
      const r = rounds ?? kw.rounds;
      return shaCrypt(t, text(v, 'password_hash'), (salt ?? kw.salt) as string | undefined, r === undefined ? 5000 : Number(r));
    },
  },
  md5: one((s) => hash(s, 'md5'), 'md5'),
  sha1: one((s) => hash(s, 'sha1'), 'sha1'),
  checksum: one((s) => hash(s, 'sha1'), 'checksum'),
  // Python's shlex.quote, whose quoting of a ' differs from runbook's own shQuote.
  quote: one((s) => (s === '' ? "''" : /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`), 'quote'),
  urlencode: one((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`), 'urlencode'),
  basename: one((s) => s.slice(s.lastIndexOf('/') + 1), 'basename'),
  dirname: one((s) => { const i = s.lastIndexOf('/'); const head = i < 0 ? '' : s.slice(0, i + 1); return /^\/+$/.test(head) ? head : head.replace(/\/+$/, ''); }, 'dirname'),
  splitext: one((s) => { const m = /^(.*?)(\.[^./]*)?$/.exec(s)!; return m[1] === '' || m[1]!.endsWith('/') ? [s, ''] : [m[1], m[2] ?? '']; }, 'splitext'),
  expanduser: one((s) => s.replace(/^~(?=\/|$)/, process.env.HOME ?? '~'), 'expanduser'),
  indent: {
    minArgs: 0,
    maxArgs: 3,
    kwargs: ['width', 'first', 'blank', 'indentfirst'],
    apply: (v, [width, first, blank], kw) => indentText(text(v, 'indent'), width ?? kw.width, first ?? kw.first ?? kw.indentfirst, blank ?? kw.blank),
  },
  comment: { minArgs: 0, maxArgs: 1, kwargs: ['decoration', 'prefix', 'postfix'], apply: (v, [style], kw) => comment(text(v, 'comment'), style, kw) },
  center: { minArgs: 0, maxArgs: 1, apply: (v, [w = 80]) => { const s = text(v, 'center'); const pad = Math.max(0, Number(w) - s.length); const l = Math.floor(pad / 2); return ' '.repeat(l) + s + ' '.repeat(pad - l); } },
  wordcount: one((s) => s.split(/\s+/).filter(Boolean).length, 'wordcount'),
  to_json: { minArgs: 0, maxArgs: 0, kwargs: ['indent', 'sort_keys'], apply: (v, _a, kw) => pyJson(v, kw.indent as number | undefined, truthy(kw.sort_keys)) },
  to_nice_json: { minArgs: 0, maxArgs: 0, kwargs: ['indent', 'sort_keys'], apply: (v, _a, kw) => pyJson(v, (kw.indent as number | undefined) ?? 4, kw.sort_keys === undefined ? true : truthy(kw.sort_keys)) },
  from_json: {
    minArgs: 0,
    maxArgs: 0,
    apply: (v) => {
      try {
        return JSON.parse(text(v, 'from_json')) as unknown;
      } catch (err) {
        throw new FilterError(`from_json: not JSON: ${(err as Error).message}`);
      }
    },
  },
  to_yaml: { minArgs: 0, maxArgs: 0, kwargs: ['indent'], apply: (v, _a, kw) => toYaml(v, { indent: Number(kw.indent ?? 2), flowCollectionPadding: false }) },
  to_nice_yaml: { minArgs: 0, maxArgs: 0, kwargs: ['indent', 'sort_keys'], apply: (v, _a, kw) => toYaml(v, { indent: Number(kw.indent ?? 4), sortMapEntries: kw.sort_keys === undefined ? true : truthy(kw.sort_keys), indentSeq: false }) },
  from_yaml: {
    minArgs: 0,
    maxArgs: 0,
    apply: (v) => {
      try {
        return parseYaml(text(v, 'from_yaml'), { maxAliasCount: 100 }) as unknown;
      } catch (err) {
        throw new FilterError(`from_yaml: not YAML: ${(err as Error).message}`);
      }
    },
  },
  type_debug: { minArgs: 0, maxArgs: 0, apply: (v) => ({ str: 'str', int: 'int', float: 'float', list: 'list', dict: 'dict', none: 'NoneType', boolean: 'bool' } as Record<string, string>)[typeName(v)] ?? typeName(v) },
};
