// apt's policy_rc_d on a real host (issue 14): with policy_rc_d: 101 a package is installed but its
// service is not started, the temporary /usr/sbin/policy-rc.d is gone afterwards, and a policy-rc.d
// the host already had is put back.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, resetHost, type Lab } from './lab/fixture.js';
import { describeRun, runbook, totalChanged } from './support/runbook.js';

const HOST = 'aptopt1';

describe('apt policy_rc_d on a lab host', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;

  before(async () => {
    lab = await getLab({ hosts: [{ name: HOST, groups: ['app'] }] });
    await resetHost(lab, HOST);
    work = mkdtempSync(join(tmpdir(), 'runbook-apt-options-'));
    inventory = join(work, 'inventory.yml');
    const host = lab.hosts.find((h) => h.name === HOST)!;
    writeFileSync(inventory, stringify({
      all: { vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile }, hosts: { [HOST]: { ansible_host: host.address } } },
    }));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const play = (name: string, tasks: unknown[]): string => {
    const file = join(work, `${name}.yml`);
    writeFileSync(file, stringify([{ name, hosts: 'all', gather_facts: false, tasks }]));
    return file;
  };

  it('installs without starting the service, and removes its policy-rc.d afterwards', async () => {
    const file = play('quiet', [{ name: 'redis, not started', apt: { name: 'redis-server', policy_rc_d: 101 } }]);
    const run = await runbook(['apply', file, '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    const state = await onHost(lab, HOST, "dpkg-query -W -f='${Status}\\n' redis-server; systemctl is-active redis-server; test -e /usr/sbin/policy-rc.d && echo policy || echo no-policy");
    expect(state.stdout).to.equal('install ok installed\ninactive\nno-policy\n');
    const again = await runbook(['apply', file, '-i', inventory, '--json']);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it("puts back the host's own policy-rc.d", async () => {
    await onHost(lab, HOST, "printf '#!/bin/sh\\nexit 0\\n' > /usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d");
    const file = play('own-policy', [{ name: 'redis-tools, quietly', apt: { name: 'redis-tools', policy_rc_d: 101 } }]);
    const run = await runbook(['apply', file, '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect((await onHost(lab, HOST, 'cat /usr/sbin/policy-rc.d; ls /usr/sbin | grep -c policy-rc')).stdout).to.equal('#!/bin/sh\nexit 0\n1\n');
  });
});
