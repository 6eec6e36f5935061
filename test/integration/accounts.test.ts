// Account modules on a real host: --check on a bare host forecasts and creates nothing, the real
// run converges, and a second run reports changed=0.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, resetHost, type Lab } from './lab/fixture.js';
import { describeRun, runbook, totalChanged } from './support/runbook.js';

const TASKS = [
  { name: 'a system group', group: { name: 'rbapp', system: true } },
  { name: 'a group with a fixed gid', group: { name: 'rbdeploy', gid: 2345 } },
  { name: 'an old group gone', group: { name: 'rblegacy', state: 'absent' } },
];

/** What the host has: each group with its gid, or '-' when missing. */
const GROUPS = 'for g in rbapp rbdeploy rblegacy; do printf "%s=%s\\n" $g "$(getent group $g | cut -d: -f3)"; done';

describe('account modules on a lab host (group)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let play: string;

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'acct1', groups: ['app'] }] });
    await resetHost(lab, 'acct1');
    work = mkdtempSync(join(tmpdir(), 'runbook-accounts-'));
    inventory = join(work, 'inventory.yml');
    const host = lab.hosts[0]!;
    writeFileSync(inventory, stringify({
      all: { vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile }, hosts: { acct1: { ansible_host: host.address } } },
    }));
    play = join(work, 'site.yml');
    writeFileSync(play, stringify([{ name: 'accounts', hosts: 'all', gather_facts: false, tasks: TASKS }]));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('--check on a bare host forecasts the changes and creates nothing', async () => {
    await onHost(lab, 'acct1', 'groupadd rblegacy');
    const before = (await onHost(lab, 'acct1', GROUPS)).stdout;
    const run = await runbook(['apply', play, '-i', inventory, '--check', '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(3);
    expect((await onHost(lab, 'acct1', GROUPS)).stdout).to.equal(before);
    expect(before).to.match(/^rbapp=\nrbdeploy=\nrblegacy=\d+\n$/);
  });

  it('converges, then a second run reports changed=0', async () => {
    const first = await runbook(['apply', play, '-i', inventory, '--json']);
    expect(first.code, describeRun(first)).to.equal(0);
    expect(totalChanged(first)).to.equal(3);
    const groups = (await onHost(lab, 'acct1', GROUPS)).stdout;
    expect(groups).to.match(/^rbapp=(\d+)\nrbdeploy=2345\nrblegacy=\n$/);
    // system: yes takes a gid from the system range (below 1000 on Debian).
    expect(Number(/^rbapp=(\d+)/.exec(groups)![1])).to.be.below(1000);
    const again = await runbook(['apply', play, '-i', inventory, '--json']);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('moves a group to the gid asked for, and refuses one another group holds', async () => {
    const moved = join(work, 'move.yml');
    writeFileSync(moved, stringify([{ name: 'move', hosts: 'all', gather_facts: false, tasks: [{ name: 'new gid', group: { name: 'rbdeploy', gid: 2346 } }] }]));
    const run = await runbook(['apply', moved, '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect((await onHost(lab, 'acct1', 'getent group rbdeploy | cut -d: -f3')).stdout).to.equal('2346\n');
    const clash = join(work, 'clash.yml');
    writeFileSync(clash, stringify([{ name: 'clash', hosts: 'all', gather_facts: false, tasks: [{ name: 'taken gid', group: { name: 'rbother', gid: 2346 } }] }]));
    const refused = await runbook(['apply', clash, '-i', inventory]);
    expect(refused.code).to.equal(2);
    expect(refused.stdout).to.include("gid 2346 is already the group rbdeploy's");
    expect((await onHost(lab, 'acct1', 'getent group rbother || echo none')).stdout).to.equal('none\n');
  });
});
