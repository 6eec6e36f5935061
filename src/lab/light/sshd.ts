// Starts the light lab's one sshd inside its namespace and gateway root, and finds every process it left.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readdir, readlink } from 'node:fs/promises';
import { LabError } from '../exec.js';
import { processAlive, processArgv } from '../procs.js';
import { LIGHT_SSHD_CONFIG } from './roots.js';
import type { LightNames } from './names.js';

/**
 * Starts sshd detached (the lab outlives `lab up`): nsenter only enters the network namespace and
 * chroot only changes the root, both by exec, so the PID returned is sshd's own.
 */
export function startLightSshd(lab: LightNames): number {
  const log = openSync(lab.logFile, 'a');
  try {
    const child = spawn(
      'nsenter',
      [`--net=/run/netns/${lab.netns}`, '--', 'chroot', lab.gateway.merged, '/usr/sbin/sshd', '-D', '-e', '-f', LIGHT_SSHD_CONFIG],
      { detached: true, stdio: ['ignore', log, log] },
    );
    child.on('error', () => {});
    child.unref();
    if (child.pid === undefined) throw new LabError('could not start the light lab sshd');
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** True if `pid` is sshd running in the lab's gateway root (so a recycled PID is never killed). */
export async function isLightSshd(pid: number, gatewayRoot: string): Promise<boolean> {
  if (!processAlive(pid)) return false;
  const argv = await processArgv(pid);
  if (!argv?.[0]?.endsWith('sshd') && !argv?.[0]?.startsWith('sshd:')) return false;
  return (await readlink(`/proc/${pid}/root`).catch(() => '')) === gatewayRoot;
}

/**
 * Every process whose root is the gateway or a host inside it: the listener, one sshd per
 * connection and whatever a login runs. Found by root, so none escapes a killed listener.
 */
export async function gatewayProcesses(gatewayRoot: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const root = await readlink(`/proc/${entry}/root`).catch(() => '');
    if (root === gatewayRoot || root.startsWith(`${gatewayRoot}/`)) pids.push(Number(entry));
  }
  return pids;
}
