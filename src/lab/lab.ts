// Brings a lab of throwaway hosts up: network, overlays, containers, inventory and known_hosts; the lab's entry point.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { LabError } from './exec.js';
import { writeFresh } from './files.js';
import { ensureInotifyLimits } from './sysctl.js';
import { inventoryYaml, ensureSecrets } from './inventory.js';
import { ensureHostKeys, ensureLabKey, knownHostsLines } from './keys.js';
import { DEFAULT_LAB_NAME, DEFAULT_SUBNET, RUNTIME_DIR, hostNames, labNames, labTitle } from './names.js';
import { createBridge, linkExists, subnetUser } from './network.js';
import { isNspawnFor, processAlive } from './procs.js';
import { ensureRoot, type Log } from './root.js';
import { INVENTORY_FILE, KNOWN_HOSTS_FILE, SECRETS_FILE, isSeedShape, normalizeHosts, toLab, type Lab, type LabOptions } from './shape.js';
import { hostSetup, startHost } from './start.js';
import { STATE_FILE, StateWriter, readState, type HostState, type LabState } from './state.js';
import { teardown } from './teardown.js';
import { withLock } from './lock.js';
import { isLightSshd } from './light/sshd.js';

// Callers (the CLI, tests) import the lab's whole surface from here.
export { labCommand, type LabCommandArgs } from './command.js';
export { labDown, leftovers } from './teardown.js';
export { labResetHost } from './reset.js';
export { lightLabUp, type LightLabOptions } from './light/up.js';
export { DEFAULT_HOSTS, normalizeHosts, seedHosts, type Lab, type LabHost, type LabHostSpec, type LabOptions } from './shape.js';

/** Hosts prepared and booted at once: boots are mostly CPU, and this machine may have 2 cores. */
const BOOT_PARALLEL = 8;

/** Starts the lab's hosts (in parallel, bounded) and writes its inventory; on any failure, removes what it started. */
export async function labUp(opts: LabOptions): Promise<Lab> {
  const log = opts.log ?? (() => {});
  const dir = resolve(opts.dir);
  const names = labNames(opts.name ?? DEFAULT_LAB_NAME, opts.subnet ?? DEFAULT_SUBNET);
  const specs = normalizeHosts(opts.hosts);
  const hosts: HostState[] = specs.map((s, i) => {
    const { host: _, ...paths } = hostNames(names, s.name, i);
    return { name: s.name, groups: s.groups, ...paths };
  });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await mkdir(RUNTIME_DIR, { recursive: true });
  return withLock(join(RUNTIME_DIR, `${names.name}.lock`), async () => {
    await clearLeftovers(dir, names.name, log);
    const inUse = (await linkExists(names.bridge)) ? names.bridge : await subnetUser(names.prefix);
    if (inUse) {
      throw new LabError(
        `${labTitle(names.name)} cannot use ${opts.subnet ?? DEFAULT_SUBNET}: interface ${inUse} is already there`,
        undefined,
        'choose another lab name or subnet, or remove that interface if it is a leftover (ip link delete NAME)',
      );
    }
    await ensureInotifyLimits();
    const root = await ensureRoot(log, opts.extraPackages);
    const state: LabState = {
      version: 1,
      name: names.name,
      dir,
      subnet: opts.subnet ?? DEFAULT_SUBNET,
      bridge: names.bridge,
      bridgeAddress: names.bridgeAddress,
      root,
      runtimeDir: names.runtimeDir,
      hosts,
      ...(opts.extraPackages?.length ? { extraPackages: opts.extraPackages } : {}),
    };
    const writer = new StateWriter(state);
    await writer.save();
    try {
      return await startLab(writer, isSeedShape(specs), log);
    } catch (err) {
      log(`${labTitle(names.name)} failed to start; removing what was started`);
      await teardown(state, () => {}).catch(() => {});
      throw err;
    }
  });
}

async function startLab(writer: StateWriter, seedShape: boolean, log: Log): Promise<Lab> {
  const state = writer.state;
  const started = Date.now();
  const keyFile = await ensureLabKey(state.dir, `runbook-lab-${state.name}`);
  const setup = await hostSetup(state);
  const limit = pLimit(BOOT_PARALLEL);
  const known = await Promise.all(
    state.hosts.map((h) => limit(async () => knownHostsLines(h.address, await ensureHostKeys(h.keysDir)))),
  );
  const knownHostsFile = join(state.dir, KNOWN_HOSTS_FILE);
  await writeFresh(knownHostsFile, `${known.flat().join('\n')}\n`);
  await createBridge(state);
  log(`booting ${state.hosts.length} host(s) on ${state.subnet}`);
  await Promise.all(state.hosts.map((h) => limit(() => startHost(writer, h, setup, log))));
  await writeFresh(join(state.dir, INVENTORY_FILE), inventoryYaml(state.hosts, keyFile, knownHostsFile));
  const secretsFile = seedShape ? await ensureSecrets(join(state.dir, SECRETS_FILE)) : undefined;
  log(`${labTitle(state.name)} up: ${state.hosts.length} host(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return toLab(state, secretsFile);
}

/**
 * Refuses to start over a live lab of this dir or name, and removes what a crashed one left
 * (recorded in its state file) so `up` after a crash just works.
 */
async function clearLeftovers(dir: string, name: string, log: Log): Promise<void> {
  for (const file of [join(dir, STATE_FILE), join(RUNTIME_DIR, name, STATE_FILE)]) {
    const old = await readState(file);
    if (!old) continue;
    if (await anyHostAlive(old)) {
      throw new LabError(
        `${labTitle(old.name)} is already up (state in ${old.dir})`,
        undefined,
        old.dir === dir ? 'run `runbook lab down` first' : `run \`runbook lab down\` for ${old.dir}, or use another lab name`,
      );
    }
    log(`removing what a previous ${labTitle(old.name)} left behind`);
    await teardown(old, log);
  }
}

async function anyHostAlive(state: LabState): Promise<boolean> {
  if (state.light) return state.light.sshdPid !== undefined && (await isLightSshd(state.light.sshdPid, state.light.gateway.merged));
  for (const h of state.hosts) if (h.pid !== undefined && (await isNspawnFor(h.pid, h.merged))) return true;
  return false;
}

export type LabStatus = { lab?: Lab; hosts: { name: string; address: string; pid?: number; running: boolean }[] };

/** What is up in `dir`: each recorded host and whether its container still runs. */
export async function labStatus(opts: { dir: string }): Promise<LabStatus> {
  const state = await readState(join(resolve(opts.dir), STATE_FILE));
  if (!state) return { hosts: [] };
  const hosts = [];
  if (state.light) {
    const pid = state.light.sshdPid;
    const running = pid !== undefined && (await isLightSshd(pid, state.light.gateway.merged));
    return { lab: toLab(state), hosts: state.hosts.map((h) => ({ name: h.name, address: h.address, pid, running })) };
  }
  for (const h of state.hosts) {
    const running = h.pid !== undefined && (await isNspawnFor(h.pid, h.merged)) && processAlive(h.pid);
    hosts.push({ name: h.name, address: h.address, pid: h.pid, running });
  }
  return { lab: toLab(state), hosts };
}

