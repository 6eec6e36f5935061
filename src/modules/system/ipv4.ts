// IPv4 arithmetic shared by the facts (private address, netmask) and ufw (rule addresses, SSH safety).

/** The address as an unsigned 32-bit number, or undefined when `text` is not a dotted quad. */
export function parseIPv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

export function maskBits(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Splits `a.b.c.d/p` (or a bare address, prefix 32); undefined when either half is invalid. */
export function parseCidr4(text: string): { addr: number; prefix: number } | undefined {
  const [ip, len, extra] = text.split('/');
  if (extra !== undefined || ip === undefined) return undefined;
  const addr = parseIPv4(ip);
  const prefix = len === undefined ? 32 : /^\d{1,2}$/.test(len) ? Number(len) : NaN;
  if (addr === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  return { addr, prefix };
}

export function cidrContains(cidr: string, ip: string): boolean {
  const net = parseCidr4(cidr);
  const addr = parseIPv4(ip);
  if (!net || addr === undefined) return false;
  const mask = maskBits(net.prefix);
  return ((net.addr & mask) >>> 0) === ((addr & mask) >>> 0);
}

/** RFC 1918: 10/8, 172.16/12, 192.168/16. */
export function isPrivateIPv4(ip: string): boolean {
  return ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].some((net) => cidrContains(net, ip));
}

export function isIPv4(text: string): boolean {
  return parseIPv4(text) !== undefined;
}
