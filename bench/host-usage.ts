// What a run asks of the lab hosts, read from their cgroups: CPU used (dpkg, sshd, the tool's commands),
// and time stalled waiting for a core or for the disk (pressure stall information). A busy machine or a
// cold page cache stretches a run's wall time without changing its work; these tell the three apart.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab } from '../src/lab/lab.js';

/** Seconds, summed over the lab's hosts (each host's cgroup counts its whole tree). */
export type HostUsage = {
  cpuS: number;
  /** Time some task of a host was runnable but waited for a core (cpu.pressure "some"). */
  cpuWaitS: number;
  /** Time some task of a host waited for the disk (io.pressure "some"): reads of a root not in the page cache, writeback. */
  ioWaitS: number;
};

/** Where the lab hosts' cgroup v2 folders are (src/lab/cgroups.ts makes runbook-lab/LAB/HOST there). */
async function cgroup2Root(): Promise<string> {
  const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').map((l) => l.split(' '));
  const v2 = mounts.find(([, , type]) => type === 'cgroup2');
  if (!v2) throw new Error('no cgroup2 hierarchy is mounted: the lab hosts\' usage cannot be read');
  return v2[1]!;
}

/** `some ... total=USEC` of a pressure file; 0 where the kernel has no PSI (then the figure reads 0, not an error). */
async function stallUsec(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return Number(/^some .*\btotal=(\d+)/m.exec(text)?.[1] ?? 0);
}

/** The lab's hosts' usage so far; a run's share is the difference of two readings. */
export async function labHostsUsage(lab: Lab): Promise<HostUsage> {
  const root = await cgroup2Root();
  const sum: HostUsage = { cpuS: 0, cpuWaitS: 0, ioWaitS: 0 };
  for (const h of lab.hosts) {
    const dir = join(root, 'runbook-lab', lab.name, h.name);
    const m = /^usage_usec (\d+)$/m.exec(await readFile(join(dir, 'cpu.stat'), 'utf8'));
    if (!m) throw new Error(`no usage_usec in the cgroup of lab host ${h.name}`);
    sum.cpuS += Number(m[1]) / 1e6;
    sum.cpuWaitS += (await stallUsec(join(dir, 'cpu.pressure'))) / 1e6;
    sum.ioWaitS += (await stallUsec(join(dir, 'io.pressure'))) / 1e6;
  }
  return sum;
}

export function usageSince(before: HostUsage, after: HostUsage): HostUsage {
  return { cpuS: after.cpuS - before.cpuS, cpuWaitS: after.cpuWaitS - before.cpuWaitS, ioWaitS: after.ioWaitS - before.ioWaitS };
}
