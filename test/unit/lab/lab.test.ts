// The host lists a lab accepts, and the seed job shape it defaults to.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { DEFAULT_HOSTS, normalizeHosts, seedHosts } from '../../../src/lab/lab.js';

describe('lab/lab', () => {
  it('defaults to the seed job shape: redis1 in redis, web1 and web2 in web', () => {
    expect(normalizeHosts(undefined)).to.deep.equal([
      { name: 'redis1', groups: ['redis'] },
      { name: 'web1', groups: ['web'] },
      { name: 'web2', groups: ['web'] },
    ]);
    expect(seedHosts(2)).to.deep.equal(normalizeHosts(DEFAULT_HOSTS.map((h) => ({ ...h, groups: [...h.groups] }))));
    expect(seedHosts(6).map((h) => h.name)).to.deep.equal(['redis1', 'web1', 'web2', 'web3', 'web4', 'web5', 'web6']);
  });

  it('turns a count into host1..hostN and refuses bad host lists', () => {
    expect(normalizeHosts(3).map((h) => h.name)).to.deep.equal(['host1', 'host2', 'host3']);
    expect(() => normalizeHosts(0)).to.throw(InputError);
    expect(() => normalizeHosts(2.5)).to.throw(InputError);
    expect(() => normalizeHosts([])).to.throw(InputError);
    expect(() => normalizeHosts([{ name: 'a', groups: [] }, { name: 'a', groups: ['x'] }])).to.throw(InputError, /twice/);
    expect(() => seedHosts(0)).to.throw(InputError);
  });
});
