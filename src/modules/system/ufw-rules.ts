// ufw's rule tuples (the `### tuple ###` lines of user.rules): parsed, built from arguments the way ufw writes them, and matched exactly.
import { formatIPv4, maskBits, parseCidr4 } from './ipv4.js';

export type Family = 'v4' | 'v6';

/** One rule as ufw stores it: `### tuple ### ACTION PROTO DPORT DST SPORT SRC [DAPP SAPP] DIRECTION [comment=HEX]`. */
export interface Tuple {
  family: Family;
  /** allow, deny, limit, reject, optionally with _log / _log-all, or route:... */
  action: string;
  proto: string;
  dport: string;
  dst: string;
  sport: string;
  src: string;
  dapp?: string;
  sapp?: string;
  /** in, out, or in_eth0 / out_eth0. */
  direction: string;
  comment?: string;
}

function decodeHex(hex: string): string {
  return /^(?:[0-9a-f]{2})+$/i.test(hex) ? Buffer.from(hex, 'hex').toString('utf8') : hex;
}

export function parseTuples(text: string, family: Family): Tuple[] {
  const out: Tuple[] = [];
  for (const line of text.split('\n')) {
    const m = /^### tuple ###\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const words = m[1]!.trim().split(/\s+/);
    const last = words[words.length - 1] ?? '';
    const comment = last.startsWith('comment=') ? decodeHex(words.pop()!.slice('comment='.length)) : undefined;
    if (words.length !== 7 && words.length !== 9) continue;
    const [action, proto, dport, dst, sport, src] = words as [string, string, string, string, string, string];
    const apps = words.length === 9 ? { dapp: words[6], sapp: words[7] } : {};
    out.push({ family, action, proto, dport, dst, sport, src, ...apps, direction: words[words.length - 1]!, comment });
  }
  return out;
}

export function anyAddress(family: Family): string {
  return family === 'v4' ? '0.0.0.0/0' : '::/0';
}

/** The address as ufw stores it: host masks dropped, IPv4 networks reduced to their network address. */
export function normalizeAddress(address: string, family: Family): string {
  if (address === 'any') return anyAddress(family);
  if (family === 'v6') return address.toLowerCase().replace(/\/128$/, '');
  const net = parseCidr4(address);
  if (!net) return address;
  if (net.prefix === 32) return formatIPv4(net.addr);
  return `${formatIPv4((net.addr & maskBits(net.prefix)) >>> 0)}/${net.prefix}`;
}

export function addressFamily(address: string): Family | undefined {
  if (address === 'any') return undefined;
  return address.includes(':') ? 'v6' : 'v4';
}

export interface RuleSpec {
  action: 'allow' | 'deny' | 'limit' | 'reject';
  log: boolean;
  direction: 'in' | 'out';
  iface?: string;
  proto: 'tcp' | 'udp' | 'any';
  from: string;
  fromPort?: string;
  to: string;
  toPort?: string;
  comment?: string;
}

/** The tuples ufw writes for a rule: one per family (both when neither address names one and IPv6 is on). */
export function ruleTuples(rule: RuleSpec, ipv6: boolean): Tuple[] {
  const named = addressFamily(rule.from) ?? addressFamily(rule.to);
  const families: Family[] = named ? [named] : ipv6 ? ['v4', 'v6'] : ['v4'];
  return families.map((family) => ({
    family,
    action: `${rule.action}${rule.log ? '_log' : ''}`,
    proto: rule.proto,
    dport: rule.toPort ?? 'any',
    dst: normalizeAddress(rule.to, family),
    sport: rule.fromPort ?? 'any',
    src: normalizeAddress(rule.from, family),
    direction: rule.iface ? `${rule.direction}_${rule.iface}` : rule.direction,
  }));
}

/** Same rule in ufw's eyes (the comment is a label, not part of the rule). */
export function sameRule(a: Tuple, b: Tuple): boolean {
  return a.family === b.family && a.action === b.action && a.proto === b.proto && a.dport === b.dport && a.dst === b.dst
    && a.sport === b.sport && a.src === b.src && a.direction === b.direction && (a.dapp ?? '-') === (b.dapp ?? '-') && (a.sapp ?? '-') === (b.sapp ?? '-');
}
