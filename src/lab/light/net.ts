// The light lab's network: one namespace holding every host address on its loopback, one veth to the controller.
import { run } from '../exec.js';
import { linkExists, netnsExists } from '../network.js';
import { inLightSubnet, type LightNames } from './names.js';

/**
 * Creates the namespace and the veth, and puts every host address on the namespace's loopback as a /32.
 * The controller routes the /22 through the veth, so it keeps one neighbour entry, not one per host.
 */
export async function createLightNet(lab: LightNames, addresses: readonly string[]): Promise<void> {
  const ip = (args: string[], input?: string): Promise<unknown> => run('ip', args, input === undefined ? {} : { input });
  await ip(['netns', 'add', lab.netns]);
  await ip(['link', 'add', lab.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', lab.netns]);
  await run('sysctl', ['-q', '-w', `net.ipv6.conf.${lab.veth}.disable_ipv6=1`], { allowFail: true });
  await ip(['addr', 'add', `${lab.controllerAddress}/30`, 'dev', lab.veth]);
  await ip(['link', 'set', lab.veth, 'up']);
  await ip(['route', 'add', lab.subnet, 'via', lab.nsAddress, 'dev', lab.veth]);
  // One `ip -batch` for the namespace: a thousand addresses would be a thousand processes otherwise.
  const batch = [
    'link set lo up',
    `addr add ${lab.nsAddress}/30 dev eth0`,
    'link set eth0 up',
    `route add default via ${lab.controllerAddress}`,
    ...addresses.map((a) => `addr add ${a}/32 dev lo`),
  ];
  await ip(['-n', lab.netns, '-batch', '-'], `${batch.join('\n')}\n`);
}

/** Deleting the namespace takes eth0, its peer and every host address with it. */
export async function removeLightNet(lab: Pick<LightNames, 'netns' | 'veth'>): Promise<void> {
  if (netnsExists(lab.netns)) await run('ip', ['netns', 'delete', lab.netns], { allowFail: true });
  if (await linkExists(lab.veth)) await run('ip', ['link', 'delete', lab.veth], { allowFail: true });
}

/** The interface that already carries an address of the /22, if any (another lab, a VPN...). */
export async function lightSubnetUser(base: readonly number[]): Promise<string | undefined> {
  const out = (await run('ip', ['-o', '-4', 'addr', 'show'])).stdout;
  for (const line of out.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d+\.\d+\.\d+\.\d+)\//.exec(line);
    if (m && inLightSubnet(base, m[2]!)) return m[1];
  }
  const routes = (await run('ip', ['-4', 'route', 'show'])).stdout;
  for (const line of routes.split('\n')) {
    const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/\d+)?\s.*\bdev\s+(\S+)/.exec(line);
    if (m && inLightSubnet(base, m[1]!)) return m[2];
  }
  return undefined;
}
