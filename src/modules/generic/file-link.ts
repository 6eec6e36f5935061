// file state=link on its own: when a symlink may be created or replaced, and doing it atomically.
import { posix } from 'node:path';
import { shQuote } from '../../core/shell.js';
import type { FileState } from '../lib/file-state.js';
import type { HostThing, Plan } from '../types.js';
import { locateLines } from '../lib/host-path.js';
import type { FileArgs } from './file.js';

/** A link that cannot be made yet: `needs` is what an earlier task may create; the link is what it then would create. */
const fail = (path: string, msg: string, needs?: HostThing[]): Plan => ({ changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) }, provides: [{ kind: 'path', path }] });

export function planLink(a: FileArgs, st: FileState, srcExists: boolean, attrsOf: () => Plan): Plan {
  const src = a.src!;
  if (st.type === 'link' && st.linkTarget === src) return attrsOf();
  // The target and the link's directory often come from earlier tasks (a package, a release
  // directory); a forecast has to provide each that is missing.
  const parentMissing = !st.exists && st.linkTarget === undefined && st.parent !== 'dir';
  const needs: HostThing[] = parentMissing && st.parent === 'missing' ? [{ kind: 'path', path: posix.dirname(a.path) }] : [];
  if (!srcExists && !a.force) {
    const abs = posix.resolve(posix.dirname(a.path), src);
    return fail(a.path, `src file does not exist, use "force=yes" if you really want to create the link: ${abs}`, [{ kind: 'path', path: abs }, ...needs]);
  }
  if (parentMissing) return fail(a.path, `directory ${posix.dirname(a.path)} does not exist`, needs.length ? needs : undefined);
  if (st.type === 'directory') return fail(a.path, `refusing to replace directory ${a.path} with a link`);
  if (st.exists && st.type !== 'link' && !a.force) return fail(a.path, `refusing to convert from ${st.type} to symlink for ${a.path}`);
  const p = shQuote(a.path);
  const lines = [
    ...locateLines(a.path, false),
    'set -e',
    // ln -s never writes through an existing name; an unpredictable one is not there to block it.
    'tmp=$(mktemp -u .runbook-link.XXXXXXXXXX)',
    `ln -s -- ${shQuote(src)} "$tmp"`,
    // mv -T renames over the old link or file in one step: no moment without the path.
    'mv -fT -- "$tmp" "$rb_name"',
  ];
  if (a.owner || a.group) lines.push(`chown -h ${shQuote(`${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`)} -- "$rb_name"`);
  const was = st.linkTarget !== undefined ? ` (was -> ${st.linkTarget})` : '';
  return { changes: [`link ${a.path} -> ${src}${was}`], steps: [{ script: lines.join('\n') }] };
}
