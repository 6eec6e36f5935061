// Raises the kernel limits a lab needs: each booted host takes several inotify instances.
import { readFile } from 'node:fs/promises';
import { run } from './exec.js';

const WANTED: Record<string, number> = {
  'fs.inotify.max_user_instances': 2048,
  'fs.inotify.max_user_watches': 1048576,
};

/** Raises (never lowers) the inotify limits; without it the lab stops near 18 hosts. */
export async function ensureInotifyLimits(): Promise<void> {
  for (const [key, wanted] of Object.entries(WANTED)) {
    const current = Number((await readFile(`/proc/sys/${key.replace(/\./g, '/')}`, 'utf8')).trim());
    if (current < wanted) await run('sysctl', ['-q', '-w', `${key}=${wanted}`]);
  }
}
