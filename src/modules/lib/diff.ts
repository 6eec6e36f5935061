// Text diffs for --diff, with a one-line note instead of content for binary or huge files.
import { createHash } from 'node:crypto';
import type { FileDiff } from '../types.js';
import { DIFF_LIMIT } from './file-state.js';

export function sha1(data: Buffer | string): string {
  return createHash('sha1').update(data).digest('hex');
}

/** Text means: no NUL byte and valid UTF-8. */
export function isText(data: Buffer): boolean {
  if (data.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

function note(size: number, checksum: string): string {
  return `[binary or large file: ${size} bytes, sha1 ${checksum}; no text diff]\n`;
}

/** A link replaced by a file (follow: no): the before side names the link, never its target's content. */
export function linkDiff(path: string, target: string, after: Buffer, modes: Array<number | string | undefined> = []): FileDiff {
  const d = fileDiff(path, null, after, undefined, modes);
  return { ...d, before: `[symbolic link to ${target}; replaced by a regular file]\n` };
}

/**
 * One file's diff. `before` is null when the file does not exist; `beforeInfo` describes an
 * existing file whose content was not fetched (too big).
 */
/** True for a mode that lets neither group nor others read the file (0600, 0400, 0700). */
export function ownerOnly(mode: number | string | undefined): boolean {
  const m = typeof mode === 'string' ? (/^0?[0-7]{3,4}$/.test(mode) ? parseInt(mode, 8) : undefined) : mode;
  return m !== undefined && (m & 0o044) === 0;
}

export function fileDiff(path: string, before: Buffer | null, after: Buffer, beforeInfo?: { size: number; sha1: string }, modes: Array<number | string | undefined> = []): FileDiff {
  const showable = (b: Buffer) => b.length <= DIFF_LIMIT && isText(b);
  let beforeText: string;
  if (before === null) beforeText = beforeInfo ? note(beforeInfo.size, beforeInfo.sha1) : '';
  else beforeText = showable(before) ? before.toString('utf8') : note(before.length, sha1(before));
  const afterText = showable(after) ? after.toString('utf8') : note(after.length, sha1(after));
  // The executor drops the text of a private file's diff (diff-privacy.ts); its secrets decide the reason shown.
  return { path, before: beforeText, after: afterText, ...(modes.some(ownerOnly) ? { private: true } : {}) };
}
