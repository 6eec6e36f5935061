// Writing a file a host sent onto the controller (fetch): below a folder the task chose, no link is
// followed and nothing lands outside it, whatever the host or the inventory name says. The write is
// atomic: an exclusive temporary file beside the target, then a rename, which replaces a link at the
// target instead of writing through it.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

export class ControllerPathError extends Error {}

/**
 * The relative path below the chosen folder, split into components, refusing anything that would
 * leave it: an empty, '.' or '..' component after normalising, or an absolute remainder.
 */
export function containedParts(...pieces: string[]): string[] {
  const joined = posix.normalize(pieces.join('/'));
  const parts = joined.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) throw new ControllerPathError(`'${pieces.join('/')}' leaves the destination folder`);
  return parts;
}

/** lstat, or undefined when nothing is there. */
function lstatOrNone(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Enters `root` (which the task named, so a link there is followed; created when missing) and then
 * each of `dirs` below it, creating missing ones; a link or a non-directory among them is refused.
 * Returns the directory path reached.
 */
export function enterBelow(root: string, dirs: string[]): string {
  mkdirSync(root, { recursive: true });
  let at = root;
  for (const d of dirs) {
    at = join(at, d);
    let st = lstatOrNone(at);
    if (!st) {
      try {
        mkdirSync(at, 0o755);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      st = lstatSync(at);
    }
    if (st.isSymbolicLink()) throw new ControllerPathError(`${at} is a symbolic link inside the destination folder: not followed`);
    if (!st.isDirectory()) throw new ControllerPathError(`${at} is not a directory`);
  }
  return at;
}

/** The bytes of a regular file at path (a link is not followed: it counts as no file). */
export function readRegular(path: string): Buffer | undefined {
  const st = lstatOrNone(path);
  if (!st) return undefined;
  if (st.isDirectory()) throw new ControllerPathError(`${path} is a directory`);
  return st.isFile() ? readFileSync(path) : undefined;
}

/** Writes `content` to path atomically (temporary file in the same folder, flushed, renamed over it). */
export function writeAtomic(path: string, content: Buffer): void {
  const tmp = join(dirname(path), `.${posix.basename(path)}.${randomBytes(6).toString('hex')}.rb-tmp`);
  // 'wx': O_CREAT|O_EXCL, so a file or link someone placed at the temporary name is never opened.
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    try {
      let off = 0;
      while (off < content.length) off += writeSync(fd, content, off, content.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
