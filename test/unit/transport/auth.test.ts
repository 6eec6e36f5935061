// The login key signs with a KeyObject made once (not ssh2's PEM text per signature), with the same signatures.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { authPlan, signingWithKeyObject } from '../../../src/transport/auth.js';
import type { ConnectionSpec } from '../../../src/transport/types.js';

describe('transport/auth', () => {
  let dir: string;
  const keyFile = (type: string, name = type): string => {
    const file = join(dir, `id_${name}`);
    execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', '', '-f', file]);
    return file;
  };
  const parsed = (file: string): ParsedKey => ssh2.utils.parseKey(readFileSync(file)) as ParsedKey;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'runbook-auth-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const type of ['ed25519', 'ecdsa', 'rsa']) {
    it(`${type}: signatures verify with ssh2's own check, for each hash the server may ask`, () => {
      const file = keyFile(type);
      const key = signingWithKeyObject(parsed(file));
      const reference = parsed(file);
      expect(Object.hasOwn(key, 'sign'), 'sign() replaced on the key').to.equal(true);
      const data = Buffer.from('session id and userauth request');
      for (const hash of type === 'rsa' ? [undefined, 'sha256', 'sha512'] : [undefined]) {
        const signature = key.sign(data, hash);
        expect(signature).to.be.instanceOf(Buffer);
        expect(reference.verify(data, signature, hash), `verify with ${hash ?? 'the default hash'}`).to.equal(true);
        expect(reference.verify(Buffer.from('other data'), signature, hash)).to.equal(false);
        // ed25519 and RSA PKCS#1 v1.5 are deterministic: the very bytes ssh2 itself would send.
        if (type !== 'ecdsa') expect(signature.equals(reference.sign(data, hash))).to.equal(true);
      }
    });
  }

  it('authPlan hands ssh2 the key that signs with a KeyObject', async () => {
    const file = keyFile('ed25519', 'plan');
    const spec = { name: 'h', connection: 'ssh', address: '127.0.0.1', port: 22, user: 'root', privateKeyFile: file, hostKeyChecking: true, connectTimeoutMs: 1000 } as ConnectionSpec;
    const plan = await authPlan(spec, {});
    const method = plan.methods[0] as { type: string; key: ParsedKey };
    expect(method.type).to.equal('publickey');
    expect(Object.hasOwn(method.key, 'sign')).to.equal(true);
    const data = Buffer.from('x');
    expect(parsed(file).verify(data, method.key.sign(data))).to.equal(true);
  });
});
