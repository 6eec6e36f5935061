// Host key policy for one connection: verify against known_hosts and explain a refusal so the user knows what to do.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UnreachableError } from '../core/errors.js';
import { shQuote } from '../core/shell.js';
import {
  blobKeyType,
  checkHostKey,
  defaultKnownHostsFiles,
  hostLookupName,
  keyFingerprint,
  keyTypeLabel,
  knownKeyTypes,
  readKnownHosts,
  type HostKeyVerdict,
} from './known-hosts.js';
import type { ConnectionSpec } from './types.js';

/** ssh2's default server host key algorithms (node 20 has ed25519). */
const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
];

export interface HostKeyPolicy {
  /** For ssh2's hostVerifier: true accepts; false refuses and records why. */
  verify(key: Buffer): boolean;
  /** Why the last verify() refused, as the error the connection should fail with. */
  refusal(): UnreachableError | undefined;
  /** Algorithms to offer, known types first, so a host with several keys presents the one we know. */
  hostKeyAlgorithms: string[];
}

/** Loads the known_hosts files for a spec; undefined when checking is explicitly turned off. */
export async function hostKeyPolicy(spec: ConnectionSpec): Promise<HostKeyPolicy | undefined> {
  if (!spec.hostKeyChecking) return undefined;
  const files = spec.knownHostsFile ? [spec.knownHostsFile] : defaultKnownHostsFiles();
  const entries = await readKnownHosts(files);
  let refusal: UnreachableError | undefined;
  return {
    verify(key) {
      const verdict = checkHostKey(entries, spec.address, spec.port, key);
      if (verdict.status === 'trusted') return true;
      refusal = hostKeyRefusal(spec, verdict, key);
      return false;
    },
    refusal: () => refusal,
    hostKeyAlgorithms: preferredHostKeyAlgorithms(knownKeyTypes(entries, spec.address, spec.port)),
  };
}

/** Moves the algorithms for already-known key types to the front; the rest keep ssh2's order. */
export function preferredHostKeyAlgorithms(knownTypes: readonly string[]): string[] {
  const algorithmsFor = (type: string): string[] => (type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type]);
  const first = knownTypes.flatMap(algorithmsFor).filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a));
  return [...new Set([...first, ...DEFAULT_HOST_KEY_ALGORITHMS])];
}

/** The UnreachableError for a refused key: what was presented, what was expected, and the commands that fix it. */
export function hostKeyRefusal(spec: ConnectionSpec, verdict: Exclude<HostKeyVerdict, { status: 'trusted' }>, presented: Buffer): UnreachableError {
  const type = blobKeyType(presented) ?? 'unknown';
  const label = keyTypeLabel(type);
  const fp = keyFingerprint(presented);
  const where = `${spec.name} (${spec.address}:${spec.port})`;
  const file = spec.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  const scanType = label.toLowerCase();
  const keyscan = (into: string): string => `ssh-keyscan -p ${spec.port} -t ${scanType} ${shQuote(spec.address)} >> ${shQuote(into)}`;
  const checkOnHost = `ssh-keygen -lf /etc/ssh/ssh_host_${scanType}_key.pub`;
  const optOut = 'for throwaway hosts only, turn checking off: host_key_checking = False in runbook.cfg, or ansible_host_key_checking: false for the host';
  switch (verdict.status) {
    case 'unknown': {
      const others = verdict.otherTypes.length
        ? ` (known_hosts has only ${verdict.otherTypes.map(keyTypeLabel).join(', ')} keys for it)`
        : '';
      return new UnreachableError(
        spec.name,
        `host key for ${where} is not known${others}: the host presented ${label} key ${fp}; refusing to connect`,
        `verify that fingerprint out of band (on the host: ${checkOnHost}), then trust it with: ${keyscan(file)}; ${optOut}`,
        'host-key-unknown',
      );
    }
    case 'changed': {
      const expected = verdict.expected.map((e) => `${keyFingerprint(e.key)} (${e.file}:${e.line})`).join(', ');
      const lookup = hostLookupName(spec.address, spec.port);
      const expectedFile = verdict.expected[0]!.file;
      return new UnreachableError(
        spec.name,
        `WARNING: HOST KEY CHANGED for ${where}: known_hosts expects ${label} key ${expected}, but the host presented ${fp}. ` +
          'Someone could be intercepting the connection (man in the middle), or the host was reinstalled; refusing to connect',
        `find out why the key changed; only if the host was really rebuilt, verify the new fingerprint out of band (${checkOnHost}), ` +
          `then run: ssh-keygen -R ${shQuote(lookup)} -f ${shQuote(expectedFile)} && ${keyscan(expectedFile)}`,
        'host-key-changed',
      );
    }
    case 'revoked':
      return new UnreachableError(
        spec.name,
        `host key for ${where} is REVOKED: ${label} key ${fp} is marked @revoked at ${verdict.entry.file}:${verdict.entry.line}; refusing to connect`,
        'the host is using a compromised key: give it new host keys and trust those instead',
        'host-key-revoked',
      );
  }
}
