// The light lab's file systems: the gateway overlay sshd runs in, and one overlay per host mounted inside it.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LabError, run } from '../exec.js';
import { writeFresh } from '../files.js';
import { isMounted } from '../host.js';
import type { HostState } from '../state.js';
import type { LightNames } from './names.js';

export const LIGHT_SSHD_CONFIG = '/etc/ssh/sshd_config_light';

export type GatewaySetup = { root: string; publicKey: string; deployPassword: string; sshdConfig: string };

/**
 * Mounts the gateway overlay and makes it sshd's world: the config, the one host key, the lab key
 * authorized for root and deploy, deploy's password. Returns its /etc/shadow, which every host gets
 * (so sudo inside a host knows deploy's password) without running chpasswd a thousand times.
 */
export async function prepareGateway(lab: LightNames, setup: GatewaySetup): Promise<string> {
  const gw = lab.gateway;
  for (const d of [gw.upper, gw.work, gw.merged]) await mkdir(d, { recursive: true });
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${setup.root},upperdir=${gw.upper},workdir=${gw.work}`, gw.merged]);
  const at = (p: string): string => join(gw.merged, p);
  await writeFresh(at(LIGHT_SSHD_CONFIG), setup.sshdConfig);
  for (const f of await readdir(join(lab.hostKeyDir))) {
    await copyFile(join(lab.hostKeyDir, f), at(`etc/ssh/${f}`));
  }
  await mkdir(at('etc/ssh/authorized_keys'), { recursive: true, mode: 0o755 });
  for (const user of ['root', 'deploy']) await writeFresh(at(`etc/ssh/authorized_keys/${user}`), `${setup.publicKey.trim()}\n`, { mode: 0o644 });
  // sshd's privilege separation directory.
  await mkdir(at('run/sshd'), { recursive: true, mode: 0o755 });
  await mkdir(at('hosts'), { recursive: true, mode: 0o755 });
  // The password goes on stdin, never on a command line.
  await run('chroot', [gw.merged, 'chpasswd'], { input: `deploy:${setup.deployPassword}\n` });
  return readFile(at('etc/shadow'), 'utf8');
}

/** What a light host gets that makes it this host: its overlay, name, machine-id, /etc/hosts, the lab's shadow, and /proc. */
export async function prepareLightHost(h: HostState, root: string, shadow: { text: string; gid: number }, etcHosts: string): Promise<void> {
  for (const d of [h.upper, h.work, h.merged]) await mkdir(d, { recursive: true, mode: 0o755 });
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${root},upperdir=${h.upper},workdir=${h.work}`, h.merged]);
  const at = (p: string): string => join(h.merged, p);
  await writeFresh(at('etc/hostname'), `${h.name}\n`);
  await writeFresh(at('etc/hosts'), etcHosts);
  await writeFresh(at('etc/machine-id'), `${randomBytes(16).toString('hex')}\n`, { mode: 0o444 });
  await writeFresh(at('etc/shadow'), shadow.text, { mode: 0o640, uid: 0, gid: shadow.gid });
  // runbook's atomic writes (and ps, pgrep) need /proc: the machine's, as the process table is shared anyway.
  await run('mount', ['-t', 'proc', 'proc', at('proc')]);
}

/** The mounts of a light host, innermost first (the order to unmount them in). */
export function hostMounts(h: Pick<HostState, 'merged'>): string[] {
  return [join(h.merged, 'proc'), h.merged];
}

/** The gid of group `name` in a root's /etc/group. */
export async function groupId(root: string, name: string): Promise<number> {
  const line = (await readFile(join(root, 'etc/group'), 'utf8')).split('\n').find((l) => l.startsWith(`${name}:`));
  const gid = line?.split(':')[2];
  if (gid === undefined) throw new LabError(`the lab root has no group ${name}`);
  return Number(gid);
}

/** Unmounts many overlays with few processes (umount takes several targets); a busy one is detached lazily. */
export async function unmountAll(paths: readonly string[]): Promise<void> {
  const mounted = await mountedSet();
  const todo = paths.filter((p) => mounted.has(p));
  for (let i = 0; i < todo.length; i += 200) await run('umount', todo.slice(i, i + 200), { allowFail: true });
  const still = await mountedSet();
  for (const p of todo) if (still.has(p)) await run('umount', ['-l', p], { allowFail: true });
}

/** Every mount point, read once (isMounted per path would read /proc/mounts a thousand times). */
export async function mountedSet(): Promise<Set<string>> {
  const mounts = await readFile('/proc/mounts', 'utf8');
  return new Set(mounts.split('\n').map((l) => l.split(' ')[1] ?? ''));
}

export { isMounted };
