// The light lab's sshd_config and addresses: one Match block per host address, each into its own root.
import { expect } from 'chai';
import { addressAt, inLightSubnet, lightHostNames, lightNames, lightSubnetBase, MAX_LIGHT_HOSTS } from '../../../../src/lab/light/names.js';
import { lightSshdConfig } from '../../../../src/lab/light/sshd-config.js';

describe('light lab sshd_config', () => {
  it('sends each local address into its own chroot, after global settings that keep key logins only', () => {
    const text = lightSshdConfig([
      { address: '10.81.0.11', chroot: '/hosts/host1' },
      { address: '10.81.0.12', chroot: '/hosts/host2' },
    ]);
    const lines = text.trim().split('\n');
    const firstMatch = lines.findIndex((l) => l.startsWith('Match '));
    const global = lines.slice(0, firstMatch);
    expect(global).to.include.members(['PasswordAuthentication no', 'PermitRootLogin prohibit-password', 'AuthorizedKeysFile /etc/ssh/authorized_keys/%u', 'HostKey /etc/ssh/ssh_host_ed25519_key']);
    // OpenSSH's own default, written out: the controller has to cope with it, not the lab.
    expect(global).to.include('MaxStartups 10:30:100');
    expect(global.some((l) => l.startsWith('ChrootDirectory'))).to.equal(false);
    expect(lines.slice(firstMatch)).to.deep.equal([
      'Match LocalAddress 10.81.0.11',
      '\tChrootDirectory /hosts/host1',
      'Match LocalAddress 10.81.0.12',
      '\tChrootDirectory /hosts/host2',
    ]);
  });

  it('refuses an address or a chroot that could change the config', () => {
    expect(() => lightSshdConfig([{ address: '10.81.0.11\nPermitEmptyPasswords yes', chroot: '/hosts/a' }])).to.throw(/not an IPv4/);
    expect(() => lightSshdConfig([{ address: '10.81.0.11', chroot: '/hosts/a b' }])).to.throw(/unsafe chroot/);
    expect(() => lightSshdConfig([{ address: '10.81.0.11', chroot: '/hosts/../etc' }])).to.throw(/unsafe chroot/);
  });

  it('lays 1,000 hosts out in a /22 from .11, the veth ends on .1 and .2', () => {
    const lab = lightNames('lab', '10.81.0.0/22');
    expect([lab.controllerAddress, lab.nsAddress, lab.netns, lab.veth]).to.deep.equal(['10.81.0.1', '10.81.0.2', 'rb-lab-light', 'rb-lab-l']);
    expect(lightHostNames(lab, 'host1', 0).address).to.equal('10.81.0.11');
    expect(lightHostNames(lab, 'host246', 245).address).to.equal('10.81.1.0');
    expect(lightHostNames(lab, 'host1000', 999).address).to.equal('10.81.3.242');
    expect(lightHostNames(lab, 'hostx', MAX_LIGHT_HOSTS - 1).address).to.equal('10.81.3.254');
    expect(() => lightHostNames(lab, 'hosty', MAX_LIGHT_HOSTS)).to.throw(/at most 1012/);
    expect(lightHostNames(lab, 'host1', 0).merged).to.equal('/var/lib/runbook-lab/labs/lab/gateway/root/hosts/host1');
    expect(addressAt([10, 82, 160, 0], 1023)).to.equal('10.82.163.255');
  });

  it('takes private /22s only, and knows which addresses they hold', () => {
    expect(lightSubnetBase('10.82.160.0/22')).to.deep.equal([10, 82, 160, 0]);
    expect(() => lightSubnetBase('10.81.1.0/22')).to.throw(/invalid light lab subnet/);
    expect(() => lightSubnetBase('10.81.0.0/24')).to.throw(/invalid light lab subnet/);
    expect(() => lightSubnetBase('8.8.0.0/22')).to.throw(/not private/);
    expect(inLightSubnet([10, 81, 0, 0], '10.81.3.7')).to.equal(true);
    expect(inLightSubnet([10, 81, 0, 0], '10.81.4.7')).to.equal(false);
    expect(inLightSubnet([10, 81, 0, 0], '10.80.0.7')).to.equal(false);
  });
});
