// ProxyJump values to bastion hops, completed from the ssh config like OpenSSH does for the jump connection.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { parseProxyJump } from '../../../src/transport/jump.js';
import { hopSpec } from '../../../src/transport/jump-connect.js';
import { parseSshConfig } from '../../../src/transport/ssh-config.js';

describe('parseProxyJump', () => {
  it('reads [user@]host[:port] lists in hop order', () => {
    expect(parseProxyJump('ops@b1:2200,b2,[fe80::1]:22', 'h', undefined, 'me')).to.deep.equal([
      { address: 'b1', port: 2200, user: 'ops' },
      { address: 'b2', port: 22, user: 'me' },
      { address: 'fe80::1', port: 22, user: 'me' },
    ]);
    expect(parseProxyJump('none', 'h', undefined, 'me')).to.deep.equal([]);
  });

  it("takes a bastion's HostName, User, Port, IdentityFile and its own ProxyJump from the ssh config", () => {
    const config = parseSshConfig('Host inner-bastion\n HostName 10.1.0.1\n User ops\n Port 2022\n IdentityFile /k/ops\n ProxyJump outer\n', '/c');
    expect(parseProxyJump('inner-bastion', 'h', config, 'me')).to.deep.equal([
      { address: 'outer', port: 22, user: 'me' },
      { address: '10.1.0.1', port: 2022, user: 'ops', privateKeyFile: '/k/ops' },
    ]);
  });

  it('refuses a loop and a value it cannot read', () => {
    const config = parseSshConfig('Host a\n ProxyJump b\nHost b\n ProxyJump a\n', '/c');
    expect(() => parseProxyJump('a', 'h', config, 'me')).to.throw(InputError, /loops/);
    expect(() => parseProxyJump('a b', 'h', undefined, 'me')).to.throw(InputError, /cannot read/);
  });
});

describe('hopSpec', () => {
  it("verifies a bastion against the target's known_hosts and checking choice, with the target's key unless it has its own", () => {
    const target = {
      name: 'web1', connection: 'ssh' as const, address: '10.0.0.5', port: 22, user: 'deploy', privateKeyFile: '/k/deploy',
      knownHostsFile: '/kh', hostKeyChecking: true, connectTimeoutMs: 5000, password: 'never-sent-to-the-bastion',
    };
    expect(hopSpec(target, { address: 'b', port: 2200, user: 'ops' })).to.deep.equal({
      name: 'web1', connection: 'ssh', address: 'b', port: 2200, user: 'ops', privateKeyFile: '/k/deploy',
      knownHostsFile: '/kh', hostKeyChecking: true, connectTimeoutMs: 5000,
    });
    expect(hopSpec(target, { address: 'b', port: 22, user: 'ops', privateKeyFile: '/k/ops' }).privateKeyFile).to.equal('/k/ops');
  });
});

describe('parseProxyJump with a catch-all Host *', () => {
  it('reaches a bastion directly when the ProxyJump that matches it names the bastion itself', () => {
    const config = parseSshConfig('Host *\n ProxyJump gw\nHost gw\n HostName 10.0.0.1\n', '/c');
    expect(parseProxyJump('gw', 'web1', config, 'me')).to.deep.equal([{ address: '10.0.0.1', port: 22, user: 'me' }]);
  });
});
