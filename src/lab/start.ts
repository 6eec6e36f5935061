// Starts one host of a lab (network, overlay, cgroups, container) and waits until it takes SSH logins.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostCgroups } from './cgroups.js';
import { bootHost, findInitPid, prepareHost, waitHostUp, type HostSetup } from './host.js';
import { KEY_FILE, ensureDeployPassword } from './keys.js';
import { createHostNet } from './network.js';
import type { Log } from './root.js';
import { KNOWN_HOSTS_FILE } from './shape.js';
import type { HostState, LabState, StateWriter } from './state.js';

/** What every host of the lab gets: the root, the lab key, the deploy password, /etc/hosts. Needs the lab key made. */
export async function hostSetup(state: LabState): Promise<HostSetup> {
  return {
    root: state.root,
    publicKey: await readFile(join(state.dir, `${KEY_FILE}.pub`), 'utf8'),
    deployPassword: await ensureDeployPassword(state.dir),
    etcHosts: etcHosts(state.hosts),
  };
}

/** Creates, boots and waits for one host, recording each resource in the state before creating it. */
export async function startHost(
  writer: StateWriter,
  h: HostState,
  setup: HostSetup,
  log: Log,
): Promise<void> {
  const ssh = { keyFile: join(writer.state.dir, KEY_FILE), knownHostsFile: join(writer.state.dir, KNOWN_HOSTS_FILE) };
  await createHostNet(writer.state, h);
  await prepareHost(h, setup);
  h.cgroups = await hostCgroups(writer.state.name, h.name);
  await writer.save();
  h.pid = bootHost(h, h.cgroups);
  await writer.save();
  const answer = await waitHostUp(h, { address: h.address, ...ssh });
  h.initPid = await findInitPid(h.pid);
  await writer.save();
  log(`  ${h.name} ${h.address} ${answer}`);
}

/** Like a server with a static address: its own name on its lab address, and every other lab host by name. */
function etcHosts(hosts: readonly HostState[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'ff02::1\tip6-allnodes', 'ff02::2\tip6-allrouters', '', '# lab hosts'];
  for (const h of hosts) lines.push(`${h.address}\t${h.name}`);
  return `${lines.join('\n')}\n`;
}
