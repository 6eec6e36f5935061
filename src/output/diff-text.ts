// A unified diff of one file for --diff, with Ansible's "before:/after:" headers.
import { createTwoFilesPatch } from 'diff';
import type { FileDiff } from '../modules/types.js';
import type { Palette } from './colors.js';

/** Larger files are summarised: a diff that size helps nobody on a terminal. */
export const MAX_DIFF_BYTES = 256 * 1024;

export function diffText(d: FileDiff, p: Palette): string {
  if (d.hidden !== undefined) return `${p.bold(`--- before: ${d.path}`)}\n${p.bold(`+++ after: ${d.path}`)}\n(the file changed; its content is not shown: ${d.hidden})\n`;
  if (d.before.length + d.after.length > MAX_DIFF_BYTES) {
    return `--- before: ${d.path}\n+++ after: ${d.path}\n(diff not shown: the file is larger than ${MAX_DIFF_BYTES / 1024} KiB)\n`;
  }
  const patch = createTwoFilesPatch(`before: ${d.path}`, `after: ${d.path}`, d.before, d.after);
  const lines = patch.split('\n');
  // createTwoFilesPatch starts with a "=====" separator Ansible does not print.
  if (lines[0]?.startsWith('====')) lines.shift();
  if (lines.at(-1) === '') lines.pop();
  return `${lines
    .map((l) => {
      if (l.startsWith('--- ') || l.startsWith('+++ ')) return p.bold(l);
      if (l.startsWith('@@')) return p.diffHunk(l);
      if (l.startsWith('+')) return p.diffAdd(l);
      if (l.startsWith('-')) return p.diffRemove(l);
      return l;
    })
    .join('\n')}\n`;
}
