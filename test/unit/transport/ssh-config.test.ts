// The ssh client config subset: Host patterns, first value wins, Match skipped, ~ expanded.
import { expect } from 'chai';
import { homedir } from 'node:os';
import { InputError } from '../../../src/core/errors.js';
import { hostMatches, lookupSshConfig, parseSshConfig } from '../../../src/transport/ssh-config.js';

const TEXT = `
# global settings come first
User everyone-default

Host web-* !web-legacy
    ProxyJump bastion
    User deploy

Host web-1
    HostName 10.0.0.11
    Port 2222
    IdentityFile ~/.ssh/web
    User ignored-because-deploy-came-first

Match exec "true"
    User from-match

Host bastion
    HostName=bastion.example.com
    IdentityFile "/keys/bastion key"

Host *
    Port 22
    ForwardAgent yes
`;

describe('ssh config', () => {
  const config = parseSshConfig(TEXT, '/cfg');

  it('collects the first value of each keyword over the matching Host blocks, as OpenSSH does', () => {
    expect(lookupSshConfig(config, 'web-1')).to.deep.equal({
      user: 'everyone-default',
      proxyJump: 'bastion',
      hostName: '10.0.0.11',
      port: 2222,
      identityFile: `${homedir()}/.ssh/web`,
    });
  });

  it('honours negated patterns, key=value syntax and quoted values, and ignores Match blocks', () => {
    const legacy = lookupSshConfig(config, 'web-legacy');
    expect(legacy.proxyJump).to.equal(undefined);
    expect(legacy.port).to.equal(22);
    expect(lookupSshConfig(config, 'bastion')).to.deep.equal({
      user: 'everyone-default',
      hostName: 'bastion.example.com',
      identityFile: '/keys/bastion key',
      port: 22,
    });
  });

  it('matches wildcards case-insensitively, whole names only', () => {
    expect(hostMatches(['*.example.com'], 'a.EXAMPLE.com')).to.equal(true);
    expect(hostMatches(['db?'], 'db12')).to.equal(false);
    expect(hostMatches(['db?'], 'db1')).to.equal(true);
    expect(hostMatches(['a,b'], 'b')).to.equal(true);
  });

  it('rejects a bad Port with the file and line', () => {
    const bad = parseSshConfig('Host x\n  Port http\n', '/bad');
    expect(() => lookupSshConfig(bad, 'x')).to.throw(InputError).with.property('loc').that.deep.equals({ file: '/bad', line: 2, col: 1 });
  });
});
