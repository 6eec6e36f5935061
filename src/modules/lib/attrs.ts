// Owner, group and mode: reading them from arguments, checking on the host that the named user
// and group exist, and planning the chown/chmod that brings an existing path in line.
import { shQuote } from '../../core/shell.js';
import type { HostThing } from '../types.js';
import type { ArgReader } from './args.js';
import type { FileState } from './file-state.js';
import { chmodArg, formatMode, readMode, resolveMode, type ModeSpec } from './mode.js';
import { locateLines } from './host-path.js';
import { keyValues } from './sections.js';

export interface AttrArgs {
  mode?: ModeSpec;
  owner?: string;
  group?: string;
}

export function readAttrs(args: ArgReader): AttrArgs {
  const owner = args.str('owner');
  const group = args.str('group');
  return { mode: readMode(args), owner: owner || undefined, group: group || undefined };
}

const numeric = (s: string) => /^\d+$/.test(s);

/** Probe section: the uid and gid the named owner and group have on this host (empty: no such account). */
export function accountsScript(a: AttrArgs): string {
  const lines: string[] = [];
  if (a.owner !== undefined && !numeric(a.owner)) lines.push(accountLookup('passwd', 'uid', a.owner));
  if (a.group !== undefined && !numeric(a.group)) lines.push(accountLookup('group', 'gid', a.group));
  return lines.join('\n') || ':';
}

/**
 * `key=<id>` of the account `name` in the `db` database: the first line of /etc/<db> naming it, read
 * with builtins (no process), as NSS's files source, which comes first in every usual nsswitch.conf,
 * answers; only a name not there (LDAP, systemd's dynamic users) costs one `getent`, whose first line
 * the loop reads the same way.
 */
function accountLookup(db: 'passwd' | 'group', key: string, name: string): string {
  const n = shQuote(name);
  const scan = `while IFS=: read -r rb_an rb_ax rb_ai rb_ar; do [ "$rb_an" = ${n} ] && { rb_id=$rb_ai; break; }; done`;
  return [
    'rb_id=',
    `[ -r /etc/${db} ] && ${scan} < /etc/${db}`,
    `[ -n "$rb_id" ] || { ${scan} <<rb_eof`,
    `$(getent ${db} ${n})`,
    'rb_eof',
    '}',
    `printf '${key}=%s\\n' "$rb_id"`,
  ].join('\n');
}

export interface Accounts {
  uid?: number;
  gid?: number;
  /** Set when a named user or group does not exist (yet): the failure, and the accounts it needs. */
  missing?: string;
  needs?: HostThing[];
}

export function parseAccounts(a: AttrArgs, text: string | undefined): Accounts {
  const kv = keyValues(text);
  const out: Accounts = {};
  const missing: string[] = [];
  const needs: HostThing[] = [];
  if (a.owner !== undefined) {
    if (numeric(a.owner)) out.uid = Number(a.owner);
    else if (kv.uid) out.uid = Number(kv.uid);
    else { missing.push(`user '${a.owner}'`); needs.push({ kind: 'user', name: a.owner }); }
  }
  if (a.group !== undefined) {
    if (numeric(a.group)) out.gid = Number(a.group);
    else if (kv.gid) out.gid = Number(kv.gid);
    else { missing.push(`group '${a.group}'`); needs.push({ kind: 'group', name: a.group }); }
  }
  if (missing.length) Object.assign(out, { missing: `${missing.join(' and ')} does not exist on the host`, needs });
  return out;
}

export interface AttrPlan {
  changes: string[];
  /** Shell lines (chown, chmod) for the changes; empty when none. */
  commands: string[];
}

/**
 * What chown/chmod an existing path needs. `target` is the shell word the commands act on
 * (attrsScript's '/proc/self/fd/3', '.' or '"$rb_name"'); default the quoted path.
 */
export function planAttrs(state: FileState, a: AttrArgs, acc: Accounts, opts: { recurse?: boolean; target?: string } = {}): AttrPlan {
  const changes: string[] = [];
  const commands: string[] = [];
  const p = opts.target ?? shQuote(state.path);
  const isLink = state.type === 'link';
  const R = opts.recurse ? '-R ' : '';
  let owner = '';
  if (acc.uid !== undefined && acc.uid !== state.uid) {
    changes.push(`owner ${state.owner ?? state.uid} -> ${a.owner}`);
    owner = a.owner ?? String(acc.uid);
  }
  let group = '';
  if (acc.gid !== undefined && acc.gid !== state.gid) {
    changes.push(`group ${state.group ?? state.gid} -> ${a.group}`);
    group = a.group ?? String(acc.gid);
  }
  if (owner || group) {
    commands.push(`chown ${isLink ? '-h ' : ''}${R}${shQuote(`${owner}${group ? `:${group}` : ''}`)} -- ${p}`);
  }
  if (a.mode && !isLink) {
    const want = resolveMode(a.mode, state.mode, state.type === 'directory');
    if (want !== state.mode) {
      changes.push(`mode ${state.mode === undefined ? '?' : formatMode(state.mode)} -> ${want === undefined ? a.mode.text : formatMode(want)}`);
      commands.push(`chmod ${R}${shQuote(chmodArg(a.mode, want))} -- ${p}`);
    }
  }
  return { changes, commands };
}

/** Owner, group and mode for a file written anew: the given ones, else the old file's, so a rewrite keeps them. */
export function writeAttrs(state: FileState, a: AttrArgs, acc: Accounts): { owner?: string; group?: string; mode?: string } {
  const keep = state.exists && state.type === 'file';
  const owner = acc.uid !== undefined ? String(acc.uid) : keep ? String(state.uid) : undefined;
  const group = acc.gid !== undefined ? String(acc.gid) : keep ? String(state.gid) : undefined;
  let mode: string | undefined;
  if (a.mode) mode = chmodArg(a.mode, resolveMode(a.mode, keep ? state.mode : undefined, false));
  else if (keep && state.mode !== undefined) mode = `0${formatMode(state.mode)}`;
  return { owner, group, mode };
}

/**
 * The step changing owner and mode of an existing path, reached as host-path.ts reaches it (links
 * followed only when trusted, and only with follow). A file is opened and the descriptor checked
 * to be that very entry (device and inode, the name not followed), a directory is entered and
 * checked the same way, so a name swapped for a link after the probe is refused, not followed.
 * A link itself (follow false) gets chown -h by name. Symlinks never get chmod.
 */
export function attrsStep(state: FileState, a: AttrArgs, acc: Accounts, follow: boolean, recurse = false): AttrPlan & { script?: string } {
  const kind = state.type === 'link' ? 'link' : state.type === 'directory' ? 'dir' : 'file';
  const target = kind === 'link' ? '"$rb_name"' : kind === 'dir' ? '.' : '/proc/self/fd/3';
  const plan = planAttrs(state, a, acc, { recurse, target });
  if (plan.commands.length === 0) return plan;
  const swapped = `{ printf '%s changed since it was read: not changed\\n' "$PWD/$rb_name" >&2; exit 1; }`;
  const open =
    kind === 'link'
      ? []
      : kind === 'dir'
        ? ['rb_want=$(stat -c %d:%i -- "$rb_name") || exit 1', 'cd -P -- "$rb_name" || exit 1', `[ "$(stat -c %d:%i .)" = "$rb_want" ] || ${swapped}`]
        : [`[ -f "$rb_name" ] && [ ! -L "$rb_name" ] || ${swapped}`, 'exec 3<"$rb_name" || exit 1', `[ "$(stat -L -c %d:%i /proc/self/fd/3)" = "$(stat -c %d:%i -- "$rb_name")" ] || ${swapped}`];
  return { ...plan, script: [...locateLines(state.path, follow && kind !== 'link'), ...open, 'set -e', ...plan.commands].join('\n') };
}
