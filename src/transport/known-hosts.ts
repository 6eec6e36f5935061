// Reads OpenSSH known_hosts files and decides whether a presented host key is trusted, so a man in the middle is refused.
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface KnownHostEntry {
  file: string;
  /** 1-based line in `file`, for messages that point at the stale entry. */
  line: number;
  /** `@revoked` entries refuse a key; `@cert-authority` entries are kept but never match (we do not do host certificates). */
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written: a comma list of patterns, or one `|1|salt|hash` hashed name. */
  hosts: string;
  keyType: string;
  /** The decoded key blob, byte for byte what the server presents during the handshake. */
  key: Buffer;
}

/** Parses known_hosts text; malformed lines are skipped as OpenSSH does. */
export function parseKnownHosts(text: string, file = 'known_hosts'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (fields[0] === '' || fields[0]!.startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (fields[0]!.startsWith('@')) {
      const m = fields.shift();
      if (m === '@revoked') marker = 'revoked';
      else if (m === '@cert-authority') marker = 'cert-authority';
      else return;
    }
    const [hosts, keyType, b64] = fields;
    if (!hosts || !keyType || !b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return;
    const key = Buffer.from(b64, 'base64');
    if (blobKeyType(key) !== keyType) return;
    const entry: KnownHostEntry = { file, line: index + 1, hosts, keyType, key };
    if (marker) entry.marker = marker;
    entries.push(entry);
  });
  return entries;
}

/** The files OpenSSH reads when none is configured. */
export function defaultKnownHostsFiles(): string[] {
  return [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
}

/**
 * The last parse of each file, reused while its text is the same: every connection reads the file,
 * and parsing a fleet's known_hosts once per host would cost O(hosts²). Entries are never mutated.
 */
const parsed = new Map<string, { text: string; entries: KnownHostEntry[] }>();

/** The last list returned for a set of files, returned again while each file's parse is the same (so its index is too). */
const combined = new Map<string, { parts: KnownHostEntry[][]; all: readonly KnownHostEntry[] }>();

/** Reads and parses several files; a missing file is simply empty (every host is then unknown). */
export async function readKnownHosts(files: readonly string[]): Promise<readonly KnownHostEntry[]> {
  const parts: KnownHostEntry[][] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    let cached = parsed.get(file);
    if (cached?.text !== text) {
      cached = { text, entries: parseKnownHosts(text, file) };
      parsed.set(file, cached);
    }
    parts.push(cached.entries);
  }
  const key = files.join('\0');
  const last = combined.get(key);
  if (last && last.parts.length === parts.length && last.parts.every((p, i) => p === parts[i])) return last.all;
  const all = parts.flat();
  combined.set(key, { parts, all });
  return all;
}

/**
 * Where to look for a host's entries without reading every line: entries whose host field is a
 * plain list of names, by name; the others (wildcards, negations, hashed names) are always tried.
 * A 1,000-host known_hosts was scanned twice per connection before, O(hosts²) for the run.
 */
type EntryIndex = { byName: Map<string, number[]>; alwaysTried: number[]; revoked: KnownHostEntry[] };

const indexes = new WeakMap<readonly KnownHostEntry[], EntryIndex>();

function indexOf(entries: readonly KnownHostEntry[]): EntryIndex {
  let index = indexes.get(entries);
  if (index) return index;
  index = { byName: new Map(), alwaysTried: [], revoked: [] };
  entries.forEach((e, i) => {
    if (e.marker === 'revoked') index!.revoked.push(e);
    const names = e.hosts.toLowerCase().split(',');
    if (e.hosts.startsWith('|1|') || names.some((n) => /[*?!]/.test(n))) {
      index!.alwaysTried.push(i);
      return;
    }
    for (const name of new Set(names)) {
      const list = index!.byName.get(name);
      if (list) list.push(i);
      else index!.byName.set(name, [i]);
    }
  });
  indexes.set(entries, index);
  return index;
}

/** The entries naming `lookupName`, in file order. */
function entriesFor(entries: readonly KnownHostEntry[], lookupName: string): KnownHostEntry[] {
  const index = indexOf(entries);
  const named = index.byName.get(lookupName) ?? [];
  const order = index.alwaysTried.length === 0 ? named : [...named, ...index.alwaysTried].sort((a, b) => a - b);
  return order.map((i) => entries[i]!).filter((e) => entryMatchesHost(e, lookupName));
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` otherwise. */
export function hostLookupName(host: string, port: number): string {
  const h = host.toLowerCase();
  return port === 22 ? h : `[${h}]:${port}`;
}

/** Whether an entry's host field names `lookupName` (patterns with * ? and !negation, or a hashed name). */
export function entryMatchesHost(entry: Pick<KnownHostEntry, 'hosts'>, lookupName: string): boolean {
  if (entry.hosts.startsWith('|1|')) return hashedNameMatches(entry.hosts, lookupName);
  let matched = false;
  for (const pattern of entry.hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (globMatch(negated ? pattern.slice(1) : pattern, lookupName)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`, as written by `ssh-keygen -H` and HashKnownHosts. */
function hashedNameMatches(field: string, lookupName: string): boolean {
  const parts = field.split('|');
  if (parts.length !== 4) return false;
  const salt = Buffer.from(parts[2]!, 'base64');
  const expected = Buffer.from(parts[3]!, 'base64');
  const actual = createHmac('sha1', salt).update(lookupName).digest();
  return actual.length === expected.length && actual.equals(expected);
}

/** Compiled wildcard patterns: each connection matches every entry of the file, so compile each pattern once. */
const globs = new Map<string, RegExp>();

function globMatch(pattern: string, name: string): boolean {
  const lower = pattern.toLowerCase();
  if (!lower.includes('*') && !lower.includes('?')) return lower === name;
  let re = globs.get(lower);
  if (!re) {
    re = new RegExp(`^${lower.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    globs.set(lower, re);
  }
  return re.test(name);
}

/** The key type named inside a key blob (its first SSH string), e.g. `ssh-ed25519`. */
export function blobKeyType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > blob.length) return undefined;
  return blob.subarray(4, 4 + len).toString('latin1');
}

/** Fingerprint exactly as `ssh-keygen -l` and ssh's prompts show it. */
export function keyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Short type name as OpenSSH prints it after a fingerprint: ED25519, ECDSA, RSA. */
export function keyTypeLabel(keyType: string): string {
  if (keyType === 'ssh-ed25519') return 'ED25519';
  if (keyType.startsWith('ecdsa-')) return 'ECDSA';
  if (keyType === 'ssh-rsa') return 'RSA';
  if (keyType === 'ssh-dss') return 'DSA';
  return keyType;
}

export type HostKeyVerdict =
  | { status: 'trusted'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }
  /** Known with another key of the same type: the dangerous case. */
  | { status: 'changed'; expected: KnownHostEntry[] }
  /** Not known at all, or only with keys of other types (listed in `otherTypes`). */
  | { status: 'unknown'; otherTypes: string[] };

export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, presented: Buffer): HostKeyVerdict {
  const name = hostLookupName(host, port);
  const type = blobKeyType(presented);
  const forHost = entriesFor(entries, name).filter((e) => e.marker !== 'cert-authority');
  // A revoked key is refused whatever host pattern it was listed under: it is compromised everywhere.
  const revoked = indexOf(entries).revoked.find((e) => e.key.equals(presented));
  if (revoked) return { status: 'revoked', entry: revoked };
  const plain = forHost.filter((e) => e.marker === undefined);
  const same = plain.find((e) => e.key.equals(presented));
  if (same) return { status: 'trusted', entry: same };
  const sameType = plain.filter((e) => e.keyType === type);
  if (sameType.length > 0) return { status: 'changed', expected: sameType };
  return { status: 'unknown', otherTypes: [...new Set(plain.map((e) => e.keyType))] };
}

/** Key types already known for a host, so the handshake can ask for those first (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = hostLookupName(host, port);
  return [...new Set(entriesFor(entries, name).filter((e) => e.marker === undefined).map((e) => e.keyType))];
}
