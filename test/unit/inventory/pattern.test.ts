import { expect } from 'chai';
import { loadInventory } from '../../../src/inventory/load.js';
import { matchPattern, splitPattern } from '../../../src/inventory/pattern.js';
import { fixture } from '../yaml/helpers.js';

describe('inventory/pattern', () => {
  const inv = loadInventory(fixture('inventory', 'prod', 'hosts.yml'));
  const web = ['web01.eu.example.com', 'web02.eu.example.com', 'web03.eu.example.com'];
  const db = ['db-a.eu.example.com', 'db-b.eu.example.com'];
  const redis = ['10.0.0.1', '10.0.0.2'];

  it('matches all and *', () => {
    expect(inv.match('all')).to.deep.equal(inv.hosts);
    expect(inv.match('*')).to.deep.equal(inv.hosts);
  });

  it('matches a group and a host by name', () => {
    expect(inv.match('eu_db')).to.deep.equal(db);
    expect(inv.match('10.0.0.2')).to.deep.equal(['10.0.0.2']);
    expect(inv.match('bastion.example.com')).to.deep.equal(['bastion.example.com']);
  });

  it('unions with : and , in inventory order', () => {
    expect(inv.match('redis:eu_db')).to.deep.equal([...db, ...redis]);
    expect(inv.match('redis,eu_db')).to.deep.equal([...db, ...redis]);
    expect(inv.match('redis, web01.eu.example.com')).to.deep.equal(['web01.eu.example.com', ...redis]);
  });

  it('intersects with :& and excludes with :!', () => {
    expect(inv.match('web:&eu_web_canary')).to.deep.equal(['web01.eu.example.com']);
    expect(inv.match('europe:!eu_db')).to.deep.equal(web);
    expect(inv.match('all:!europe:!ungrouped')).to.deep.equal(redis);
    expect(inv.match('!europe')).to.deep.equal(['bastion.example.com', ...redis]);
  });

  it('matches wildcards against groups and hosts', () => {
    expect(inv.match('web0*')).to.deep.equal(web);
    expect(inv.match('*.eu.example.com')).to.deep.equal([...web, ...db]);
    expect(inv.match('eu_*')).to.deep.equal([...web, ...db]);
    expect(inv.match('db-?.eu.example.com')).to.deep.equal(db);
  });

  it('matches ~regex from the start of the name', () => {
    expect(inv.match('~web0[12]')).to.deep.equal(web.slice(0, 2));
    expect(inv.match('~eu\\.example')).to.deep.equal([]);
  });

  it('takes subscripts of a group', () => {
    expect(inv.match('web[0]')).to.deep.equal([web[0]]);
    expect(inv.match('web[1:]')).to.deep.equal(web.slice(1));
    expect(inv.match('web[-1]')).to.deep.equal([web[2]]);
    expect(inv.match('web[0:1]')).to.deep.equal(web.slice(0, 2));
  });

  it('matches nothing for unknown names', () => {
    expect(inv.match('nosuch')).to.deep.equal([]);
    expect(inv.match('nosuch:&web')).to.deep.equal([]);
  });

  it('splits patterns on colons outside brackets', () => {
    expect(splitPattern('web[0:2]:!db')).to.deep.equal(['web[0:2]', '!db']);
    expect(splitPattern('a, b ,c')).to.deep.equal(['a', 'b', 'c']);
  });

  it('works on any host/group source', () => {
    const members = new Map([['g', ['b']], ['all', ['a', 'b']]]);
    expect(matchPattern('g:a', { hosts: ['a', 'b'], members })).to.deep.equal(['a', 'b']);
  });
});
