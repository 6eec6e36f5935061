// mount, reboot and wait_for_connection on one lab host. A container mounts tmpfs (not block devices
// or NFS); the lab restarts a host's container when it reboots (src/lab/cgroups.ts), so a reboot is
// real: the boot_id changes, the fstab entry is mounted again at boot, and later tasks run.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onHost, type Lab } from './lab/fixture.js';
import { oneHostLab } from './support/one-host.js';
import { describeRun, runbook, totalChanged, type CliRun } from './support/runbook.js';

const MOUNTS = [
  { name: 'scratch tmpfs mounted', mount: { path: '/srv/rb-scratch', src: 'rbscratch', fstype: 'tmpfs', opts: 'size=8m,mode=0755', state: 'mounted' } },
  { name: 'cache tmpfs in fstab only', mount: { path: '/srv/rb-cache', src: 'rbcache', fstype: 'tmpfs', opts: 'size=4m', state: 'present', boot: false } },
];

/** The host's fstab lines for the test's mounts, and what findmnt sees mounted there. */
const STATE = 'grep rb- /etc/fstab || :; findmnt -n -o TARGET,SOURCE,FSTYPE /srv/rb-scratch || :; findmnt -n -o TARGET /srv/rb-cache || :';

describe('host lifecycle modules on a lab host (mount, reboot, wait_for_connection)', function () {
  this.timeout(900_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let cleanup = (): void => {};

  const apply = (tasks: unknown[], extra: string[] = []): Promise<CliRun> => {
    const file = join(work, `play-${Math.random().toString(36).slice(2)}.yml`);
    writeFileSync(file, stringify([{ name: 'lifecycle', hosts: 'all', gather_facts: false, tasks }]));
    return runbook(['apply', file, '-i', inventory, '--json', ...extra]);
  };

  before(async () => {
    ({ lab, work, inventory, cleanup } = await oneHostLab({ host: 'life1', prefix: 'lifecycle', groups: ['life'] }));
  });

  after(() => cleanup());

  it('mount: --check on a bare host changes nothing, then converges, then changed=0', async () => {
    const before = (await onHost(lab, 'life1', STATE)).stdout;
    expect(before).to.equal('');
    const check = await apply(MOUNTS, ['--check', '--diff']);
    expect(check.code, describeRun(check)).to.equal(0);
    expect(totalChanged(check)).to.equal(2);
    expect((await onHost(lab, 'life1', STATE)).stdout).to.equal(before);

    const first = await apply(MOUNTS);
    expect(first.code, describeRun(first)).to.equal(0);
    expect(totalChanged(first)).to.equal(2);
    expect((await onHost(lab, 'life1', STATE)).stdout).to.equal(
      'rbscratch\t/srv/rb-scratch\ttmpfs\tsize=8m,mode=0755\t0\t0\nrbcache\t/srv/rb-cache\ttmpfs\tsize=4m,noauto\t0\t0\n/srv/rb-scratch rbscratch tmpfs\n',
    );
    const again = await apply(MOUNTS);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('mount: new options remount, unmounted and absent undo it', async () => {
    const grown = await apply([{ name: 'bigger', mount: { ...MOUNTS[0]!.mount, opts: 'size=16m,mode=0755' } }]);
    expect(grown.code, describeRun(grown)).to.equal(0);
    expect((await onHost(lab, 'life1', 'findmnt -n -o OPTIONS /srv/rb-scratch')).stdout).to.match(/size=16384k/);
    const down = await apply([
      { name: 'unmounted', mount: { path: '/srv/rb-scratch', state: 'unmounted' } },
      { name: 'cache gone', mount: { path: '/srv/rb-cache', state: 'absent' } },
    ]);
    expect(down.code, describeRun(down)).to.equal(0);
    expect(totalChanged(down)).to.equal(2);
    expect((await onHost(lab, 'life1', STATE)).stdout).to.equal('rbscratch\t/srv/rb-scratch\ttmpfs\tsize=16m,mode=0755\t0\t0\n');
    const up = await apply([{ name: 'mounted again', mount: { ...MOUNTS[0]!.mount, opts: 'size=16m,mode=0755' } }]);
    expect(totalChanged(up), describeRun(up)).to.equal(1);
  });

  it('reboot: --check reboots nothing; a real reboot changes the boot id, mounts fstab again, and later tasks run', async () => {
    const bootId = async (): Promise<string> => (await onHost(lab, 'life1', 'cat /proc/sys/kernel/random/boot_id')).stdout.trim();
    const first = await bootId();
    const tasks = [
      { name: 'reboot', reboot: { reboot_timeout: 300, msg: 'runbook test' }, register: 'r' },
      { name: 'back', wait_for_connection: { timeout: 60 } },
      { name: 'after', command: 'cat /proc/sys/kernel/random/boot_id', register: 'after', changed_when: false },
      { name: 'elapsed', debug: { msg: 'rebooted={{ r.rebooted }} elapsed={{ r.elapsed }}' } },
    ];
    const check = await apply(tasks, ['--check']);
    expect(check.code, describeRun(check)).to.equal(0);
    expect(await bootId()).to.equal(first);

    const run = await apply(tasks);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    const second = await bootId();
    expect(second).to.not.equal(first);
    const after = run.events.find((e) => e.type === 'host_result' && e.task === 'after');
    expect(JSON.stringify(after)).to.include(second);
    expect(run.stdout).to.match(/rebooted=(True|true) elapsed=\d+/);
    // The fstab entry was mounted at boot; the noauto one is gone (absent above).
    expect((await onHost(lab, 'life1', 'findmnt -n -o TARGET,SOURCE /srv/rb-scratch')).stdout).to.equal('/srv/rb-scratch rbscratch\n');
  });
});
