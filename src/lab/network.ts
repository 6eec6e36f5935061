// The lab's private network: one bridge per lab, one network namespace and veth pair per host.
import { existsSync } from 'node:fs';
import { run } from './exec.js';
import type { HostNames } from './names.js';

/** The lab side of the network: its bridge and the bridge's address (the hosts' default gateway). */
export type LabBridge = { bridge: string; bridgeAddress: string };

function ip(args: string[], allowFail = false): Promise<{ code: number; stdout: string }> {
  return run('ip', args, { allowFail });
}

/** True if a network interface of that name exists on the build machine. */
export async function linkExists(name: string): Promise<boolean> {
  return (await ip(['link', 'show', 'dev', name], true)).code === 0;
}

export function netnsExists(netns: string): boolean {
  return existsSync(`/run/netns/${netns}`);
}

/** Creates the lab bridge with the .1 address; the subnet must not be in use by anything else. */
export async function createBridge(lab: LabBridge): Promise<void> {
  await ip(['link', 'add', lab.bridge, 'type', 'bridge']);
  // The bridge only links lab hosts: no IPv6 autoconfiguration chatter, no STP delay.
  await run('sysctl', ['-q', '-w', `net.ipv6.conf.${lab.bridge}.disable_ipv6=1`], { allowFail: true });
  await ip(['addr', 'add', `${lab.bridgeAddress}/24`, 'dev', lab.bridge]);
  await ip(['link', 'set', lab.bridge, 'up']);
}

/** The interface that already carries an address of `prefix`.0/24, if any (another lab, a VPN...). */
export async function subnetUser(prefix: string): Promise<string | undefined> {
  const out = (await ip(['-o', '-4', 'addr', 'show'])).stdout;
  for (const line of out.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d+\.\d+\.\d+)\.\d+\//.exec(line);
    if (m && m[2] === prefix) return m[1];
  }
  return undefined;
}

/** Gives a host its namespace, a veth into the bridge named eth0 inside, its address and a default route. */
export async function createHostNet(lab: LabBridge, host: Pick<HostNames, 'netns' | 'veth' | 'address'>): Promise<void> {
  await ip(['netns', 'add', host.netns]);
  // A MAC made from the address: a reset host keeps it, so neighbours' ARP caches stay right (else ~40 s of silence).
  const mac = hostMac(host.address);
  await ip(['link', 'add', host.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.netns, 'address', mac]);
  await run('sysctl', ['-q', '-w', `net.ipv6.conf.${host.veth}.disable_ipv6=1`], { allowFail: true });
  await ip(['link', 'set', host.veth, 'master', lab.bridge, 'up']);
  const inNs = (args: string[]): Promise<unknown> => ip(['-n', host.netns, ...args]);
  await inNs(['link', 'set', 'lo', 'up']);
  await inNs(['addr', 'add', `${host.address}/24`, 'dev', 'eth0']);
  await inNs(['link', 'set', 'eth0', 'up']);
  // Facts such as the default IPv4 address need a default route; this machine does not forward, so it leads nowhere.
  await inNs(['route', 'add', 'default', 'via', lab.bridgeAddress]);
}

/** A locally administered unicast MAC, 02:72:62 then the address's last three octets in hex. */
export function hostMac(address: string): string {
  const octets = address.split('.').slice(1).map((o) => Number(o).toString(16).padStart(2, '0'));
  return ['02', '72', '62', ...octets].join(':');
}

/** Removes a host's namespace and veth; anything already gone is fine. */
export async function removeHostNet(netns: string, veth: string): Promise<void> {
  if (netnsExists(netns)) await ip(['netns', 'delete', netns], true);
  if (await linkExists(veth)) await ip(['link', 'delete', veth], true);
}

export async function removeBridge(bridge: string): Promise<void> {
  if (await linkExists(bridge)) await ip(['link', 'delete', bridge], true);
}
