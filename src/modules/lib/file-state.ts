// Reads one path's state on the host with POSIX sh + coreutils only (managed hosts have no
// Python): type, mode, owner, size, sha1 and, when asked, the content as base64.
import { shQuote } from '../../core/shell.js';
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
}

/** Two probe sections: `KEY` (key=value facts) and `KEY.content` (base64). */
export function fileStateSections(key: string, path: string, opts: FileProbeOptions = {}): Sections {
  const p = shQuote(path);
  const follow = opts.follow ?? false;
  const L = follow ? '-L ' : '';
  const present = follow ? '[ -e "$p" ]' : '{ [ -e "$p" ] || [ -L "$p" ]; }';
  const facts = [
    `p=${p}`,
    `if ${present}; then`,
    `  stat ${L}-c 'stat=%F|%a|%u|%g|%U|%G|%s|%Y' -- "$p"`,
    `  if ${opts.hash === false ? 'false' : 'true'} && [ -f "$p" ] && { [ ! -L "$p" ] || ${follow ? 'true' : 'false'}; }; then`,
    `    if [ -r "$p" ]; then printf 'sha1=%s\\n' "$(sha1sum < "$p" | cut -c1-40)"; fi`,
    '  fi',
    '  [ -r "$p" ] && echo readable=1; [ -w "$p" ] && echo writable=1; [ -x "$p" ] && echo executable=1',
    `elif [ -L "$p" ]; then echo dangling=1; fi`,
    `if [ -L "$p" ]; then printf 'link=%s\\n' "$(readlink -- "$p")"; fi`,
    `d=$(dirname -- "$p")`,
    `if [ -d "$d" ]; then echo parent=dir; elif [ -e "$d" ]; then echo parent=other; else echo parent=missing; fi`,
  ].join('\n');
  const mode = opts.content ?? 'never';
  const sizeOk = mode === 'small' ? ` && [ "$(stat -L -c %s -- "$p")" -le ${DIFF_LIMIT} ]` : '';
  const content =
    mode === 'never' ? ':' : `p=${p}\nif [ -f "$p" ] && [ -r "$p" ]${sizeOk}; then echo read; base64 < "$p"; fi`;
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
  const kv = keyValues(sections[key]);
  const parent = (['dir', 'missing', 'other'] as const).find((p) => p === kv.parent) ?? 'missing';
  const state: FileState = { path, exists: false, parent };
  if (kv.link !== undefined) state.linkTarget = kv.link;
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
    if (kv.sha1) state.sha1 = kv.sha1;
  }
  const body = sections[`${key}.content`] ?? '';
  if (body.startsWith('read\n')) state.content = Buffer.from(body.slice(5).replace(/\s+/g, ''), 'base64');
  return state;
}
