// One lab host: an overlay on the shared root, its identity and keys, and a booted systemd-nspawn container.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError, run } from './exec.js';
import { writeFresh } from './files.js';
import { SUPERVISE_SCRIPT, SUPERVISOR_NAME } from './cgroups.js';
import { containerInits, isNspawnFor, processAlive, processArgv, signal, waitGone } from './procs.js';
import { sshRun, type SshTarget } from './ssh.js';
import type { HostState } from './state.js';

export type HostSetup = {
  root: string;
  /** The lab's public key, authorized for root and deploy. */
  publicKey: string;
  deployPassword: string;
  /** /etc/hosts content, naming every lab host. */
  etcHosts: string;
};

/** Mounts a fresh overlay for the host and writes what makes it this host: name, machine-id, keys, users. */
export async function prepareHost(h: HostState, setup: HostSetup): Promise<void> {
  for (const d of [h.upper, h.work, h.merged]) await mkdir(d, { recursive: true });
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${setup.root},upperdir=${h.upper},workdir=${h.work}`, h.merged]);
  const at = (p: string): string => join(h.merged, p);
  await writeFresh(at('etc/hostname'), `${h.name}\n`);
  await writeFresh(at('etc/hosts'), setup.etcHosts);
  await writeFresh(at('etc/machine-id'), `${randomBytes(16).toString('hex')}\n`, { mode: 0o444 });
  const keys = join(h.keysDir, 'etc/ssh');
  for (const f of await readdir(keys)) {
    await rm(at(`etc/ssh/${f}`), { force: true });
    await copyFile(join(keys, f), at(`etc/ssh/${f}`));
  }
  const deploy = await userIds(h.merged, 'deploy');
  await authorize(at('root'), setup.publicKey, 0, 0);
  await authorize(at('home/deploy'), setup.publicKey, deploy.uid, deploy.gid);
  // The password goes on stdin, never on a command line.
  await run('chroot', [h.merged, 'chpasswd'], { input: `deploy:${setup.deployPassword}\n` });
}

async function authorize(home: string, publicKey: string, uid: number, gid: number): Promise<void> {
  await mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  await run('chown', [`${uid}:${gid}`, join(home, '.ssh')]);
  await writeFresh(join(home, '.ssh/authorized_keys'), `${publicKey.trim()}\n`, { mode: 0o600, uid, gid });
}

async function userIds(root: string, user: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile(join(root, 'etc/passwd'), 'utf8')).split('\n').find((l) => l.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new LabError(`the lab root has no ${user} user`);
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Starts the container in its own session and cgroups, detached, so the lab outlives the process that
 * started it. The shell in front enters the cgroups and runs nspawn, again after each reboot of the
 * container (cgroups.ts): the PID returned is that shell's, which lives as long as the host.
 */
export function bootHost(h: HostState, cgroups: readonly string[]): number {
  const log = openSync(h.logFile, 'a');
  try {
    const child = spawn(
      'sh',
      [
        '-c',
        SUPERVISE_SCRIPT,
        SUPERVISOR_NAME,
        'systemd-nspawn',
        '-D', h.merged,
        `--network-namespace-path=/run/netns/${h.netns}`,
        '--capability=CAP_NET_ADMIN,CAP_NET_RAW',
        '--register=no',
        '--keep-unit',
        '-b',
        '-q',
        '--console=pipe',
        `--machine=${h.name}`,
        // The root's own resolv.conf (no DNS) and UTC stay as built.
        '--resolv-conf=off',
        '--timezone=off',
        '--link-journal=no',
      ],
      { detached: true, stdio: ['ignore', log, log], env: { ...process.env, RUNBOOK_LAB_CGROUPS: cgroups.join(':') } },
    );
    child.on('error', () => {});
    child.unref();
    if (child.pid === undefined) throw new LabError(`could not start systemd-nspawn for ${h.name}`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/**
 * Waits until `systemctl is-system-running --wait` answers over SSH. Returns its answer ("running", or
 * "degraded" when a unit failed). Throws with the console's last lines if the container dies or stays silent.
 */
export async function waitHostUp(h: HostState, target: SshTarget, timeoutMs = 120_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await sshRun(target, 'systemctl is-system-running --wait', { connectTimeoutSec: 2, timeoutMs: 60_000 });
    const answer = res.stdout.trim();
    if (res.code !== 255 && answer) return answer;
    if (h.pid === undefined || !processAlive(h.pid)) throw await bootFailure(h, 'its container exited');
    if (Date.now() > deadline) throw await bootFailure(h, `no SSH answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function bootFailure(h: HostState, why: string): Promise<LabError> {
  const tail = (await readFile(h.logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-20).join('\n');
  return new LabError(`lab host ${h.name} did not boot: ${why}${tail ? `\n${tail}` : ''}`, undefined, `see ${h.logFile}`);
}

/** The container's init as seen from here: nspawn's child (nspawn being the supervisor's child). */
export async function findInitPid(hostPid: number): Promise<number | undefined> {
  const child = await firstChild(hostPid);
  if (child === undefined) return undefined;
  const argv = await processArgv(child);
  return argv?.[0]?.endsWith('systemd-nspawn') ? firstChild(child) : child;
}

async function firstChild(pid: number): Promise<number | undefined> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  const first = children.trim().split(/\s+/)[0];
  return first ? Number(first) : undefined;
}

/**
 * Ends hosts' containers. Each init is found by its overlay (so even an orphan of a killed nspawn is),
 * killed (which ends its whole PID namespace), then its nspawn, if still the one recorded, is waited for.
 */
export async function stopHosts(hosts: readonly HostState[]): Promise<void> {
  const nspawns: number[] = [];
  // The supervisor first, so that it cannot start the container again, then the nspawn it ran.
  for (const h of hosts) {
    if (h.pid === undefined || !(await isNspawnFor(h.pid, h.merged))) continue;
    const child = await firstChild(h.pid);
    signal(h.pid, 'SIGKILL');
    nspawns.push(h.pid);
    if (child !== undefined && (await isNspawnFor(child, h.merged))) nspawns.push(child);
  }
  const inits = await containerInits(hosts.map((h) => h.upper));
  for (const h of hosts) for (const pid of inits.get(h.upper) ?? []) signal(pid, 'SIGKILL');
  if (!(await waitGone(nspawns, 10_000))) {
    for (const pid of nspawns) if (processAlive(pid)) signal(pid, 'SIGKILL');
    await waitGone(nspawns, 5_000);
  }
  await waitGone([...inits.values()].flat(), 5_000);
}

/** Unmounts the host's overlay; a mount still busy a moment after its processes died is detached lazily. */
export async function unmountHost(h: HostState): Promise<void> {
  for (let attempt = 0; attempt < 20 && (await isMounted(h.merged)); attempt++) {
    const res = await run('umount', [h.merged], { allowFail: true });
    if (res.code !== 0) await new Promise((r) => setTimeout(r, 100));
  }
  if (await isMounted(h.merged)) await run('umount', ['-l', h.merged], { allowFail: true });
}

export async function isMounted(path: string): Promise<boolean> {
  const mounts = await readFile('/proc/mounts', 'utf8');
  return mounts.split('\n').some((l) => l.split(' ')[1] === path);
}

/** Deletes the host's writable layer (a reset host starts bare), keeping its SSH host keys unless `all`. */
export async function removeHostFiles(h: HostState, all: boolean): Promise<void> {
  if (await isMounted(h.merged)) throw new LabError(`${h.merged} is still mounted; not deleting under it`);
  const targets = all ? [h.dir] : [h.upper, h.work, h.merged, h.logFile];
  for (const t of targets) await run('rm', ['-rf', '--one-file-system', t]);
}
