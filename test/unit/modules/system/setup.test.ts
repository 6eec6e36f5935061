// setup turns one probe's output into Ansible's fact names plus the seed roles' extras; it never changes anything.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { parseSetupArgs, setupModule } from '../../../../src/modules/system/setup.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { context, loc } from './fixtures/context.js';
import { debianBuildMachine, labApache, noDefaultRoute, ubuntuWeb } from './fixtures/setup.js';

function facts(probe: ExecResult, raw: Record<string, unknown> = {}) {
  const plan = setupModule.plan(parseSetupArgs(raw, loc), probe, context({}, true));
  expect(plan.changes).to.deep.equal([]);
  expect(plan.steps).to.deep.equal([]);
  expect(plan.failure).to.equal(undefined);
  return plan.facts as Record<string, any>;
}

describe('setup module', () => {
  it('reads a Debian 12 host captured for real', () => {
    const f = facts(debianBuildMachine);
    expect(f).to.deep.include({
      ansible_os_family: 'Debian',
      ansible_distribution: 'Debian',
      ansible_distribution_version: '12', // as Ansible 2.14: os-release's VERSION_ID, not /etc/debian_version
      ansible_distribution_major_version: '12',
      ansible_distribution_release: 'bookworm',
      ansible_hostname: 'vm',
      ansible_nodename: 'vm',
      ansible_fqdn: 'vm',
      ansible_kernel: '6.18.44-fc-v669',
      ansible_architecture: 'x86_64',
      ansible_user_id: 'root',
      ansible_memtotal_mb: 24105,
      ansible_processor_vcpus: 2,
      ansible_service_mgr: 'sysvinit',
      ansible_pkg_mgr: 'apt',
      ansible_all_ipv4_addresses: ['192.0.2.2'],
      php_version: '',
      php_runtimes: [],
      primary_private_ipv4: '',
    });
    expect(f.ansible_default_ipv4).to.deep.equal({
      address: '192.0.2.2', interface: 'eth0', alias: 'eth0', gateway: '192.0.2.1',
      netmask: '255.255.255.0', network: '192.0.2.0', prefix: '24', broadcast: '192.0.2.255',
    });
    expect(f.ansible_facts.distribution_release).to.equal('bookworm');
    expect(f.ansible_facts.os_family).to.equal('Debian');
    expect(f.ansible_interfaces).to.deep.equal(['lo', 'ifb0', 'ifb1', 'eth0']);
    expect(f.ansible_ifb0).to.deep.equal({ device: 'ifb0', active: false });
  });

  it('prefers the private address, PHP runtimes and systemd on an Ubuntu 24.04 web host', () => {
    const f = facts(ubuntuWeb);
    expect(f).to.deep.include({
      ansible_distribution: 'Ubuntu',
      ansible_os_family: 'Debian',
      ansible_distribution_version: '24.04',
      ansible_distribution_major_version: '24',
      ansible_distribution_release: 'noble',
      ansible_hostname: 'web1',
      ansible_fqdn: 'web1.example.com',
      ansible_domain: 'example.com',
      ansible_service_mgr: 'systemd',
      php_version: '8.3',
      php_runtimes: ['fpm', 'cli'],
      primary_private_ipv4: '10.0.5.21',
    });
    expect(f.ansible_default_ipv4.address).to.equal('203.0.113.10');
    expect(f.ansible_all_ipv4_addresses).to.deep.equal(['203.0.113.10', '10.0.5.21']);
    expect(f.ansible_ens4.ipv4).to.deep.equal({ address: '10.0.5.21', netmask: '255.255.0.0', network: '10.0.0.0', prefix: '16', broadcast: '10.0.255.255' });
  });

  it('takes the newest PHP under /etc/php when there is no php binary, and the default-route private address', () => {
    const f = facts(labApache);
    expect(f.php_version).to.equal('8.2');
    expect(f.php_runtimes).to.deep.equal(['apache2', 'cli']);
    expect(f.primary_private_ipv4).to.equal('10.77.0.12');
    expect(f.ansible_default_ipv4).to.deep.include({ address: '10.77.0.12', interface: 'host0', gateway: '10.77.0.1' });
    expect(f.ansible_distribution_version).to.equal('12');
  });

  it('falls back to the first global address without a default route', () => {
    const f = facts(noDefaultRoute);
    expect(f.ansible_default_ipv4).to.deep.include({ address: '192.168.56.10', interface: 'eth0', gateway: '' });
    expect(f.primary_private_ipv4).to.equal('192.168.56.10');
    expect(f).to.deep.include({ ansible_distribution_release: 'jammy', ansible_distribution_version: '22.04', ansible_hostname: 'db1', ansible_service_mgr: 'sysvinit', ansible_architecture: 'aarch64' });
  });

  it('keeps only the facts a filter names, with or without the ansible_ prefix', () => {
    const f = facts(ubuntuWeb, { filter: ['ansible_distribution*', 'php_version'], gather_subset: ['!all'] });
    expect(Object.keys(f).sort()).to.deep.equal(['ansible_distribution', 'ansible_distribution_major_version', 'ansible_distribution_release', 'ansible_distribution_version', 'ansible_facts', 'php_version']);
    expect(Object.keys(f.ansible_facts).sort()).to.deep.equal(['distribution', 'distribution_major_version', 'distribution_release', 'distribution_version', 'php_version']);
  });

  it('fails when the probe did not run to its end', () => {
    const plan = setupModule.plan(parseSetupArgs({}, loc), { stdout: '', stderr: 'sh: 1: permission denied', code: 2 }, context());
    expect(plan.failure?.msg).to.equal("gathering facts failed: could not read the host's state: sh: 1: permission denied");
  });

  it('rejects a filter that is not a string or list of strings', () => {
    expect(() => parseSetupArgs({ filter: { a: 1 } }, loc)).to.throw(InputError);
  });
});
