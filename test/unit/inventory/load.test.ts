import { expect } from 'chai';
import { detectFormat, loadInventory } from '../../../src/inventory/load.js';
import { fixture } from '../yaml/helpers.js';

const HOSTS = [
  'bastion.example.com',
  'web01.eu.example.com',
  'web02.eu.example.com',
  'web03.eu.example.com',
  'db-a.eu.example.com',
  'db-b.eu.example.com',
  '10.0.0.1',
  '10.0.0.2',
];
const WEB = HOSTS.slice(1, 4);

describe('inventory/load (YAML)', () => {
  const file = fixture('inventory', 'prod', 'hosts.yml');
  const inv = loadInventory(file);
  const withPlaybook = loadInventory(file, { playbookDir: fixture('inventory', 'site') });

  it('lists hosts once, in inventory order, with ranges expanded', () => {
    expect(inv.hosts).to.deep.equal(HOSTS);
    expect(inv.source).to.equal(file);
  });

  it('flattens groups through children three deep, with all and ungrouped', () => {
    expect(inv.groups.all).to.deep.equal(HOSTS);
    expect(inv.groups.ungrouped).to.deep.equal(['bastion.example.com']);
    expect(inv.groups.europe).to.deep.equal(HOSTS.slice(1, 6));
    expect(inv.groups.eu_web).to.deep.equal(WEB);
    expect(inv.groups.web).to.deep.equal(WEB);
    expect(inv.groups.eu_web_canary).to.deep.equal(['web01.eu.example.com']);
    expect(inv.groups.redis).to.deep.equal(['10.0.0.1', '10.0.0.2']);
  });

  it('gives group_names sorted, without all', () => {
    expect(inv.groupNames('web01.eu.example.com')).to.deep.equal(['eu_web', 'eu_web_canary', 'europe', 'web']);
    expect(inv.groupNames('bastion.example.com')).to.deep.equal(['ungrouped']);
  });

  it('keeps ansible_* variables, yes/no as booleans, and name:port as ansible_port', () => {
    const v = inv.hostVars('bastion.example.com');
    expect(v.ansible_port).to.equal(2222);
    expect(v.ansible_python_interpreter).to.equal('/usr/bin/python3');
    expect(v.ansible_user).to.equal('deploy');
    expect(v.ntp_enabled).to.equal(true);
    expect(inv.hostVars('db-a.eu.example.com').ansible_become).to.equal(false);
    expect(inv.hostVars('10.0.0.2').ansible_host_key_checking).to.equal(false);
  });

  it('merges in Ansible order: host_vars file over deepest group file over parents', () => {
    const v = inv.hostVars('web01.eu.example.com');
    expect(v.level).to.equal('host-file');
    expect(v.canary).to.equal(true);
    expect(v.http_port).to.equal(8080);
    expect(v.region).to.equal('eu');
    expect(v.ntp_server).to.equal('ntp.example.com');
  });

  it('lets a deeper group file win over a shallower one, and a group_vars folder merge its files by name', () => {
    const v = inv.hostVars('web03.eu.example.com');
    expect(v.level).to.equal('eu_web-file');
    expect(v.tz).to.equal('Europe/Berlin');
    expect(inv.hostVars('db-a.eu.example.com').level).to.equal('europe-file');
  });

  it('puts group_vars/all files above inventory-file group vars (Ansible precedence)', () => {
    const v = inv.hostVars('10.0.0.1');
    expect(v.level).to.equal('all-file');
    expect(v.redis_port).to.equal(6379);
  });

  it('reads host_vars folders, and lets the playbook folder win over the inventory folder', () => {
    expect(inv.hostVars('web02.eu.example.com').level).to.equal('host-folder');
    expect(withPlaybook.hostVars('web02.eu.example.com').level).to.equal('host-playbook');
    expect(withPlaybook.hostVars('web03.eu.example.com').tz).to.equal('UTC-from-playbook');
    expect(withPlaybook.hostVars('bastion.example.com').from_playbook_all).to.equal(true);
    expect(inv.hostVars('bastion.example.com').from_playbook_all).to.equal(undefined);
  });

  it('returns a fresh copy of a host\'s variables each time', () => {
    const v = inv.hostVars('10.0.0.1');
    v.level = 'changed';
    expect(inv.hostVars('10.0.0.1').level).to.equal('all-file');
  });

  it('knows where a host was declared', () => {
    expect(inv.hostLoc('web02.eu.example.com')).to.deep.equal({ file, line: 19, col: 13 });
    expect(inv.hostLoc('nope')).to.equal(undefined);
  });

  it('answers localhost implicitly with a local connection and all-group variables', () => {
    expect(inv.match('localhost')).to.deep.equal(['localhost']);
    const v = inv.hostVars('localhost');
    expect(v.ansible_connection).to.equal('local');
    expect(v.local_only).to.equal(true);
    expect(v.ntp_enabled).to.equal(true);
    expect(inv.groupNames('localhost')).to.deep.equal([]);
  });

  it('reads a directory of inventory files, ignoring non-inventory files', () => {
    const dir = loadInventory(fixture('inventory', 'dir'));
    expect(dir.hosts).to.deep.equal(['w1', 'd1']);
    expect(dir.groups.db).to.deep.equal(['d1']);
    expect(dir.hostVars('d1').dir_var).to.equal(1);
  });
});

describe('inventory format detection', () => {
  it('tells YAML from INI by content', () => {
    expect(detectFormat('# c\n---\nall:\n  hosts:\n')).to.equal('yaml');
    expect(detectFormat('{"all": {}}')).to.equal('yaml');
    expect(detectFormat('[web]\nweb1\n')).to.equal('ini');
    expect(detectFormat('web1:2222 ansible_user=x\n')).to.equal('ini');
    expect(detectFormat('web1\nweb2\n')).to.equal('ini');
    expect(detectFormat('web1:2222:\n')).to.equal('yaml');
    expect(detectFormat('\n# nothing\n')).to.equal('empty');
  });
});
