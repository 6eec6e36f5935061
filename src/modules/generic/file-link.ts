// file state=link on its own: when a symlink may be created or replaced, and doing it atomically.
import { posix } from 'node:path';
import { shQuote } from '../../core/shell.js';
import type { FileState } from '../lib/file-state.js';
import type { Plan } from '../types.js';
import type { FileArgs } from './file.js';

const fail = (msg: string, forecastable = false): Plan => ({ changes: [], steps: [], failure: { msg, forecastable } });

export function planLink(a: FileArgs, st: FileState, srcExists: boolean, attrsOf: () => Plan): Plan {
  const src = a.src!;
  if (st.type === 'link' && st.linkTarget === src) return attrsOf();
  if (!srcExists && !a.force) {
    // The target often comes from an earlier task (a package, a release directory).
    const abs = posix.resolve(posix.dirname(a.path), src);
    return fail(`src file does not exist, use "force=yes" if you really want to create the link: ${abs}`, true);
  }
  if (!st.exists && st.linkTarget === undefined && st.parent !== 'dir') {
    return fail(`directory ${posix.dirname(a.path)} does not exist`, st.parent === 'missing');
  }
  if (st.type === 'directory') return fail(`refusing to replace directory ${a.path} with a link`);
  if (st.exists && st.type !== 'link' && !a.force) return fail(`refusing to convert from ${st.type} to symlink for ${a.path}`, false);
  const p = shQuote(a.path);
  const lines = [
    'set -e',
    `tmp="$(dirname -- ${p})/.runbook-link.$$"`,
    `ln -s -- ${shQuote(src)} "$tmp"`,
    // mv -T renames over the old link or file in one step: no moment without the path.
    `mv -fT -- "$tmp" ${p}`,
  ];
  if (a.owner || a.group) lines.push(`chown -h ${shQuote(`${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`)} -- ${p}`);
  const was = st.linkTarget !== undefined ? ` (was -> ${st.linkTarget})` : '';
  return { changes: [`link ${a.path} -> ${src}${was}`], steps: [{ script: lines.join('\n') }] };
}
