// Ansible's with_<lookup> loops that build their list from the rendered terms: nested, together,
// sequence, subelements, fileglob and first_found, with Ansible 2.14's results (with_items is in loop.ts).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { RunbookError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { revealUnsafe } from '../core/unsafe.js';
import type { LoopLookup } from '../playbook/types.js';
import { describeValue, isMapping } from '../yaml/expect.js';

/** Where fileglob and first_found look for a relative name: the role's files/, the role, the playbook's files/, the playbook. */
export interface LookupPlaces {
  roleDir?: string;
  playbookDir: string;
}

export function lookupItems(lookup: LoopLookup, rendered: unknown, places: LookupPlaces, loc: SourceLoc): unknown[] {
  const terms = revealUnsafe(rendered);
  switch (lookup) {
    case 'nested': return nested(lists(terms, 'with_nested', loc));
    case 'together': return together(lists(terms, 'with_together', loc));
    case 'sequence': return asList(terms).flatMap((t) => sequence(t, loc));
    case 'subelements': return subelements(terms, loc);
    case 'fileglob': return asList(terms).flatMap((t) => fileglob(String(t), places));
    case 'first_found': return firstFound(terms, places, loc);
  }
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

/** Each term of with_nested / with_together as a list (a scalar stands for a list of one, as listify makes it). */
function lists(terms: unknown, what: string, loc: SourceLoc): unknown[][] {
  if (!Array.isArray(terms) || terms.length === 0) throw new RunbookError(`${what} needs a list of lists, found ${describeValue(terms)}`, loc);
  return terms.map((t) => (Array.isArray(t) ? t : [t]));
}

/** Every combination, the first list varying slowest: [[a, b], [1, 2]] gives [a, 1], [a, 2], [b, 1], [b, 2]. */
function nested(ls: unknown[][]): unknown[][] {
  return ls.reduce<unknown[][]>((acc, l) => acc.flatMap((prefix) => l.map((x) => [...prefix, x])), [[]]);
}

/** Zipped, the shorter lists padded with null (Python's zip_longest, as Ansible's together lookup). */
function together(ls: unknown[][]): unknown[][] {
  const n = Math.max(...ls.map((l) => l.length));
  return Array.from({ length: n }, (_, i) => ls.map((l) => (i < l.length ? l[i] : null)));
}

/** with_sequence: "start=1 end=10 stride=2 format=web%02d", "count=3", or the shortcut "[start-]end[/stride][:format]". Items are strings. */
export function sequence(term: unknown, loc: SourceLoc): string[] {
  const text = String(term).trim();
  let start = 1, end: number | undefined, count: number | undefined, stride = 1, format = '%d';
  const num = (v: string, what: string): number => {
    const n = /^-?(0x[0-9a-f]+|0o?[0-7]+|[0-9]+)$/i.test(v) ? Number(v.replace(/^(-?)0(?=[0-7])/, '$10o')) : NaN;
    if (!Number.isInteger(n)) throw new RunbookError(`with_sequence: ${what} must be a whole number, found '${v}'`, loc);
    return n;
  };
  const short = /^(?:(-?[0-9a-fx]+)-)?(-?[0-9a-fx]+)(?:\/(-?[0-9a-fx]+))?(?::(.+))?$/i.exec(text);
  if (short && !text.includes('=')) {
    if (short[1] !== undefined) start = num(short[1], 'start');
    end = num(short[2]!, 'end');
    if (short[3] !== undefined) stride = num(short[3], 'stride');
    if (short[4] !== undefined) format = short[4];
  } else {
    for (const part of text.split(/\s+/).filter(Boolean)) {
      const eq = part.indexOf('=');
      const [k, v] = eq > 0 ? [part.slice(0, eq), part.slice(eq + 1)] : [part, ''];
      if (k === 'start') start = num(v, 'start');
      else if (k === 'end') end = num(v, 'end');
      else if (k === 'count') count = num(v, 'count');
      else if (k === 'stride') stride = num(v, 'stride');
      else if (k === 'format') format = v;
      else throw new RunbookError(`with_sequence: unknown argument '${k}' in '${text}'`, loc, 'use start, end, count, stride and format, or the form 1-10/2:format');
    }
  }
  if (count !== undefined) {
    if (end !== undefined) throw new RunbookError(`with_sequence: give end or count, not both ('${text}')`, loc);
    if (count <= 0) return [];
    end = start + (count - 1) * stride;
  }
  if (end === undefined) throw new RunbookError(`with_sequence: no end or count in '${text}'`, loc, 'write end=N or count=N');
  if (stride === 0) throw new RunbookError(`with_sequence: stride cannot be 0 ('${text}')`, loc);
  if ((stride > 0 && end < start) || (stride < 0 && end > start)) {
    throw new RunbookError(`with_sequence: the end ${end} cannot be reached from ${start} with stride ${stride}`, loc, stride > 0 ? 'to count down, give a negative stride' : 'to count up, give a positive stride');
  }
  const out: string[] = [];
  for (let i = start; stride > 0 ? i <= end : i >= end; i += stride) out.push(printf(format, i, loc));
  return out;
}

/** The one-number printf formats with_sequence uses (%d, %02d, %x, %o, %5s, ...). */
function printf(format: string, n: number, loc: SourceLoc): string {
  let used = false;
  const text = format.replace(/%(-?)(0?)(\d*)([dixXos%])/g, (_m, left: string, zero: string, width: string, conv: string) => {
    if (conv === '%') return '%';
    used = true;
    let s = conv === 'x' ? n.toString(16) : conv === 'X' ? n.toString(16).toUpperCase() : conv === 'o' ? n.toString(8) : String(n);
    const w = Number(width || 0);
    if (s.length < w) s = left ? s.padEnd(w) : zero && conv !== 's' ? (s.startsWith('-') ? '-' + s.slice(1).padStart(w - 1, '0') : s.padStart(w, '0')) : s.padStart(w);
    return s;
  });
  if (!used) throw new RunbookError(`with_sequence: format '${format}' has no %d (or %x, %o, %s) for the number`, loc);
  return text;
}

/** with_subelements: [list of mappings, 'key.path', {skip_missing: bool}] gives [element, subelement] pairs. */
function subelements(terms: unknown, loc: SourceLoc): unknown[][] {
  if (!Array.isArray(terms) || terms.length < 2 || terms.length > 3) {
    throw new RunbookError(`with_subelements needs [list, 'key'] or [list, 'key', {skip_missing: true}], found ${describeValue(terms)}`, loc);
  }
  const [elements, path, flags] = terms as [unknown, unknown, unknown];
  const parents = isMapping(elements) ? Object.values(elements) : elements;
  if (!Array.isArray(parents)) throw new RunbookError(`with_subelements: the first term must be a list (or a mapping), found ${describeValue(elements)}`, loc);
  if (typeof path !== 'string' || path === '') throw new RunbookError(`with_subelements: the second term must be a key name, found ${describeValue(path)}`, loc);
  if (flags !== undefined && !(isMapping(flags) && Object.keys(flags).every((k) => k === 'skip_missing'))) {
    throw new RunbookError(`with_subelements: the third term takes only skip_missing, found ${describeValue(flags)}`, loc);
  }
  const skipMissing = isMapping(flags) && flags.skip_missing === true;
  const out: unknown[][] = [];
  for (const parent of parents) {
    if (!isMapping(parent)) throw new RunbookError(`with_subelements: each element must be a mapping, found ${describeValue(parent)}`, loc);
    if (parent.skipped === true) continue;
    let sub: unknown = parent;
    for (const key of path.split('.')) {
      if (!isMapping(sub) || !(key in sub)) {
        if (skipMissing) { sub = undefined; break; }
        throw new RunbookError(`with_subelements: '${path}' not found in an element`, loc, "add it, or pass {skip_missing: true} as the third term");
      }
      sub = sub[key];
    }
    if (sub === undefined) continue;
    if (!Array.isArray(sub)) throw new RunbookError(`with_subelements: '${path}' must be a list, found ${describeValue(sub)}`, loc);
    for (const child of sub) out.push([parent, child]);
  }
  return out;
}

function searchDirs(places: LookupPlaces): string[] {
  return [...(places.roleDir ? [join(places.roleDir, 'files'), places.roleDir] : []), join(places.playbookDir, 'files'), places.playbookDir];
}

/** A shell pattern for one name (* ? [abc]) as a regex; a leading dot must be matched explicitly, as glob does. */
function globRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** with_fileglob: files (not folders) matching the pattern, in the first search folder holding its folder; sorted. */
function fileglob(pattern: string, places: LookupPlaces): string[] {
  const dir = dirname(pattern);
  const base = basename(pattern);
  const folder = isAbsolute(pattern) ? dir : searchDirs(places).map((d) => join(d, dir)).find((d) => existsSync(d) && statSync(d).isDirectory());
  if (!folder || !existsSync(folder)) return [];
  const re = globRegex(base);
  return readdirSync(folder)
    .filter((name) => re.test(name) && (!name.startsWith('.') || base.startsWith('.')))
    .map((name) => join(folder, name))
    .filter((p) => statSync(p).isFile())
    .sort();
}

/** with_first_found: the first of the names that exists (one item); {files, paths, skip} as Ansible takes them. */
function firstFound(terms: unknown, places: LookupPlaces, loc: SourceLoc): string[] {
  const names: string[] = [];
  const paths: string[] = [];
  let skip = false;
  const split = (v: unknown): string[] => asList(v).flatMap((x) => String(x).split(/[,;]/)).map((s) => s.trim()).filter(Boolean);
  for (const term of asList(terms)) {
    if (isMapping(term)) {
      for (const k of Object.keys(term)) if (!['files', 'paths', 'skip'].includes(k)) throw new RunbookError(`with_first_found: unknown option '${k}'`, loc, 'use files, paths and skip');
      names.push(...split(term.files ?? []));
      paths.push(...split(term.paths ?? []));
      if (term.skip === true) skip = true;
    } else if (typeof term === 'string') names.push(term);
    else throw new RunbookError(`with_first_found: a file name or {files, paths} expected, found ${describeValue(term)}`, loc);
  }
  const candidates = names.flatMap((n) => {
    if (isAbsolute(n)) return [n];
    const bases = paths.length ? paths.map((p) => (isAbsolute(p) ? p : join(places.playbookDir, p))) : searchDirs(places);
    return bases.map((b) => join(b, n));
  });
  const found = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (found) return [found];
  if (skip) return [];
  throw new RunbookError('with_first_found: none of the files was found', loc, `looked for: ${candidates.join(', ') || '(no names given)'}`);
}
