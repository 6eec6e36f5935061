// Brings a light lab up: sshd-only hosts, each an address and an overlay root, all behind one sshd (docs/lab.md).
import { mkdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { LabError, run } from '../exec.js';
import { writeFresh } from '../files.js';
import { inventoryYaml } from '../inventory.js';
import { KEY_FILE, ensureDeployPassword, ensureLabKey } from '../keys.js';
import { withLock } from '../lock.js';
import { DEFAULT_LAB_NAME, RUNTIME_DIR, labTitle } from '../names.js';
import { linkExists } from '../network.js';
import { ensureRoot, type Log } from '../root.js';
import { INVENTORY_FILE, KNOWN_HOSTS_FILE, toLab, type Lab } from '../shape.js';
import { sshRun } from '../ssh.js';
import { STATE_FILE, StateWriter, readState, type HostState, type LabState } from '../state.js';
import { DEFAULT_LIGHT_SUBNET, MAX_LIGHT_HOSTS, chrootPath, lightHostNames, lightNames } from './names.js';
import { createLightNet, lightSubnetUser } from './net.js';
import { groupId, prepareGateway, prepareLightHost } from './roots.js';
import { lightSshdConfig } from './sshd-config.js';
import { isLightSshd, startLightSshd } from './sshd.js';
import { InputError } from '../../core/errors.js';

export type LightLabOptions = {
  dir: string;
  /** Hosts host1..hostN, in group `light`. */
  hosts: number;
  name?: string;
  /** A private /22; default 10.81.0.0/22. */
  subnet?: string;
  log?: Log;
};

/** Overlays mounted at once: each is a `mount` process, and this machine may have 2 cores. */
const MOUNT_PARALLEL = 8;

export async function lightLabUp(opts: LightLabOptions): Promise<Lab> {
  const log = opts.log ?? (() => {});
  if (!Number.isInteger(opts.hosts) || opts.hosts < 1 || opts.hosts > MAX_LIGHT_HOSTS) {
    throw new InputError(`a light lab has 1 to ${MAX_LIGHT_HOSTS} hosts, not ${opts.hosts}`);
  }
  const dir = resolve(opts.dir);
  const names = lightNames(opts.name ?? DEFAULT_LAB_NAME, opts.subnet ?? DEFAULT_LIGHT_SUBNET);
  const hosts: HostState[] = Array.from({ length: opts.hosts }, (_, i) => {
    const { host, ...paths } = lightHostNames(names, `host${i + 1}`, i);
    return { name: host, groups: ['light'], ...paths };
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir(RUNTIME_DIR, { recursive: true });
  return withLock(join(RUNTIME_DIR, `${names.name}.lock`), async () => {
    await refuseLiveLab(dir, names.name);
    const inUse = (await linkExists(names.veth)) ? names.veth : await lightSubnetUser(names.base);
    if (inUse) {
      throw new LabError(`${labTitle(names.name)} cannot use ${names.subnet}: interface ${inUse} is already there`, undefined, 'choose another lab name or --subnet, or run `runbook lab down`');
    }
    const root = await ensureRoot(log);
    const { base: _b, name: _n, runtimeDir: _r, ...light } = names;
    const state: LabState = {
      version: 1,
      name: names.name,
      dir,
      subnet: names.subnet,
      bridge: names.veth,
      bridgeAddress: names.controllerAddress,
      root,
      runtimeDir: names.runtimeDir,
      hosts,
      light,
    };
    const writer = new StateWriter(state);
    await writer.save();
    try {
      return await startLightLab(writer, log);
    } catch (err) {
      log(`${labTitle(names.name)} failed to start; removing what was started`);
      const { lightTeardown } = await import('./down.js');
      await lightTeardown(state, () => {}).catch(() => {});
      throw err;
    }
  });
}

async function startLightLab(writer: StateWriter, log: Log): Promise<Lab> {
  const state = writer.state;
  const light = state.light!;
  const names = lightNames(state.name, state.subnet);
  const started = Date.now();
  const keyFile = await ensureLabKey(state.dir, `runbook-lab-${state.name}`);
  await mkdir(light.hostKeyDir, { recursive: true, mode: 0o700 });
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `runbook-light-${state.name}`, '-f', join(light.hostKeyDir, 'ssh_host_ed25519_key')]);
  const hostKey = (await readFile(join(light.hostKeyDir, 'ssh_host_ed25519_key.pub'), 'utf8')).trim().split(/\s+/);
  const knownHostsFile = join(state.dir, KNOWN_HOSTS_FILE);
  // Every light host shows the gateway's one key (sshd cannot choose a HostKey per Match block).
  await writeFresh(knownHostsFile, state.hosts.map((h) => `${h.address} ${hostKey[0]} ${hostKey[1]}\n`).join(''));
  const shadowText = await prepareGateway(names, {
    root: state.root,
    publicKey: await readFile(join(state.dir, `${KEY_FILE}.pub`), 'utf8'),
    deployPassword: await ensureDeployPassword(state.dir),
    sshdConfig: lightSshdConfig(state.hosts.map((h) => ({ address: h.address, chroot: chrootPath(h.name) }))),
  });
  const shadow = { text: shadowText, gid: await groupId(state.root, 'shadow') };
  await writer.save();
  log(`mounting ${state.hosts.length} light host root(s) on ${state.subnet}`);
  const limit = pLimit(MOUNT_PARALLEL);
  await Promise.all(state.hosts.map((h) => limit(() => prepareLightHost(h, state.root, shadow, etcHosts(h)))));
  await createLightNet(names, state.hosts.map((h) => h.address));
  light.sshdPid = startLightSshd(names);
  await writer.save();
  await waitLightUp(state, keyFile, knownHostsFile);
  await writeFresh(join(state.dir, INVENTORY_FILE), inventoryYaml(state.hosts, keyFile, knownHostsFile));
  log(`${labTitle(state.name)} up: ${state.hosts.length} light host(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return toLab(state);
}

/** A light host knows itself only: naming a thousand neighbours in each would cost a thousand-line file per host. */
function etcHosts(h: HostState): string {
  // The kernel's hostname is the machine's (one UTS namespace): named here, so sudo does not stall resolving it.
  return `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname()}\n::1\tlocalhost ip6-localhost ip6-loopback\n${h.address}\t${h.name}\n`;
}

/**
 * Up when the first, middle and last hosts answer over SSH (host key checked) with their own
 * hostname: that proves the listener, the routes and the per-address chroots all work.
 */
async function waitLightUp(state: LabState, keyFile: string, knownHostsFile: string): Promise<void> {
  const probes = [...new Set([0, Math.floor(state.hosts.length / 2), state.hosts.length - 1])].map((i) => state.hosts[i]!);
  const deadline = Date.now() + 30_000;
  for (const h of probes) {
    for (;;) {
      const res = await sshRun({ address: h.address, keyFile, knownHostsFile }, 'cat /etc/hostname', { connectTimeoutSec: 2, timeoutMs: 10_000 });
      if (res.code === 0) {
        if (res.stdout.trim() !== h.name) throw new LabError(`light host ${h.name} (${h.address}) answers as "${res.stdout.trim()}"`);
        break;
      }
      const pid = state.light?.sshdPid;
      const log = (await readFile(state.light!.logFile, 'utf8').catch(() => '')).trim().split('\n').slice(-10).join('\n');
      if (pid === undefined || !(await isLightSshd(pid, state.light!.gateway.merged))) {
        throw new LabError(`the light lab sshd exited${log ? `:\n${log}` : ''}`, undefined, `see ${state.light!.logFile}`);
      }
      if (Date.now() > deadline) throw new LabError(`light host ${h.name} gave no SSH answer within 30 s: ${res.stderr.trim()}`, undefined, `see ${state.light!.logFile}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Refuses to start over a live lab of this dir or name; removes what a crashed one left. */
async function refuseLiveLab(dir: string, name: string): Promise<void> {
  const { teardown } = await import('../teardown.js');
  for (const file of [join(dir, STATE_FILE), join(RUNTIME_DIR, name, STATE_FILE)]) {
    const old = await readState(file);
    if (!old) continue;
    const alive = old.light
      ? old.light.sshdPid !== undefined && (await isLightSshd(old.light.sshdPid, old.light.gateway.merged))
      : old.hosts.some((h) => h.pid !== undefined);
    if (alive) throw new LabError(`${labTitle(old.name)} is already up (state in ${old.dir})`, undefined, 'run `runbook lab down` first');
    await teardown(old, () => {});
  }
}
