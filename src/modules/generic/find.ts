// find: lists the files under paths that match patterns, age, size, type and content, as Ansible
// 2.14's find does. One script on the host does all of it: GNU find selects (types, hidden, globs,
// age, size), grep -P narrows by regex and content, and one more find prints every match's stat
// (lstat, as Ansible) with -printf; sha1sum runs once over the matched files. No per-file round trip.
import { posix } from 'node:path';
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { formatMode } from '../lib/mode.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';

export const findSpec = defineSpec({
  description: 'Lists the files (or directories, links) under one or more paths that match name patterns, age, size and content, for register:; never changes anything.',
  args: {
    paths: { type: 'list', required: true, aliases: ['name', 'path'], description: "Directories to search. A leading '~' is the connecting user's home; a text with commas is several paths, as in Ansible." },
    patterns: { type: 'list', default: [], aliases: ['pattern'], description: "Names (basenames) to select: shell globs, or regular expressions with use_regex. Nothing given selects every name ('*')." },
    excludes: { type: 'list', aliases: ['exclude'], description: 'Names to leave out of what patterns selected (globs, or regular expressions with use_regex).' },
    use_regex: { type: 'bool', default: false, description: "patterns and excludes are regular expressions matched at the start of the basename (Python's re.match), run on the host with grep -P (PCRE)." },
    contains: { type: 'str', description: 'Only files with a line that starts with a match of this regular expression (grep -P on the host); file_type: file only.' },
    read_whole_file: { type: 'bool', default: false, description: 'With contains: search the whole file at once (a match may span lines) instead of line by line.' },
    file_type: { type: 'str', choices: ['file', 'directory', 'link', 'any'], default: 'file', description: 'The kind of entry to select (the entry itself, never what a link points to).' },
    age: { type: 'str', description: "Select entries at least this old ('2d'), or with a minus at most this old ('-1h'): a whole number with s, m, h, d or w (seconds without)." },
    age_stamp: { type: 'str', choices: ['atime', 'ctime', 'mtime'], default: 'mtime', description: 'Which time age compares.' },
    size: { type: 'str', description: "Select files of at least this size ('10m'), or with a minus at most this size ('-1k'): a whole number with b, k, m, g or t (1024-based; bytes without). Directories and links are not sized." },
    recurse: { type: 'bool', default: false, description: 'Descend into subdirectories; without it only the entries directly in each path are looked at.' },
    depth: { type: 'int', min: 1, description: 'With recurse: how many levels down to look (1: only the entries directly in the path).' },
    hidden: { type: 'bool', default: false, description: "Select entries whose name starts with '.' too (hidden directories are searched either way, as Ansible does)." },
    follow: { type: 'bool', default: false, description: 'Descend into directories that symbolic links point to.' },
    get_checksum: { type: 'bool', default: false, description: 'Add the sha1 checksum of every regular file matched.' },
  },
  examples: `- name: Logs older than two weeks
  find:
    paths: /var/log/app
    patterns: '*.log,*.gz'
    age: 2w
    recurse: yes
  register: old_logs

- name: Remove them
  file:
    path: "{{ item.path }}"
    state: absent
  loop: "{{ old_logs.files }}"

- name: Large dumps mentioning a database
  find:
    paths: /srv/backups
    size: 100m
    contains: '^-- Database: app'
    get_checksum: yes`,
  returns: {
    files: 'A list of stat dicts, one per match: path, mode, isdir, isreg, islnk, isfifo, issock, isblk, ischr, uid, gid, pw_name, gr_name, size, inode, dev, nlink, atime, mtime, ctime, the permission bits (rusr ... xoth, isuid, isgid), and checksum with get_checksum.',
    matched: 'How many entries matched.',
    examined: 'How many entries were looked at (up to depth).',
    skipped_paths: 'Paths that could not be searched (not a directory, permission denied), each with why.',
  },
});

export type FindSpecArgs = ArgsOf<typeof findSpec>;

export interface FindArgs extends Omit<FindSpecArgs, 'age' | 'size' | 'excludes'> {
  excludes: string[];
  /** Seconds; negative: at most this old. */
  age?: number;
  /** Bytes; negative: at most this big. */
  size?: number;
}

const AGE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const SIZE_UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Ansible's list type: a text with commas is several items. */
function splitList(items: string[] | undefined): string[] {
  return (items ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

export function parseFindArgs(raw: Record<string, unknown>, loc: SourceLoc): FindArgs {
  const { args, reader } = parseSpec('find', findSpec, raw, loc);
  const amount = (name: 'age' | 'size', units: Record<string, number>, what: string): number | undefined => {
    const text = args[name];
    if (text === undefined) return undefined;
    const m = /^(-?\d+)([a-z])?$/.exec(text.trim().toLowerCase());
    if (!m || (m[2] !== undefined && units[m[2]] === undefined)) {
      throw reader.error(`failed to process ${name} '${text}'`, `a whole number, optionally with ${what}, and a leading '-' for "at most"`);
    }
    return Number(m[1]) * (m[2] ? units[m[2]]! : 1);
  };
  const paths = splitList(args.paths);
  if (paths.length === 0) throw reader.error("'paths' is required");
  if (args.depth !== undefined && !args.recurse) throw reader.error('depth needs recurse: yes', 'without recurse only the entries directly in each path are looked at');
  if (args.contains !== undefined && args.file_type !== 'file') throw reader.error(`contains applies to file_type: file only (got ${args.file_type})`);
  return {
    ...args,
    paths,
    patterns: splitList(args.patterns),
    excludes: splitList(args.excludes),
    age: amount('age', AGE_UNITS, 's, m, h, d or w'),
    size: amount('size', SIZE_UNITS, 'b, k, m, g or t'),
  };
}

/** A path as the host's shell should see it: a leading ~ is $HOME, and a relative path never starts with '-'. */
function hostPath(p: string): string {
  if (p === '~') return '"$HOME"';
  if (p.startsWith('~/')) return `"$HOME"/${shQuote(p.slice(2))}`;
  return shQuote(p.startsWith('/') ? p : `./${p}`);
}

/** One -printf record per match: the fields of Ansible's statinfo, NUL-separated (a path may hold anything but NUL). */
export const STAT_FORMAT = '%y\\0%m\\0%s\\0%A@\\0%T@\\0%C@\\0%U\\0%G\\0%u\\0%g\\0%i\\0%D\\0%n\\0%p\\0';
const STAT_FIELDS = 14;

function nameTest(patterns: string[]): string {
  return `\\( ${patterns.map((p) => `-name ${shQuote(p)}`).join(' -o ')} \\)`;
}

/**
 * PCRE for grep -z over whole paths: the basename starts with a match of one of the patterns
 * (re.match). The match starts after the last '/', so a '^' or '\\A' of the pattern (start of the
 * basename) becomes "just after a '/'".
 */
export function basenameRegex(patterns: string[]): string {
  return `^.*/(?=[^/]*$)(?:${patterns.map((p) => `(?:${anchorAtName(p)})`).join('|')})`;
}

function anchorAtName(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      out += !inClass && next === 'A' ? '(?<=/)' : c + next;
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      // A ']' (or '^]') right after '[' is a literal member of the class.
      if (pattern[i + 1] === '^') out += pattern[++i];
      if (pattern[i + 1] === ']') out += pattern[++i];
    } else {
      out += c === '^' ? '(?<=/)' : c;
    }
  }
  return out;
}

/** The find expression that selects (everything but regex names and content). */
export function findTests(a: FindArgs): string[] {
  const t: string[] = [];
  const type = a.follow ? '-xtype' : '-type';
  const kind = { file: 'f', directory: 'd', link: 'l', any: '' }[a.file_type];
  if (kind) t.push(`${type} ${kind}`);
  if (!a.hidden) t.push("! -name '.*'");
  if (!a.use_regex) {
    if (a.patterns.length > 0 && !a.patterns.includes('*')) t.push(nameTest(a.patterns));
    if (a.excludes.length > 0) t.push(`! ${nameTest(a.excludes)}`);
  }
  if (a.age !== undefined) {
    const x = a.age_stamp[0];
    // age >= 0: now - stamp >= age, i.e. not newer than now - age; age < 0: newer than now - |age|.
    const when = `"@$((rb_now - ${Math.abs(a.age)}))"`;
    t.push(a.age >= 0 ? `! -newer${x}t ${when}` : `-newer${x}t ${when}`);
  }
  if (a.size !== undefined && (a.file_type === 'file' || a.file_type === 'any')) {
    const n = Math.abs(a.size);
    // find's -size N c counts bytes exactly: +N is "more than N", -N "less than N".
    const test = a.size >= 0 ? (n > 0 ? `-size +${n - 1}c` : '') : `-size -${n + 1}c`;
    if (test) t.push(a.file_type === 'any' ? `\\( ! ${type} f -o ${test} \\)` : test);
  }
  return t;
}

/** The whole host script: per path, a section with its verdict, its count, the matches' stat records and checksums. */
export function findScript(a: FindArgs): string {
  const depth = a.recurse ? (a.depth !== undefined ? ` -maxdepth ${a.depth}` : '') : ' -maxdepth 1';
  const filters: string[] = [];
  if (a.use_regex) {
    const patterns = a.patterns.length > 0 ? a.patterns : ['.*'];
    filters.push(`grep -zP -e ${shQuote(basenameRegex(patterns))}`);
    if (a.excludes.length > 0) filters.push(`grep -zvP -e ${shQuote(basenameRegex(a.excludes))}`);
  }
  if (a.contains !== undefined) {
    // Ansible: re.match on each line, or re.search over the whole file with read_whole_file.
    filters.push(a.read_whole_file ? `xargs -0 -r grep -lZzP -e ${shQuote(a.contains)} --` : `xargs -0 -r grep -lZP -e ${shQuote(`^(?:${a.contains})`)} --`);
  }
  const select = [`find ${a.follow ? '-L' : '-H'} "$p" -mindepth 1${depth} -fprintf "$rb_t/n" . ${findTests(a).join(' ')} -print0 2>"$rb_t/e"`.replace(/ {2,}/g, ' '), ...filters.map((f) => `${f} 2>>"$rb_t/e"`)].join(' | ');
  const parts: Record<string, string> = {};
  a.paths.forEach((path, i) => {
    parts[`p${i}`] = [
      `p=${hostPath(path)}`,
      `if [ -d "$p" ]; then`,
      `  ${select} > "$rb_t/l"`,
      `  printf 'examined=%s\\n' "$(stat -c %s "$rb_t/n")"`,
      `  find -files0-from "$rb_t/l" -maxdepth 0 -printf '${STAT_FORMAT}'`,
      `else echo notdir; fi`,
    ].join('\n');
    parts[`e${i}`] = `[ -d "$p" ] && [ -s "$rb_t/e" ] && cat "$rb_t/e"; :`;
    if (a.get_checksum) parts[`c${i}`] = `[ -d "$p" ] && find -files0-from "$rb_t/l" -maxdepth 0 -type f -exec sha1sum -z -- {} + 2>/dev/null; :`;
  });
  return [
    'rb_t=$(mktemp -d) || exit 1',
    `trap 'rm -rf "$rb_t"' EXIT`,
    ...(a.age !== undefined ? ['rb_now=$(date +%s)'] : []),
    sectionsScript(parts),
  ].join('\n');
}

const TYPES: Record<string, string> = { d: 'isdir', c: 'ischr', b: 'isblk', f: 'isreg', p: 'isfifo', l: 'islnk', s: 'issock' };
const PERMS: Array<[string, number]> = [
  ['wusr', 0o200], ['rusr', 0o400], ['xusr', 0o100],
  ['wgrp', 0o020], ['rgrp', 0o040], ['xgrp', 0o010],
  ['woth', 0o002], ['roth', 0o004], ['xoth', 0o001],
  ['isuid', 0o4000], ['isgid', 0o2000],
];

/** One -printf record as Ansible's statinfo dict (path first). */
function statDict(f: string[]): Record<string, unknown> {
  const [type, mode, size, atime, mtime, ctime, uid, gid, user, group, inode, dev, nlink, path] = f as [string, string, string, string, string, string, string, string, string, string, string, string, string, string];
  const bits = parseInt(mode, 8);
  const out: Record<string, unknown> = { path: posix.normalize(path.replace(/^\.\//, '')) };
  out.mode = formatMode(bits);
  for (const [c, key] of Object.entries(TYPES)) out[key] = type === c;
  Object.assign(out, {
    uid: Number(uid),
    gid: Number(gid),
    size: Number(size),
    inode: Number(inode),
    dev: Number(dev),
    nlink: Number(nlink),
    atime: Number(atime),
    mtime: Number(mtime),
    ctime: Number(ctime),
    // find prints the number when the id has no name; Ansible gives ''.
    gr_name: group === gid ? '' : group,
    pw_name: user === uid ? '' : user,
  });
  for (const [key, bit] of PERMS) out[key] = (bits & bit) !== 0;
  return out;
}

export function planFind(a: FindArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const files: Record<string, unknown>[] = [];
  const skipped: Record<string, string> = {};
  let examined = 0;
  a.paths.forEach((path, i) => {
    const text = parsed.sections[`p${i}`] ?? '';
    if (text.startsWith('notdir')) {
      skipped[path] = `'${path}' is not a directory`;
      return;
    }
    const nl = text.indexOf('\n');
    examined += Number(/^examined=(\d+)/.exec(text)?.[1] ?? 0);
    const fields = text.slice(nl + 1).split('\0');
    const sums = new Map<string, string>();
    for (const rec of (parsed.sections[`c${i}`] ?? '').split('\0')) {
      const m = /^([0-9a-f]{40}) {2}([\s\S]*)$/.exec(rec);
      if (m) sums.set(m[2]!, m[1]!);
    }
    for (let at = 0; at + STAT_FIELDS <= fields.length; at += STAT_FIELDS) {
      const record = fields.slice(at, at + STAT_FIELDS);
      const file = statDict(record);
      const sum = sums.get(record[STAT_FIELDS - 1]!);
      if (a.get_checksum && file.isreg && sum) file.checksum = sum;
      files.push(file);
    }
    const errors = (parsed.sections[`e${i}`] ?? '').trim();
    if (errors) skipped[path] = errors.split('\n').map((l) => l.replace(/^(find|grep|xargs): /, '')).join('; ');
  });
  const msg = Object.keys(skipped).length > 0 ? 'Not all paths examined, check warnings for details' : 'All paths examined';
  return { changes: [], steps: [], data: { files, matched: files.length, examined, skipped_paths: skipped, msg } };
}

export const findModule: RemoteModule<FindArgs> = {
  kind: 'remote',
  name: 'find',
  ...specFields(findSpec),
  parse: parseFindArgs,
  probe: (a) => ({ script: findScript(a) }),
  plan: (a, probe) => planFind(a, probe),
};
