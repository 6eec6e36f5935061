// Writes files inside a root or overlay without following symlinks, which would point into the build machine.
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Replaces `path` (file or symlink) by a regular file with `content`, created with `mode`. */
export async function writeFresh(
  path: string,
  content: string,
  opts: { mode?: number; uid?: number; gid?: number } = {},
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await rm(path, { force: true });
  await writeFile(path, content, { mode: opts.mode ?? 0o644, flag: 'wx' });
  // The umask may have narrowed the mode given at creation.
  await chmod(path, opts.mode ?? 0o644);
  if (opts.uid !== undefined) await chown(path, opts.uid, opts.gid ?? opts.uid);
}
