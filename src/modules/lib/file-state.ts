// Reads one path's state on the host with POSIX sh + coreutils only (managed hosts have no
// Python): type, mode, owner, size, sha1 and, when asked, the content as base64.
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { shQuote } from '../../core/shell.js';
import { HOST_PATH_FUNCTIONS } from './host-path.js';
import { keyValues, type Sections } from './sections.js';

/** Files above this size get no text diff and are not fetched for one. */
export const DIFF_LIMIT = 256 * 1024;

export type FileType = 'file' | 'directory' | 'link' | 'other';

export interface FileState {
  path: string;
  exists: boolean;
  type?: FileType;
  /** stat's own words ("regular file", "fifo", ...), for the stat module. */
  rawType?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  size?: number;
  mtime?: number;
  sha1?: string;
  /** readlink of the path itself when it is a symlink (even a dangling one). */
  linkTarget?: string;
  /** With follow: the path was a symlink to nothing. */
  dangling?: boolean;
  readable?: boolean;
  writable?: boolean;
  executable?: boolean;
  /** State of the parent directory, so planners can tell "parent missing" from other failures. */
  parent: 'dir' | 'missing' | 'other';
  /** Set when reaching the path meant following a link nobody trusted (host-path.ts): why. Nothing else was read. */
  refused?: string;
  /** Present only when the content was asked for and read. */
  content?: Buffer;
}

export interface FileProbeOptions {
  /** Follow a symlink at the path (copy, lineinfile, stat follow=yes); default false (file, stat). */
  follow?: boolean;
  /** 'always' for editors (lineinfile), 'small' for diffs (only files up to DIFF_LIMIT), 'never' by default. */
  content?: 'always' | 'small' | 'never';
  /** Read the file for its sha1 (default true). Reading moves its access time, which file must not do. */
  hash?: boolean;
  /**
   * Modules that change the path read it as they will write it (host-path.ts): the directory is
   * entered without following untrusted links, and with follow only trusted links are followed;
   * otherwise `refused` says why and nothing is read. Default true; stat, which only reads, passes false.
   */
  guard?: boolean;
}

/** Two probe sections: `KEY` (key=value facts) and `KEY.content` (base64). */
export function fileStateSections(key: string, path: string, opts: FileProbeOptions = {}): Sections {
  return opts.guard === false ? unguardedSections(key, path, opts) : guardedSections(key, path, opts);
}

/** stat's format for a path's facts: %F may hold spaces but never '|'; owner and group names hold neither. */
const STAT_FORMAT = '%F|%a|%u|%g|%U|%G|%s|%Y';

/** The facts about entry "$n" of the current directory (or path "$n"), whichever way it was reached. */
function factLines(follow: boolean, hash = true): string[] {
  const L = follow ? '-L ' : '';
  const present = follow ? '[ -e "$n" ]' : '{ [ -e "$n" ] || [ -L "$n" ]; }';
  return [
    `if ${present}; then`,
    `  stat ${L}-c 'stat=${STAT_FORMAT}' -- "$n"`,
    `  if ${hash ? 'true' : 'false'} && [ -f "$n" ] && { [ ! -L "$n" ] || ${follow ? 'true' : 'false'}; }; then`,
    // sha1sum's whole line ("<hash>  -"), cut on the controller: 1 process on the host, where `| cut` made 3.
    `    if [ -r "$n" ]; then printf 'sha1=%s\\n' "$(sha1sum < "$n")"; fi`,
    '  fi',
    '  [ -r "$n" ] && echo readable=1; [ -w "$n" ] && echo writable=1; [ -x "$n" ] && echo executable=1',
    'fi',
  ];
}

function contentLines(mode: 'always' | 'small', follow: boolean): string[] {
  const sizeOk = mode === 'small' ? ` && [ "$(stat -L -c %s -- "$n")" -le ${DIFF_LIMIT} ]` : '';
  // Without follow a link's target is never read: -D must not show what a planted link points at.
  const notLink = follow ? '' : ' && [ ! -L "$n" ]';
  return [`if [ -f "$n" ]${notLink} && [ -r "$n" ]${sizeOk}; then echo read; base64 < "$n"; fi`];
}

function guardedSections(key: string, path: string, opts: FileProbeOptions): Sections {
  const follow = opts.follow ?? false;
  const p = shQuote(path);
  const mode = opts.content ?? 'never';
  const hash = opts.hash !== false;
  // Which regular file is read for its content: the entry itself, never a link's target.
  const readIf = mode === 'never' ? 'false' : mode === 'always' ? 'true' : `rb_sz=\${rb_st%|*}; [ "\${rb_sz##*|}" -le ${DIFF_LIMIT} ]`;
  // One function, not a ( ) subshell (a process): "$n" is the entry to act on, relative to the directory
  // rb_locate entered; the shell goes back to where it was afterwards for the sections that follow.
  // The content, when asked for, is printed after an @content line below the facts (one walk, not two),
  // and its sha1 is then taken on the controller: no sha1sum.
  const facts = [
    HOST_PATH_FUNCTIONS,
    // What the path itself is, before anything is followed (a link's own text is harmless).
    `if [ -L ${p} ]; then printf 'link=%s\\n' "$(readlink -- ${p})"; ${follow ? `[ -e ${p} ] || echo dangling=1; ` : ''}fi`,
    'rb_facts() {',
    `rb_locate ${p} ${follow ? 1 : 0}`,
    'rb_rc=$?',
    'n=$rb_name',
    'case $rb_rc in',
    '  0) echo parent=dir ;;',
    '  2) echo parent=missing; return ;;',
    `  4) echo parent=dir; printf 'refused=%s\\n' "$rb_why"; return ;;`,
    '  *) echo parent=other; return ;;',
    'esac',
    '{ [ -e "$n" ] || [ -L "$n" ]; } || return 0',
    `rb_st=$(stat -c '${STAT_FORMAT}' -- "$n") && printf 'stat=%s\\n' "$rb_st"`,
    'rb_read=',
    'if [ -f "$n" ] && [ ! -L "$n" ] && [ -r "$n" ]; then',
    `  if ${readIf}; then rb_read=1; ${hash ? `else printf 'sha1=%s\\n' "$(sha1sum < "$n")"; ` : ''}fi`,
    'fi',
    '[ -r "$n" ] && echo readable=1; [ -w "$n" ] && echo writable=1; [ -x "$n" ] && echo executable=1',
    'if [ -n "$rb_read" ]; then echo @content; echo read; base64 < "$n"; fi',
    '}',
    'rb_back=$PWD',
    'rb_facts',
    'cd -- "$rb_back" 2>/dev/null || :',
  ].join('\n');
  return { [key]: facts, [`${key}.content`]: ':' };
}

/** stat's reading: the path as given, links followed by the kernel when asked. */
function unguardedSections(key: string, path: string, opts: FileProbeOptions): Sections {
  const p = shQuote(path);
  const follow = opts.follow ?? false;
  const facts = [
    `n=${p}`,
    ...factLines(follow, opts.hash !== false),
    ...(follow ? ['if [ ! -e "$n" ] && [ -L "$n" ]; then echo dangling=1; fi'] : []),
    `if [ -L "$n" ]; then printf 'link=%s\\n' "$(readlink -- "$n")"; fi`,
    // dirname(1)'s answer, worked out here: no process on the host.
    `d=${shQuote(posix.dirname(path))}`,
    `if [ -d "$d" ]; then echo parent=dir; elif [ -e "$d" ]; then echo parent=other; else echo parent=missing; fi`,
  ].join('\n');
  const mode = opts.content ?? 'never';
  const content = mode === 'never' ? ':' : [`n=${p}`, ...contentLines(mode, true)].join('\n');
  return { [key]: facts, [`${key}.content`]: content };
}

function typeOf(raw: string): FileType {
  if (raw.startsWith('regular')) return 'file';
  if (raw === 'directory') return 'directory';
  if (raw === 'symbolic link') return 'link';
  return 'other';
}

/** Parses what fileStateSections printed. */
export function parseFileState(sections: Sections, key: string, path: string): FileState {
  // The content of a guarded probe follows an @content line after the facts (after parent=, so no
  // link text printed before it can fake one); a separate `key.content` section is the other form.
  const text = sections[key] ?? '';
  const parentAt = text.search(/^parent=/m);
  const at = parentAt < 0 ? -1 : text.indexOf('\n@content\n', parentAt);
  const kv = keyValues(at < 0 ? text : text.slice(0, at + 1));
  const parent = (['dir', 'missing', 'other'] as const).find((p) => p === kv.parent) ?? 'missing';
  const state: FileState = { path, exists: false, parent };
  if (kv.link !== undefined) state.linkTarget = kv.link;
  if (kv.refused !== undefined) state.refused = kv.refused;
  if (kv.dangling) state.dangling = true;
  if (kv.stat !== undefined) {
    // %F may hold spaces but never '|'; owner and group names hold neither.
    const [rawType, mode, uid, gid, owner, group, size, mtime] = kv.stat.split('|');
    Object.assign(state, {
      exists: true,
      rawType,
      type: typeOf(rawType),
      mode: parseInt(mode, 8),
      uid: Number(uid),
      gid: Number(gid),
      owner,
      group,
      size: Number(size),
      mtime: Number(mtime),
      readable: kv.readable === '1',
      writable: kv.writable === '1',
      executable: kv.executable === '1',
    });
    // The hash is the line's first word; an empty one (sha1sum failed) leaves sha1 unset, as a file not read.
    const hash = kv.sha1?.split(' ')[0];
    if (hash) state.sha1 = hash;
  }
  const body = at < 0 ? sections[`${key}.content`] ?? '' : text.slice(at + '\n@content\n'.length);
  if (body.startsWith('read\n')) {
    state.content = Buffer.from(body.slice(5).replace(/\s+/g, ''), 'base64');
    // Read for its content, the file was not hashed on the host.
    if (state.exists && state.sha1 === undefined) state.sha1 = createHash('sha1').update(state.content).digest('hex');
  }
  return state;
}
