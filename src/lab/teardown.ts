// Removes a lab by what its state file records: kill by PID, unmount, delete netns, veths, bridge, cgroups.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { removeCgroups } from './cgroups.js';
import { LabError, run } from './exec.js';
import { isMounted, removeHostFiles, stopHosts, unmountHost } from './host.js';
import { withLock } from './lock.js';
import { DEFAULT_LAB_NAME, RUNTIME_DIR, labTitle } from './names.js';
import { linkExists, netnsExists, removeBridge, removeHostNet } from './network.js';
import { containerInits, isNspawnFor } from './procs.js';
import type { Log } from './root.js';
import { INVENTORY_FILE, KNOWN_HOSTS_FILE } from './shape.js';
import { lightLeftovers, lightTeardown } from './light/down.js';
import { STATE_FILE, readState, removeState, type LabState } from './state.js';

/** Stops and removes the lab recorded in `dir` (or, if that dir lost its state, the lab called `name`). Idempotent. */
export async function labDown(opts: { name?: string; dir: string; log?: Log }): Promise<void> {
  const dir = resolve(opts.dir);
  const state =
    (await readState(join(dir, STATE_FILE))) ??
    (await readState(join(RUNTIME_DIR, opts.name ?? DEFAULT_LAB_NAME, STATE_FILE)).then((s) => (s?.dir === dir || opts.name ? s : undefined)));
  if (!state) return;
  await mkdir(RUNTIME_DIR, { recursive: true });
  await withLock(join(RUNTIME_DIR, `${state.name}.lock`), () => teardown(state, opts.log ?? (() => {})));
}

/** Kills by PID, unmounts, deletes netns, veths and bridge by recorded name, then checks nothing is left. */
export async function teardown(state: LabState, log: Log): Promise<void> {
  if (state.light) {
    await lightTeardown(state, log);
    await removeLabFiles(state);
    return;
  }
  await stopHosts(state.hosts);
  for (const h of state.hosts) await unmountHost(h);
  for (const h of state.hosts) await removeHostNet(h.netns, h.veth);
  await removeBridge(state.bridge);
  for (const h of state.hosts) await removeCgroups(h.cgroups ?? []);
  const left = await leftovers(state);
  if (left.length > 0) {
    throw new LabError(`${labTitle(state.name)} could not be removed entirely: ${left.join(', ')}`, undefined, 'run `runbook lab down` again; the state file is kept');
  }
  for (const h of state.hosts) await removeHostFiles(h, true);
  await removeLabFiles(state);
  log(`${labTitle(state.name)} down`);
}

/** The lab's runtime dir (overlay layers, host keys), its inventory, known_hosts and state. */
async function removeLabFiles(state: LabState): Promise<void> {
  await run('rm', ['-rf', '--one-file-system', state.runtimeDir]);
  for (const f of [INVENTORY_FILE, KNOWN_HOSTS_FILE]) await rm(join(state.dir, f), { force: true });
  await removeState(state);
}

/** What of the lab still exists: processes, mounts, namespaces, interfaces. */
export async function leftovers(state: LabState): Promise<string[]> {
  if (state.light) return lightLeftovers(state);
  const left: string[] = [];
  const inits = await containerInits(state.hosts.map((h) => h.upper));
  for (const [upper, pids] of inits) left.push(`container of ${upper} (pid ${pids.join(' ')})`);
  for (const h of state.hosts) {
    if (h.pid !== undefined && (await isNspawnFor(h.pid, h.merged))) left.push(`systemd-nspawn pid ${h.pid}`);
    if (await isMounted(h.merged)) left.push(`mount ${h.merged}`);
    if (netnsExists(h.netns)) left.push(`netns ${h.netns}`);
    if (await linkExists(h.veth)) left.push(`interface ${h.veth}`);
    for (const cg of h.cgroups ?? []) if (existsSync(cg)) left.push(`cgroup ${cg}`);
  }
  if (await linkExists(state.bridge)) left.push(`bridge ${state.bridge}`);
  return left;
}
