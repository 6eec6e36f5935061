// A PID lock file, so two processes never build the same root or bring up the same lab at once.
import { open, readFile, rm } from 'node:fs/promises';
import { LabError } from './exec.js';
import { processAlive } from './procs.js';

/**
 * Runs `fn` holding the lock at `path`. A lock left by a dead process is taken over; one held by a live
 * process is waited for (up to `waitMs`), calling `onWait` once so the user knows why nothing happens.
 */
export async function withLock<T>(
  path: string,
  fn: () => Promise<T>,
  opts: { waitMs?: number; onWait?: (holder: number) => void } = {},
): Promise<T> {
  // The file cannot tell two callers of this process apart, so they queue here first.
  const before = queues.get(path) ?? Promise.resolve();
  const mine = before.then(() => withFileLock(path, fn, opts));
  const settled = mine.then(
    () => undefined,
    () => undefined,
  );
  queues.set(path, settled);
  try {
    return await mine;
  } finally {
    if (queues.get(path) === settled) queues.delete(path);
  }
}

const queues = new Map<string, Promise<void>>();

async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  opts: { waitMs?: number; onWait?: (holder: number) => void },
): Promise<T> {
  const deadline = Date.now() + (opts.waitMs ?? 30 * 60_000);
  let told = false;
  for (;;) {
    try {
      const fh = await open(path, 'wx', 0o644);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (!holder || !processAlive(holder) || holder === process.pid) {
      // A dead holder cannot release it, and our own pid here is a leftover (callers queue above): take it over.
      await rm(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new LabError(`${path} is held by process ${holder}`, undefined, 'wait for it to finish, or end it');
    if (!told) opts.onWait?.(holder);
    told = true;
    await new Promise((r) => setTimeout(r, 500));
  }
  try {
    return await fn();
  } finally {
    await rm(path, { force: true });
  }
}
