// ansible_ssh_common_args: ProxyJump in its spellings, -F, quoting; ProxyCommand refused.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { parseSshArgs, shellWords } from '../../../src/transport/ssh-args.js';

describe('parseSshArgs', () => {
  it('finds ProxyJump written as -o KEY=VALUE, -o "KEY VALUE", -oKEY=VALUE and -J', () => {
    expect(parseSshArgs('-o ProxyJump=admin@bastion:2200', 'h', 'v')).to.deep.equal({ proxyJump: 'admin@bastion:2200' });
    expect(parseSshArgs('-o "ProxyJump bastion"', 'h', 'v')).to.deep.equal({ proxyJump: 'bastion' });
    expect(parseSshArgs('-oProxyJump=b1,b2', 'h', 'v')).to.deep.equal({ proxyJump: 'b1,b2' });
    expect(parseSshArgs('-J bastion', 'h', 'v')).to.deep.equal({ proxyJump: 'bastion' });
    expect(parseSshArgs('-Jbastion', 'h', 'v')).to.deep.equal({ proxyJump: 'bastion' });
  });

  it('reads -F and ignores options runbook has its own settings for', () => {
    expect(parseSshArgs("-o StrictHostKeyChecking=no -F '/etc/my ssh/config' -o ControlMaster=auto", 'h', 'v')).to.deep.equal({
      configFile: '/etc/my ssh/config',
    });
    expect(parseSshArgs('', 'h', 'v')).to.deep.equal({});
  });

  it('refuses ProxyCommand and says to use ProxyJump', () => {
    expect(() => parseSshArgs('-o ProxyCommand="ssh -W %h:%p bastion"', 'web1', 'ansible_ssh_common_args'))
      .to.throw(InputError, /web1: ansible_ssh_common_args sets ProxyCommand/)
      .with.property('hint').that.includes('ProxyJump');
    expect(parseSshArgs('-o ProxyCommand=none', 'h', 'v')).to.deep.equal({});
  });

  it('refuses a dangling flag or quote', () => {
    expect(() => parseSshArgs('-o', 'h', 'v')).to.throw(InputError, /needs a value/);
    expect(() => shellWords('-o "ProxyJump x', 'h', 'v')).to.throw(InputError, /unterminated/);
  });
});
