// Network facts from iproute2's one-line output: the default route's address, every IPv4 address, and the primary private one.
import type { Vars } from '../../core/types.js';
import { formatIPv4, isPrivateIPv4, maskBits, parseIPv4 } from './ipv4.js';

export interface Address {
  interface: string;
  address: string;
  prefix: number;
  broadcast?: string;
  scope: string;
  secondary: boolean;
}

/** `ip -4 -o addr show` lines: "2: eth0    inet 10.77.0.12/24 brd 10.77.0.255 scope global eth0\ ...". */
export function parseAddresses(text: string): Address[] {
  const out: Address[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d+\.\d+\.\d+\.\d+)\/(\d+)(.*)$/.exec(line);
    if (!m) continue;
    const rest = m[4]!;
    const brd = /\bbrd (\S+)/.exec(rest)?.[1];
    out.push({
      interface: m[1]!.replace(/@.*$/, ''),
      address: m[2]!,
      prefix: Number(m[3]),
      broadcast: brd,
      scope: /\bscope (\S+)/.exec(rest)?.[1] ?? 'global',
      secondary: /\bsecondary\b/.test(rest),
    });
  }
  return out;
}

/** `ip -4 route show default`: "default via 10.77.0.1 dev eth0 ...". */
export function parseDefaultRoute(text: string): { gateway?: string; interface?: string } {
  const line = text.split('\n').find((l) => l.startsWith('default')) ?? '';
  return { gateway: /\bvia (\S+)/.exec(line)?.[1], interface: /\bdev (\S+)/.exec(line)?.[1] };
}

/** `ip -o link show`: "2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> ...". */
export function parseLinks(text: string): { name: string; up: boolean }[] {
  const out: { name: string; up: boolean }[] = [];
  for (const line of text.split('\n')) {
    const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<([^>]*)>/.exec(line);
    if (m) out.push({ name: m[1]!, up: m[2]!.split(',').includes('UP') });
  }
  return out;
}

export function ipv4Details(a: Address): Vars {
  const mask = maskBits(a.prefix);
  return {
    address: a.address,
    netmask: formatIPv4(mask),
    network: formatIPv4(((parseIPv4(a.address) ?? 0) & mask) >>> 0),
    prefix: String(a.prefix),
    broadcast: a.broadcast ?? '',
  };
}

export interface NetworkFacts {
  default_ipv4: Vars;
  all_ipv4_addresses: string[];
  primary_private_ipv4: string;
  interfaces: string[];
  /** Per-interface facts (ansible_eth0.ipv4), keyed by Ansible's fact name (dashes become underscores). */
  perInterface: Record<string, Vars>;
}

export function networkFacts(routeText: string, addrText: string, linkText: string): NetworkFacts {
  const addrs = parseAddresses(addrText);
  const usable = addrs.filter((a) => !a.address.startsWith('127.'));
  const route = parseDefaultRoute(routeText);
  const onRoute = usable.filter((a) => a.interface === route.interface);
  // With no default route (or none with an address), Ansible's answer is still an address: the first global one.
  const fallback = onRoute.find((a) => !a.secondary) ?? onRoute[0] ?? usable.find((a) => a.scope === 'global');
  const default_ipv4: Vars = fallback ? { ...ipv4Details(fallback), interface: fallback.interface, alias: fallback.interface, gateway: route.gateway ?? '' } : {};
  const privates = usable.filter((a) => isPrivateIPv4(a.address));
  const privateAddr = fallback && isPrivateIPv4(fallback.address) ? fallback : privates[0];
  const perInterface: Record<string, Vars> = {};
  const links = parseLinks(linkText);
  for (const name of new Set([...links.map((l) => l.name), ...addrs.map((a) => a.interface)])) {
    const first = addrs.find((a) => a.interface === name && !a.secondary) ?? addrs.find((a) => a.interface === name);
    const up = links.find((l) => l.name === name)?.up ?? true;
    perInterface[name.replace(/[-.:]/g, '_')] = { device: name, active: up, ...(first ? { ipv4: ipv4Details(first) } : {}) };
  }
  return {
    default_ipv4,
    all_ipv4_addresses: usable.map((a) => a.address),
    primary_private_ipv4: privateAddr?.address ?? '',
    interfaces: links.length ? links.map((l) => l.name) : [...new Set(addrs.map((a) => a.interface))],
    perInterface,
  };
}
