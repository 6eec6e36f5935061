// Lab names must fit interface names and keep two labs apart.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { hostNames, labNames, subnetPrefix } from '../../../src/lab/names.js';

describe('lab/names', () => {
  it('derives bridge, veth and netns names from the lab name, all within 15-byte interface names', () => {
    const lab = labNames('abcdefgh', '10.78.3.0/24');
    expect(lab.bridge).to.equal('rb-abcdefgh');
    expect(lab.bridgeAddress).to.equal('10.78.3.1');
    const last = hostNames(lab, 'web-server-with-a-long-name', 242);
    expect(last.veth.length).to.be.at.most(15);
    expect(last.address).to.equal('10.78.3.253');
    expect(last.netns).to.equal('rb-abcdefgh-web-server-with-a-long-name');
    expect(hostNames(lab, 'redis1', 0).address).to.equal('10.78.3.11');
  });

  it('keeps two labs apart by name', () => {
    const a = hostNames(labNames('lab', '10.77.0.0/24'), 'web1', 0);
    const b = hostNames(labNames('t0', '10.78.0.0/24'), 'web1', 0);
    expect(a.netns).to.not.equal(b.netns);
    expect(a.veth).to.not.equal(b.veth);
    expect(a.dir).to.not.equal(b.dir);
  });

  it('refuses names that would break interface or host names', () => {
    expect(() => labNames('Lab', '10.77.0.0/24')).to.throw(InputError);
    expect(() => labNames('toolongname', '10.77.0.0/24')).to.throw(InputError);
    expect(() => hostNames(labNames('lab', '10.77.0.0/24'), 'web_1', 0)).to.throw(InputError, /invalid lab host name/);
    expect(() => hostNames(labNames('lab', '10.77.0.0/24'), 'web1', 243)).to.throw(InputError, /at most/);
  });

  it('accepts only private /24 subnets', () => {
    expect(subnetPrefix('192.168.40.0/24')).to.equal('192.168.40');
    expect(() => subnetPrefix('10.77.0.0/16')).to.throw(InputError);
    expect(() => subnetPrefix('8.8.8.0/24')).to.throw(InputError, /not private/);
    expect(() => subnetPrefix('10.300.0.0/24')).to.throw(InputError);
  });
});
