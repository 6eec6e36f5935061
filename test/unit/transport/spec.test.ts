// Inventory variables to ConnectionSpec / BecomeOptions, as an existing Ansible inventory would set them.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { becomeFor, connectionSpecFor } from '../../../src/transport/spec.js';
import { scratchDir } from '../../support/temp-dir.js';

describe('connectionSpecFor', () => {
  it('defaults: address = name, port 22, current user, checking on', () => {
    const spec = connectionSpecFor('web1', {}, {});
    expect(spec).to.deep.equal({
      name: 'web1',
      connection: 'ssh',
      address: 'web1',
      port: 22,
      user: userInfo().username,
      hostKeyChecking: true,
      connectTimeoutMs: 10_000,
    });
  });

  it('reads the ansible_* connection variables and ignores the ones it has no use for', () => {
    const spec = connectionSpecFor(
      'web1',
      {
        ansible_host: '10.0.0.5',
        ansible_port: '2222',
        ansible_user: 'deploy',
        ansible_ssh_private_key_file: '~/.ssh/deploy',
        ansible_password: 'pw',
        ansible_python_interpreter: '/usr/bin/python3',
        ansible_ssh_common_args: '-o Foo=bar',
        ssh_known_hosts_file: '/lab/known_hosts',
        ansible_host_key_checking: 'no',
      },
      { user: 'ignored', timeoutMs: 3000 },
    );
    expect(spec).to.deep.equal({
      name: 'web1',
      connection: 'ssh',
      address: '10.0.0.5',
      port: 2222,
      user: 'deploy',
      privateKeyFile: `${homedir()}/.ssh/deploy`,
      password: 'pw',
      knownHostsFile: '/lab/known_hosts',
      hostKeyChecking: false,
      connectTimeoutMs: 3000,
    });
  });

  it('falls back to the defaults (command line, runbook.cfg) when the inventory is silent', () => {
    const spec = connectionSpecFor('db', {}, {
      user: 'admin',
      privateKeyFile: '/k',
      knownHostsFile: '/kh',
      hostKeyChecking: false,
      password: 'p',
      timeoutMs: 5,
    });
    expect(spec).to.include({ user: 'admin', privateKeyFile: '/k', knownHostsFile: '/kh', hostKeyChecking: false, password: 'p', connectTimeoutMs: 5 });
  });

  it('accepts the old ansible_ssh_* aliases', () => {
    const spec = connectionSpecFor('h', { ansible_ssh_host: 'a', ansible_ssh_port: 2200, ansible_ssh_user: 'u', ansible_ssh_pass: 's' });
    expect(spec).to.include({ address: 'a', port: 2200, user: 'u', password: 's' });
  });

  it('maps smart and paramiko to ssh, local to local (run as the current user)', () => {
    expect(connectionSpecFor('h', { ansible_connection: 'smart' }).connection).to.equal('ssh');
    expect(connectionSpecFor('h', { ansible_connection: 'paramiko' }).connection).to.equal('ssh');
    const local = connectionSpecFor('h', { ansible_connection: 'local', ansible_user: 'someone' });
    expect(local.connection).to.equal('local');
    expect(local.user).to.equal(userInfo().username);
  });

  it('refuses a connection type it cannot honour, and a bad port, as input errors', () => {
    expect(() => connectionSpecFor('h', { ansible_connection: 'docker' })).to.throw(InputError, /docker/);
    expect(() => connectionSpecFor('h', { ansible_port: 'ssh' })).to.throw(InputError, /ansible_port/);
    expect(() => connectionSpecFor('h', { ansible_port: 70000 })).to.throw(InputError);
    expect(() => connectionSpecFor('h', { ansible_host_key_checking: 'maybe' })).to.throw(InputError, /boolean/);
  });
});

describe('becomeFor', () => {
  it('is undefined when neither the play nor ansible_become asks for it', () => {
    expect(becomeFor({}, false)).to.equal(undefined);
    expect(becomeFor({ ansible_become: 'no', ansible_become_password: 'x' }, false)).to.equal(undefined);
  });

  it('defaults to root, without a password', () => {
    expect(becomeFor({}, true)).to.deep.equal({ user: 'root' });
  });

  it('turns on with ansible_become (yes as written in an INI inventory)', () => {
    expect(becomeFor({ ansible_become: 'yes' }, false)).to.deep.equal({ user: 'root' });
  });

  it('reads the user and either password variable name', () => {
    expect(becomeFor({ ansible_become_user: 'postgres', ansible_become_password: 'a' }, true)).to.deep.equal({ user: 'postgres', password: 'a' });
    expect(becomeFor({ ansible_become_pass: 'b' }, true)).to.deep.equal({ user: 'root', password: 'b' });
  });

  it('refuses a become method other than sudo or su instead of silently using sudo', () => {
    expect(becomeFor({ ansible_become_method: 'sudo' }, true)).to.deep.equal({ user: 'root' });
    expect(() => becomeFor({ ansible_become_method: 'doas', inventory_hostname: 'h' }, true)).to.throw(InputError, "host h: ansible_become_method 'doas' is not supported: runbook escalates with sudo or su");
  });

  it('su: the method, its password aliases, flags and localized prompts', () => {
    expect(becomeFor({ ansible_become_method: 'su', ansible_become_password: 'rootpw' }, true)).to.deep.equal({ user: 'root', password: 'rootpw', method: 'su' });
    expect(becomeFor({ ansible_become_method: 'ansible.builtin.su', ansible_su_pass: 'p' }, true)).to.deep.equal({ user: 'root', password: 'p', method: 'su' });
    // ansible_su_pass is su's alone: sudo never reads it.
    expect(becomeFor({ ansible_su_pass: 'p' }, true)).to.deep.equal({ user: 'root' });
    expect(becomeFor({ ansible_become_method: 'su', ansible_become_flags: '-l', ansible_su_prompt_l10n: 'Passwort, Mot de passe' }, true))
      .to.deep.equal({ user: 'root', method: 'su', flags: '-l', prompts: ['Passwort', 'Mot de passe'] });
    expect(() => becomeFor({ ansible_become_method: 'su', ansible_su_prompt_l10n: 3, inventory_hostname: 'h' }, true)).to.throw(InputError, /ansible_su_prompt_l10n/);
  });

  it('the inventory beats the keywords and ansible.cfg below it; those apply where it says nothing', () => {
    expect(becomeFor({}, true, undefined, { method: 'su', flags: '-' })).to.deep.equal({ user: 'root', method: 'su', flags: '-' });
    expect(becomeFor({ ansible_become_method: 'sudo' }, true, undefined, { method: 'su' })).to.deep.equal({ user: 'root' });
    expect(becomeFor({ ansible_become_method: 'su', ansible_become_flags: '-l' }, true, undefined, { method: 'sudo', flags: '-' })).to.deep.equal({ user: 'root', method: 'su', flags: '-l' });
  });
});

describe('connectionSpecFor with ssh config and ProxyJump', () => {
  // Written once per run: readSshConfig caches by path, so each case uses its own file.
  const dir = scratchDir('runbook-spec-');
  const configFile = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('applies HostName, Port, User and IdentityFile from the ssh config when the inventory is silent', () => {
    const cfg = configFile('a', 'Host web1\n HostName 10.9.0.1\n Port 2201\n User cfguser\n IdentityFile /k/cfg\n ProxyJump ops@bastion\n');
    const spec = connectionSpecFor('web1', {}, { sshConfigFile: cfg });
    expect(spec).to.include({ address: '10.9.0.1', port: 2201, user: 'cfguser', privateKeyFile: '/k/cfg' });
    expect(spec.jump).to.deep.equal([{ address: 'bastion', port: 22, user: 'ops' }]);
  });

  it('lets the inventory and -u win over the ssh config, and looks the config up by ansible_host', () => {
    const cfg = configFile('b', 'Host 10.0.0.7\n User cfguser\n Port 2201\n');
    const spec = connectionSpecFor('web1', { ansible_host: '10.0.0.7', ansible_port: 22 }, { sshConfigFile: cfg, user: 'cli' });
    expect(spec).to.include({ address: '10.0.0.7', port: 22, user: 'cli' });
  });

  it('reads ProxyJump and -F from ansible_ssh_common_args, before the ssh config', () => {
    const cfg = configFile('c', 'Host h\n ProxyJump from-config\n');
    const spec = connectionSpecFor('h', { ansible_ssh_common_args: `-F ${cfg} -o ProxyJump=root@10.0.0.1` });
    expect(spec.jump).to.deep.equal([{ address: '10.0.0.1', port: 22, user: 'root' }]);
    const fromFile = connectionSpecFor('h', { ansible_ssh_extra_args: `-F ${cfg}` });
    expect(fromFile.jump?.[0]?.address).to.equal('from-config');
  });

  it('refuses a -F file that does not exist, and a ProxyCommand', () => {
    expect(() => connectionSpecFor('h', { ansible_ssh_common_args: `-F ${join(dir, 'missing')}` })).to.throw(InputError, /ssh config/);
    expect(() => connectionSpecFor('h', { ansible_ssh_common_args: '-o ProxyCommand="nc %h %p"' })).to.throw(InputError, /ProxyCommand/);
  });

  it('uses the -K password when the inventory sets no become password', () => {
    expect(becomeFor({}, true, 'fromK')).to.deep.equal({ user: 'root', password: 'fromK' });
    expect(becomeFor({ ansible_become_password: 'inv' }, true, 'fromK')).to.deep.equal({ user: 'root', password: 'inv' });
  });
});
