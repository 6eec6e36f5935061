// The refusal messages a user sees for unknown, changed and revoked host keys, and the host key algorithm order.
import { expect } from 'chai';
import { UnreachableError } from '../../../src/core/errors.js';
import { hostKeyRefusal, preferredHostKeyAlgorithms } from '../../../src/transport/host-key.js';
import { parseKnownHosts } from '../../../src/transport/known-hosts.js';
import type { ConnectionSpec } from '../../../src/transport/types.js';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIKRe3IIdb2SGLn8Nw0170hs9/2Y+xRhdH/ZxVT7cfUGB';
const ED_FP = 'SHA256:DL2CI0v/uSN2OtKYFOL+z6kz19VJC7YvqvWFjYficEM';
const ED2 = 'AAAAC3NzaC1lZDI1NTE5AAAAIG2PMDOlaikhdkdhBIDpOXelaB3rIH0W4NGQPiQIx0r8';
const ED2_FP = 'SHA256:r6WS+c76lWomOZIVYaSWTNAsxRchs1aTqC0fBbjxl5U';

const spec: ConnectionSpec = {
  name: 'web1',
  connection: 'ssh',
  address: '10.77.0.11',
  port: 2222,
  user: 'root',
  knownHostsFile: '/lab/known_hosts',
  hostKeyChecking: true,
  connectTimeoutMs: 1000,
};

describe('host key refusals', () => {
  it('unknown host: names host, fingerprint, the ssh-keyscan line and the opt-out', () => {
    const err = hostKeyRefusal(spec, { status: 'unknown', otherTypes: [] }, Buffer.from(ED, 'base64'));
    expect(err).to.be.instanceOf(UnreachableError);
    expect(err.host).to.equal('web1');
    expect(err.message).to.include('web1 (10.77.0.11:2222)').and.include(`ED25519 key ${ED_FP}`).and.include('not known');
    expect(err.hint).to.include('ssh-keyscan -p 2222 -t ed25519 10.77.0.11 >> /lab/known_hosts');
    expect(err.hint).to.include('out of band').and.include('host_key_checking = False').and.include('ansible_host_key_checking: false');
  });

  it('changed key: a HOST KEY CHANGED warning with both fingerprints and ssh-keygen -R', () => {
    const expected = parseKnownHosts(`[10.77.0.11]:2222 ssh-ed25519 ${ED}`, '/lab/known_hosts');
    const err = hostKeyRefusal(spec, { status: 'changed', expected }, Buffer.from(ED2, 'base64'));
    expect(err.message).to.include('HOST KEY CHANGED').and.include(ED_FP).and.include(ED2_FP).and.include('/lab/known_hosts:1');
    expect(err.hint).to.include("ssh-keygen -R '[10.77.0.11]:2222' -f /lab/known_hosts");
  });

  it('revoked key: says REVOKED and where', () => {
    const [entry] = parseKnownHosts(`@revoked * ssh-ed25519 ${ED}`, '/kh');
    const err = hostKeyRefusal(spec, { status: 'revoked', entry: entry! }, Buffer.from(ED, 'base64'));
    expect(err.message).to.include('REVOKED').and.include('/kh:1').and.include(ED_FP);
  });

  it('points at ~/.ssh/known_hosts when no file is configured', () => {
    const { knownHostsFile: _omit, ...rest } = spec;
    const err = hostKeyRefusal({ ...rest }, { status: 'unknown', otherTypes: ['ssh-rsa'] }, Buffer.from(ED, 'base64'));
    expect(err.hint).to.match(/>> \S*\.ssh\/known_hosts/);
    expect(err.message).to.include('only RSA keys');
  });
});

describe('preferredHostKeyAlgorithms', () => {
  it('asks first for the types already known, rsa with its sha2 signatures', () => {
    const algos = preferredHostKeyAlgorithms(['ssh-rsa']);
    expect(algos.slice(0, 3)).to.deep.equal(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(algos).to.include('ssh-ed25519');
    expect(new Set(algos).size).to.equal(algos.length);
  });

  it('keeps the default order when nothing is known', () => {
    expect(preferredHostKeyAlgorithms([])[0]).to.equal('ssh-ed25519');
    expect(preferredHostKeyAlgorithms(['ecdsa-sha2-nistp256'])[0]).to.equal('ecdsa-sha2-nistp256');
  });
});
