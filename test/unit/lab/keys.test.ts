// Lab credentials: random strings, host keys made once, known_hosts lines that ssh accepts.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDeployPassword, ensureHostKeys, knownHostsLines, randomString } from '../../../src/lab/keys.js';

describe('lab/keys', () => {
  it('draws random strings from the alphabet and always includes the required chars', () => {
    for (let i = 0; i < 50; i++) {
      const s = randomString('ab', 10, '&%');
      expect(s).to.have.length(10);
      expect(s).to.match(/^[ab&%]+$/);
      expect(s).to.include('&').and.to.include('%');
    }
  });

  it('makes host keys once and lists every public key under the address, and keeps the deploy password', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'runbook-lab-keys-'));
    try {
      const sshDir = await ensureHostKeys(join(dir, 'h'));
      const first = await knownHostsLines('10.78.0.11', sshDir);
      expect(first.map((l) => l.split(' ')[1])).to.have.members(['ecdsa-sha2-nistp256', 'ssh-ed25519', 'ssh-rsa']);
      for (const line of first) expect(line).to.match(/^10\.78\.0\.11 \S+ [A-Za-z0-9+/=]+$/);
      await ensureHostKeys(join(dir, 'h'));
      expect(await knownHostsLines('10.78.0.11', sshDir)).to.deep.equal(first);
      const password = await ensureDeployPassword(dir);
      expect(password).to.match(/^[A-Za-z0-9]{20}$/);
      expect(await ensureDeployPassword(dir)).to.equal(password);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
