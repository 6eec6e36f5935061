// Finds and ends the lab's processes by PID, checking each PID still is what the lab started.
import { readFile, readdir } from 'node:fs/promises';
import { readFileSync } from 'node:fs';

/** True while `pid` exists and is not a zombie. */
export function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The argv of a live process, or undefined. */
export async function processArgv(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((a) => a !== '');
  } catch {
    return undefined;
  }
}

/**
 * True if `pid` is the systemd-nspawn that runs the container rooted at `merged`, or the shell that
 * supervises it (host.ts: `sh -c SCRIPT runbook-lab-host systemd-nspawn -D ...`).
 */
export async function isNspawnFor(pid: number, merged: string): Promise<boolean> {
  if (!processAlive(pid)) return false;
  const argv = await processArgv(pid);
  if (!argv) return false;
  const start = argv[0]?.endsWith('systemd-nspawn') ? 0 : argv[0] === 'sh' && argv[3] === 'runbook-lab-host' && argv[4]?.endsWith('systemd-nspawn') ? 4 : -1;
  if (start < 0) return false;
  const d = argv.indexOf('-D', start);
  return d >= 0 && argv[d + 1] === merged;
}

/**
 * PIDs (as seen here) of container init processes whose root is an overlay with `upperdir`. Found
 * through /proc/PID/mountinfo, so they are found even when their nspawn is gone (killed, crashed).
 */
export async function containerInits(upperDirs: readonly string[]): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  const wanted = new Set(upperDirs);
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      // The init of a PID namespace is pid 1 inside it: "NSpid: 4242 1".
      if (!/^NSpid:\s+\d+\s+1\s*$/m.test(status)) continue;
      const mountinfo = await readFile(`/proc/${pid}/mountinfo`, 'utf8');
      const rootLine = mountinfo.split('\n').find((l) => l.split(' ')[4] === '/');
      const upper = rootLine && /upperdir=([^,\s]+)/.exec(rootLine)?.[1];
      if (upper && wanted.has(upper)) found.set(upper, [...(found.get(upper) ?? []), pid]);
    } catch {
      // Gone meanwhile, or a kernel thread: not ours.
    }
  }
  return found;
}

/** Sends `signal` to `pid` if it is alive; a vanished process is fine. */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Waits until none of `pids` is alive; false if some still are after `timeoutMs`. */
export async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(processAlive)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
