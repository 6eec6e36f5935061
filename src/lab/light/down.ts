// Removes a light lab by what its state records: sshd and its sessions by PID, the mounts, the namespace.
import { LabError } from '../exec.js';
import { labTitle } from '../names.js';
import { linkExists, netnsExists } from '../network.js';
import { signal, waitGone } from '../procs.js';
import type { Log } from '../root.js';
import type { LabState } from '../state.js';
import { removeLightNet } from './net.js';
import { hostMounts, mountedSet, unmountAll } from './roots.js';
import { gatewayProcesses, isLightSshd } from './sshd.js';

/** Stops sshd and every process in its roots, unmounts, deletes the namespace; then checks nothing is left. */
export async function lightTeardown(state: LabState, log: Log): Promise<void> {
  const light = state.light!;
  // The listener first, so it accepts nothing while its sessions are ended.
  if (light.sshdPid !== undefined && (await isLightSshd(light.sshdPid, light.gateway.merged))) signal(light.sshdPid, 'SIGKILL');
  const pids = await gatewayProcesses(light.gateway.merged);
  for (const pid of pids) signal(pid, 'SIGKILL');
  await waitGone([...pids, ...(light.sshdPid !== undefined ? [light.sshdPid] : [])], 10_000);
  await unmountAll(state.hosts.map((h) => hostMounts(h)[0]!));
  await unmountAll(state.hosts.map((h) => h.merged));
  await unmountAll([light.gateway.merged]);
  await removeLightNet(light);
  const left = await lightLeftovers(state);
  if (left.length > 0) {
    throw new LabError(`${labTitle(state.name)} could not be removed entirely: ${left.join(', ')}`, undefined, 'run `runbook lab down` again; the state file is kept');
  }
  log(`${labTitle(state.name)}: light hosts, mounts and namespace removed`);
}

/** What of a light lab still exists: processes, mounts, the namespace, the veth. */
export async function lightLeftovers(state: LabState): Promise<string[]> {
  const light = state.light!;
  const left: string[] = [];
  const pids = await gatewayProcesses(light.gateway.merged);
  if (pids.length > 0) left.push(`processes ${pids.slice(0, 10).join(' ')}${pids.length > 10 ? ' ...' : ''}`);
  const mounted = await mountedSet();
  const mounts = [...state.hosts.flatMap(hostMounts), light.gateway.merged].filter((p) => mounted.has(p));
  if (mounts.length > 0) left.push(`${mounts.length} mount(s) such as ${mounts[0]}`);
  if (netnsExists(light.netns)) left.push(`netns ${light.netns}`);
  if (await linkExists(light.veth)) left.push(`interface ${light.veth}`);
  return left;
}
