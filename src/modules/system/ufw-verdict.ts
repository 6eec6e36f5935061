// Would ufw let a new SSH connection in? Evaluates the saved rules in order, first match wins, as
// ufw's ufw-user-input chain does, for the controller's real connection (address, port, interface).
import { cidrContains } from './ipv4.js';
import type { Policy } from './ufw-probe.js';
import { anyAddress, type Family, type Tuple } from './ufw-rules.js';

/** A new SSH connection as the host sees it; unknown parts are undefined (then the verdict assumes the worst). */
export interface SshConnection {
  /** sshd's port (destination). */
  port: number;
  /** The controller's address as the host sees it (SSH_CONNECTION's first field). */
  client?: string;
  clientPort?: number;
  /** The host's own address the connection came to. */
  server?: string;
  /** The interface the connection's packets arrive on. */
  iface?: string;
}

export type SshVerdict =
  | { allowed: true; why: string; rule?: Tuple; index?: number }
  | { allowed: false; why: string; rule?: Tuple; index?: number };

/** ufw writes IPv4 clients of an IPv6 socket as ::ffff:a.b.c.d; its v4 rules apply to them. */
export function plainAddress(ip: string | undefined): string | undefined {
  if (ip === undefined || ip === '') return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}

function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-f:.]+$/i.test(text) || (text.match(/::/g) ?? []).length > 1) return undefined;
  let groups: string[];
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  let s = text;
  if (v4) {
    const b = v4.slice(1).map(Number);
    s = text.slice(0, v4.index) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  if (s.includes('::')) {
    const [head, tail] = s.split('::') as [string, string];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    if (h.length + t.length > 7) return undefined;
    groups = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  } else groups = s.split(':');
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function cidr6Contains(cidr: string, ip: string): boolean | undefined {
  const [net, len] = cidr.split('/');
  const a = parseIPv6(net ?? '');
  const b = parseIPv6(ip);
  const prefix = len === undefined ? 128 : Number(len);
  if (a === undefined || b === undefined || !(prefix >= 0 && prefix <= 128)) return undefined;
  const shift = BigInt(128 - prefix);
  return a >> shift === b >> shift;
}

/** true / false, or undefined when the connection's side is unknown. */
function addressMatches(stored: string, family: Family, ip: string | undefined): boolean | undefined {
  if (stored === anyAddress(family)) return true;
  if (ip === undefined) return undefined;
  return family === 'v4' ? cidrContains(stored, ip) : cidr6Contains(stored, ip);
}

function portMatches(spec: string, port: number | undefined): boolean | undefined {
  if (spec === 'any') return true;
  if (port === undefined) return undefined;
  return spec.split(',').some((part) => {
    const [lo, hi] = part.split(':').map(Number);
    return hi === undefined ? lo === port : lo! <= port && port <= hi;
  });
}

/** `in` matches every interface, `in_eth0` only eth0; anything else (out, route) never sees incoming SSH. */
function directionMatches(direction: string, iface: string | undefined): boolean | undefined {
  if (direction === 'in') return true;
  if (!direction.startsWith('in_')) return false;
  if (iface === undefined) return undefined;
  return direction.slice(3) === iface;
}

/** true when the rule matches the connection, false when not, undefined when an unknown part decides. */
function ruleMatches(t: Tuple, family: Family, c: SshConnection, client: string | undefined): boolean | undefined {
  const parts = [
    t.family === family,
    t.proto === 'tcp' || t.proto === 'any',
    directionMatches(t.direction, c.iface),
    portMatches(t.dport, c.port),
    portMatches(t.sport, c.clientPort),
    addressMatches(t.src, family, client),
    addressMatches(t.dst, family, plainAddress(c.server)),
  ];
  if (parts.includes(false)) return false;
  return parts.includes(undefined) ? undefined : true;
}

/** ufw's own words for a stored rule, for messages: `deny from 10.0.0.1 on eth0` etc. */
export function describeTuple(t: Tuple): string {
  const words = [t.action.replace(/_log(-all)?$/, '')];
  if (t.direction.startsWith('in_')) words.push('in on', t.direction.slice(3));
  if (t.src !== anyAddress(t.family)) words.push('from', t.src);
  if (t.sport !== 'any') words.push('port', t.sport);
  if (t.dst !== anyAddress(t.family)) words.push('to', t.dst);
  if (t.dport !== 'any') words.push('port', t.dport);
  if (t.proto !== 'any') words.push(`proto ${t.proto}`);
  return words.join(' ');
}

/**
 * The verdict for a new SSH connection under `rules` (in file order) and the default incoming policy.
 * A rule whose match depends on something the host did not tell us counts when it would block and is
 * skipped when it would allow, so an unknown never turns into a lock-out.
 */
export function sshVerdict(rules: readonly Tuple[], incoming: Policy, c: SshConnection): SshVerdict {
  // ufw's before-rules accept everything on loopback ahead of the user rules.
  if (c.iface === 'lo') return { allowed: true, why: 'ufw always accepts traffic on the loopback interface' };
  const client = plainAddress(c.client);
  const family: Family = client?.includes(':') ? 'v6' : 'v4';
  for (const [index, t] of rules.entries()) {
    if (t.action.startsWith('route')) continue;
    const m = ruleMatches(t, family, c, client);
    if (m === false) continue;
    const action = t.action.replace(/_log(-all)?$/, '');
    const allows = action === 'allow' || action === 'limit';
    if (allows && m === undefined) continue;
    const n = `rule ${index + 1} (${describeTuple(t)})`;
    if (allows) return { allowed: true, rule: t, index, why: `${n} ${action === 'limit' ? 'lets it in (rate-limited)' : 'lets it in'}` };
    const maybe = m === undefined ? ' may match it (the host did not say enough about the connection to rule that out) and' : '';
    return { allowed: false, rule: t, index, why: `${n}${maybe} ${action === 'reject' ? 'rejects' : 'drops'} it, before any later rule can allow it` };
  }
  if (incoming === 'allow') return { allowed: true, why: 'the default incoming policy allows it' };
  return { allowed: false, why: `no rule that matches it allows it, and the default incoming policy is ${incoming}` };
}
