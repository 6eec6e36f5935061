import { expect } from 'chai';
import { loadInventory } from '../../../src/inventory/load.js';
import { fixture } from '../yaml/helpers.js';

describe('inventory/ini-format', () => {
  const inv = loadInventory(fixture('inventory', 'ini', 'hosts.ini'));

  it('reads sections, :children and ranges into the same structure as YAML', () => {
    expect(inv.hosts).to.deep.equal([
      'bastion.example.com',
      'web01.eu.example.com',
      'web02.eu.example.com',
      'web03.eu.example.com',
      'db-a.eu.example.com',
      'db-b.eu.example.com',
      '10.0.0.1',
      '10.0.0.2',
    ]);
    expect(inv.groups.ungrouped).to.deep.equal(['bastion.example.com']);
    expect(inv.groups.europe).to.have.length(5);
    expect(inv.groups.web).to.deep.equal(['web01.eu.example.com', 'web02.eu.example.com', 'web03.eu.example.com']);
    expect(inv.groupNames('web01.eu.example.com')).to.deep.equal(['eu_web', 'eu_web_canary', 'europe', 'web']);
  });

  it('types inline host variables: booleans, numbers, lists; quoted and 0644 stay strings', () => {
    expect(inv.hostVars('bastion.example.com').ansible_port).to.equal(2222);
    const web = inv.hostVars('web01.eu.example.com');
    expect(web.canary).to.equal(true);
    expect(web.http_port).to.equal(8080);
    const db = inv.hostVars('db-b.eu.example.com');
    expect(db).to.include({ ansible_become: false, note: 'two words', mode: '0644', ratio: 1.5 });
    expect(db.ports).to.deep.equal([80, 443]);
    expect(db.quoted_list).to.equal('[1]');
  });

  it('reads [group:vars] sections and group_vars beside the file', () => {
    const v = inv.hostVars('db-a.eu.example.com');
    expect(v).to.include({ ansible_python_interpreter: '/usr/bin/python3', ntp_enabled: true, greeting: 'hello world', region: 'eu', tz: 'Europe/Paris' });
    expect(inv.hostVars('10.0.0.1').region).to.equal(undefined);
  });
});
