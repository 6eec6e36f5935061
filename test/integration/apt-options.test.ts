// apt's policy_rc_d on a real host (issue 14): with policy_rc_d: 101 a package is installed but its
// service is not started, the temporary /usr/sbin/policy-rc.d is gone afterwards, and a policy-rc.d
// the host already had is put back.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onHost, type Lab } from './lab/fixture.js';
import { oneHostLab } from './support/one-host.js';
import { describeRun, runbook, totalChanged } from './support/runbook.js';

const HOST = 'aptopt1';

describe('apt policy_rc_d on a lab host', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let cleanup = (): void => {};

  before(async () => {
    ({ lab, work, inventory, cleanup } = await oneHostLab({ host: HOST, prefix: 'apt-options' }));
  });

  after(() => cleanup());

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
