// known_hosts parsing, host matching (plain, [host]:port, lists, wildcards, hashed) and fingerprints against OpenSSH's own output.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  blobKeyType,
  checkHostKey,
  entryMatchesHost,
  hostLookupName,
  keyFingerprint,
  keyTypeLabel,
  knownKeyTypes,
  parseKnownHosts,
  readKnownHosts,
} from '../../../src/transport/known-hosts.js';

// Keys and fingerprints made with ssh-keygen -t ... / ssh-keygen -lf; hashed names with ssh-keygen -H.
const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIKRe3IIdb2SGLn8Nw0170hs9/2Y+xRhdH/ZxVT7cfUGB';
const ED_FP = 'SHA256:DL2CI0v/uSN2OtKYFOL+z6kz19VJC7YvqvWFjYficEM';
const ED2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIG2PMDOlaikhdkdhBIDpOXelaB3rIH0W4NGQPiQIx0r8';
const ED2_FP = 'SHA256:r6WS+c76lWomOZIVYaSWTNAsxRchs1aTqC0fBbjxl5U';
const ECDSA =
  'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBADZ1qx/lja8NCiVeTweYnKiuf5LD9jZtw8L63VXmmQUVSe9RV8uu6qbsZ4QF8nYvoSgCORXlkg7yBa8W8ZiwLk=';
const ECDSA_FP = 'SHA256:6SUucPvagmjeeXEo3RdYI9pF6G1DOAHq6rmKiM9isDc';
const RSA =
  'AAAAB3NzaC1yc2EAAAADAQABAAAAgQDOTPXMi9spkuQO61+6LJ9tD42u4PFUBL0nzUDjWwwV/zrKSejEU4jE0ot8zWxBwGJYPY5m3GTmh4tT415t651ZoOgQE503ZUv2DIsq5L39PUO5Lrkmt6XZp971vJvTxYc/7fRmKBBVnbm2qxjn4fNopRYXb2m1lS4wajjlvYhR5Q==';
const RSA_FP = 'SHA256:4JxYWWEIkB0LrEyU+WGmaqIP401wWX4M/LVChLvQFWA';
/** `web1.example.com` (ED) and `[10.0.0.5]:2222` (RSA), hashed by ssh-keygen -H. */
const HASHED = [
  `|1|mNol2+zVGSKhCug3M4i54a03Yxo=|ojk+RUavg96S0EQk+klSoRTgv3E= ssh-ed25519 ${ED}`,
  `|1|6dZ+/aE4ec/5LcMKU1RW22lOz9o=|+Ki9boCMNekywYYAzTWQ8U9cGdo= ssh-rsa ${RSA}`,
].join('\n');

const blob = (b64: string): Buffer => Buffer.from(b64, 'base64');

describe('known_hosts', () => {
  describe('keyFingerprint', () => {
    it('matches ssh-keygen -lf for ed25519, ecdsa and rsa keys', () => {
      expect(keyFingerprint(blob(ED))).to.equal(ED_FP);
      expect(keyFingerprint(blob(ECDSA))).to.equal(ECDSA_FP);
      expect(keyFingerprint(blob(RSA))).to.equal(RSA_FP);
      expect(keyFingerprint(blob(ED2))).to.equal(ED2_FP);
    });

    it('reads the key type from the blob and labels it as OpenSSH does', () => {
      expect(blobKeyType(blob(ED))).to.equal('ssh-ed25519');
      expect(blobKeyType(blob(ECDSA))).to.equal('ecdsa-sha2-nistp256');
      expect(keyTypeLabel('ecdsa-sha2-nistp256')).to.equal('ECDSA');
      expect(keyTypeLabel('ssh-rsa')).to.equal('RSA');
      expect(blobKeyType(Buffer.from([0, 0]))).to.equal(undefined);
    });
  });

  describe('parseKnownHosts', () => {
    it('reads plain, bracketed, listed and marked entries, skipping comments and garbage', () => {
      const text = [
        '# a comment',
        '',
        `web1.example.com,10.0.0.1 ssh-ed25519 ${ED} root@web1`,
        `[10.0.0.5]:2222 ssh-rsa ${RSA}`,
        `@revoked * ssh-ed25519 ${ED2}`,
        `@cert-authority *.example.com ssh-ed25519 ${ED2}`,
        `@bogus-marker host ssh-ed25519 ${ED2}`,
        'broken line',
        `mismatch ssh-rsa ${ED}`,
      ].join('\n');
      const entries = parseKnownHosts(text, '/f');
      expect(entries.map((e) => [e.line, e.hosts, e.keyType, e.marker])).to.deep.equal([
        [3, 'web1.example.com,10.0.0.1', 'ssh-ed25519', undefined],
        [4, '[10.0.0.5]:2222', 'ssh-rsa', undefined],
        [5, '*', 'ssh-ed25519', 'revoked'],
        [6, '*.example.com', 'ssh-ed25519', 'cert-authority'],
      ]);
      expect(entries[0]!.key.equals(blob(ED))).to.equal(true);
      expect(entries[0]!.file).to.equal('/f');
    });
  });

  describe('host matching', () => {
    it('names a host as OpenSSH looks it up: bare on port 22, [host]:port otherwise', () => {
      expect(hostLookupName('Web1.Example.com', 22)).to.equal('web1.example.com');
      expect(hostLookupName('10.0.0.5', 2222)).to.equal('[10.0.0.5]:2222');
    });

    it('matches comma lists, wildcards and negations', () => {
      const e = { hosts: 'web*.example.com,!web9.example.com,10.0.0.?' };
      expect(entryMatchesHost(e, 'web1.example.com')).to.equal(true);
      expect(entryMatchesHost(e, '10.0.0.7')).to.equal(true);
      expect(entryMatchesHost(e, 'web9.example.com')).to.equal(false);
      expect(entryMatchesHost(e, 'db1.example.com')).to.equal(false);
      expect(entryMatchesHost(e, '10.0.0.17')).to.equal(false);
    });

    it('does not let a port-22 entry match another port', () => {
      const e = { hosts: '10.0.0.5' };
      expect(entryMatchesHost(e, '10.0.0.5')).to.equal(true);
      expect(entryMatchesHost(e, '[10.0.0.5]:2222')).to.equal(false);
    });

    it('matches hashed entries written by ssh-keygen -H', () => {
      const [edEntry, rsaEntry] = parseKnownHosts(HASHED);
      expect(entryMatchesHost(edEntry!, 'web1.example.com')).to.equal(true);
      expect(entryMatchesHost(edEntry!, 'web2.example.com')).to.equal(false);
      expect(entryMatchesHost(rsaEntry!, '[10.0.0.5]:2222')).to.equal(true);
      expect(entryMatchesHost(rsaEntry!, '10.0.0.5')).to.equal(false);
    });
  });

  describe('checkHostKey', () => {
    const entries = parseKnownHosts(
      [`web1.example.com ssh-ed25519 ${ED}`, `web1.example.com ecdsa-sha2-nistp256 ${ECDSA}`, `[db]:2200 ssh-rsa ${RSA}`].join('\n'),
      '/kh',
    );

    it('trusts a listed key', () => {
      const v = checkHostKey(entries, 'web1.example.com', 22, blob(ED));
      expect(v.status).to.equal('trusted');
    });

    it('trusts a key from a hashed file', () => {
      expect(checkHostKey(parseKnownHosts(HASHED), '10.0.0.5', 2222, blob(RSA)).status).to.equal('trusted');
    });

    it('calls a different key of a known type CHANGED, naming the entry it contradicts', () => {
      const v = checkHostKey(entries, 'web1.example.com', 22, blob(ED2));
      expect(v.status).to.equal('changed');
      if (v.status !== 'changed') return;
      expect(v.expected.map((e) => `${e.file}:${e.line}`)).to.deep.equal(['/kh:1']);
    });

    it('calls a host with no entry unknown', () => {
      expect(checkHostKey(entries, 'web2.example.com', 22, blob(ED))).to.deep.equal({ status: 'unknown', otherTypes: [] });
      // Same address, other port: a different host as far as known_hosts is concerned.
      expect(checkHostKey(entries, 'web1.example.com', 2222, blob(ED)).status).to.equal('unknown');
    });

    it('calls a key of a type not yet known for the host unknown, listing the known types', () => {
      expect(checkHostKey(entries, 'db', 2200, blob(ED))).to.deep.equal({ status: 'unknown', otherTypes: ['ssh-rsa'] });
    });

    it('refuses a @revoked key even when another line trusts it', () => {
      const withRevoked = [...entries, ...parseKnownHosts(`@revoked * ssh-ed25519 ${ED}`)];
      expect(checkHostKey(withRevoked, 'web1.example.com', 22, blob(ED)).status).to.equal('revoked');
    });

    it('never trusts a key through a @cert-authority line', () => {
      const ca = parseKnownHosts(`@cert-authority * ssh-ed25519 ${ED}`);
      expect(checkHostKey(ca, 'web1.example.com', 22, blob(ED)).status).to.equal('unknown');
    });

    it('finds a host among a fleet by name, with wildcard and hashed lines still tried, in file order', () => {
      // The lookup goes through an index by name: a naive scan of every line must agree with it.
      const fleet = Array.from({ length: 1000 }, (_, i) => `10.1.${i >> 8}.${i & 255},node${i} ssh-ed25519 ${i === 500 ? ED2 : ED}`);
      const lines = [`*.example.com ssh-ed25519 ${ED2}`, ...fleet, HASHED, `node500 ecdsa-sha2-nistp256 ${ECDSA}`, `Node7 ssh-rsa ${RSA}`];
      const all = parseKnownHosts(lines.join('\n'), '/fleet');
      expect(checkHostKey(all, 'node3', 22, blob(ED)).status).to.equal('trusted');
      expect(checkHostKey(all, '10.1.1.243', 22, blob(ED)).status).to.equal('trusted');
      expect(checkHostKey(all, 'node500', 22, blob(ED2)).status).to.equal('trusted');
      const changed = checkHostKey(all, 'node500', 22, blob(ED));
      expect(changed.status).to.equal('changed');
      if (changed.status === 'changed') expect(changed.expected.map((e) => e.line)).to.deep.equal([502]);
      expect(checkHostKey(all, 'web9.example.com', 22, blob(ED2)).status).to.equal('trusted');
      expect(checkHostKey(all, 'web1.example.com', 22, blob(ED)).status).to.equal('trusted');
      expect(checkHostKey(all, '10.0.0.5', 2222, blob(RSA)).status).to.equal('trusted');
      expect(checkHostKey(all, 'node1000', 22, blob(ED))).to.deep.equal({ status: 'unknown', otherTypes: [] });
      // Names compare without case, as OpenSSH does.
      expect(checkHostKey(all, 'NODE7', 22, blob(RSA)).status).to.equal('trusted');
      expect(knownKeyTypes(all, 'node500', 22)).to.deep.equal(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
      expect(knownKeyTypes(all, 'web1.example.com', 22)).to.deep.equal(['ssh-ed25519']);
      const negated = parseKnownHosts([`*,!node2 ssh-ed25519 ${ED}`, `node2 ssh-ed25519 ${ED2}`].join('\n'));
      expect(checkHostKey(negated, 'node2', 22, blob(ED)).status).to.equal('changed');
      expect(checkHostKey(negated, 'node3', 22, blob(ED)).status).to.equal('trusted');
    });

    it('lists the key types known for a host, for the handshake to prefer', () => {
      expect(knownKeyTypes(entries, 'web1.example.com', 22)).to.deep.equal(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
      expect(knownKeyTypes(entries, 'nowhere', 22)).to.deep.equal([]);
    });
  });

  describe('readKnownHosts', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'runbook-kh-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reads several files and treats a missing one as empty', async () => {
      const a = join(dir, 'a');
      await writeFile(a, `web1.example.com ssh-ed25519 ${ED}\n`);
      const entries = await readKnownHosts([join(dir, 'missing'), a]);
      expect(entries).to.have.length(1);
      expect(entries[0]!.file).to.equal(a);
    });

    it('returns the same list while the files are unchanged, and a new one when one changes', async () => {
      const a = join(dir, 'same');
      await writeFile(a, `web1.example.com ssh-ed25519 ${ED}\n`);
      const first = await readKnownHosts([a]);
      expect(await readKnownHosts([a])).to.equal(first);
      await writeFile(a, `web1.example.com ssh-ed25519 ${ED2}\n`);
      const second = await readKnownHosts([a]);
      expect(second).to.not.equal(first);
      expect(checkHostKey(second, 'web1.example.com', 22, blob(ED2)).status).to.equal('trusted');
      expect(checkHostKey(second, 'web1.example.com', 22, blob(ED)).status).to.equal('changed');
    });
  });
});
