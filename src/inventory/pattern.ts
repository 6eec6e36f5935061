// Ansible host patterns for `hosts:` and --limit: names, groups, `a:b` / `a,b` (union),
// `a:&b` (intersection), `a:!b` (exclusion), globs, `~regex`, `all` / `*`, and `group[0:2]` subscripts.
import { InputError } from '../core/errors.js';

export interface PatternSource {
  /** Every host in inventory order. */
  hosts: readonly string[];
  /** Group -> hosts (flattened). */
  members: ReadonlyMap<string, readonly string[]>;
}

/** Names Ansible answers with an implicit local host when the inventory does not list them. */
export const IMPLICIT_LOCALHOST = ['localhost', '127.0.0.1', '::1'];

/** Hosts matching the pattern, in inventory order (an implicit localhost last). Unknown names match nothing. */
export function matchPattern(pattern: string, src: PatternSource): string[] {
  const terms = splitPattern(pattern);
  const regular = terms.filter((t) => !t.startsWith('&') && !t.startsWith('!'));
  const intersections = terms.filter((t) => t.startsWith('&')).map((t) => t.slice(1));
  const exclusions = terms.filter((t) => t.startsWith('!')).map((t) => t.slice(1));
  const selected = new Set<string>();
  for (const t of regular.length ? regular : ['all']) for (const h of matchTerm(t, src)) selected.add(h);
  for (const t of intersections) {
    const keep = new Set(matchTerm(t, src));
    for (const h of [...selected]) if (!keep.has(h)) selected.delete(h);
  }
  for (const t of exclusions) for (const h of matchTerm(t, src)) selected.delete(h);
  const inOrder = src.hosts.filter((h) => selected.has(h));
  const implicit = [...selected].filter((h) => !src.hosts.includes(h));
  return [...inOrder, ...implicit];
}

/** `a,b` splits on commas; otherwise on colons outside brackets, so `web[0:2]` stays whole. */
export function splitPattern(pattern: string): string[] {
  const p = pattern.trim();
  const parts = p.includes(',') ? p.split(',') : (p.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []);
  return parts.map((s) => s.trim()).filter(Boolean);
}

function matchTerm(term: string, src: PatternSource): string[] {
  const sub = /^(.+?)\[(-?[0-9]+)?(:)?(-?[0-9]+)?\]$/.exec(term);
  if (sub && !term.startsWith('~') && (sub[2] !== undefined || sub[4] !== undefined)) {
    return subscript(matchTerm(sub[1]!, src), sub[2], sub[3] !== undefined, sub[4]);
  }
  if (term === 'all' || term === '*') return [...src.hosts];
  const re = term.startsWith('~') ? compileRegex(term.slice(1)) : globToRegex(term);
  const out: string[] = [];
  const groups = [...src.members.keys()].filter((g) => re.test(g));
  for (const g of groups) out.push(...(src.members.get(g) ?? []));
  if (!groups.length || term.startsWith('~') || /[.?*[]/.test(term)) {
    const hosts = src.hosts.filter((h) => re.test(h));
    out.push(...hosts);
    if (!hosts.length && !groups.length && IMPLICIT_LOCALHOST.includes(term)) out.push(term);
  }
  return out;
}

/** Python-style slices: `[0]`, `[1:]`, `[:2]`, `[-1]` (the end is inclusive, as in Ansible). */
function subscript(hosts: string[], start: string | undefined, range: boolean, end: string | undefined): string[] {
  const at = (s: string): number => (Number(s) < 0 ? hosts.length + Number(s) : Number(s));
  if (!range) {
    const h = hosts[at(start ?? '0')];
    return h === undefined ? [] : [h];
  }
  const from = start === undefined ? 0 : at(start);
  const to = end === undefined ? hosts.length - 1 : at(end);
  return hosts.slice(from, to + 1);
}

function compileRegex(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})`);
  } catch (e) {
    throw new InputError(`invalid regular expression in host pattern '~${source}': ${(e as Error).message}`);
  }
}

/** fnmatch: `*`, `?` and `[abc]` / `[!abc]`; everything else literal; whole-name match. */
function globToRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const close = glob.indexOf(']', i + 2);
      const body = glob.slice(i + 1, close);
      re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
      i = close;
    } else re += c.replace(/[\\^$.|+(){}[\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
