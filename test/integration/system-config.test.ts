// System configuration modules on one lab host (cron, sysctl, systemd, hostname, timezone): --check
// on a bare host forecasts and changes nothing, the real run converges, a second run reports
// changed=0, and what each module set is read back with the host's own tools.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onHost, type Lab } from './lab/fixture.js';
import { oneHostLab } from './support/one-host.js';
import { describeRun, runbook, totalChanged } from './support/runbook.js';

const SYSCTL_FILE = '/etc/sysctl.d/60-rb.conf';
const UNIT = '[Unit]\nDescription=runbook test sleeper\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n';

const TASKS = [
  { name: 'cron is installed', apt: { name: 'cron' } },
  { name: 'a nightly job', cron: { name: 'rb nightly', minute: '30', hour: '2', job: '/usr/bin/true rb-nightly' } },
  { name: 'a variable for the jobs', cron: { name: 'MAILTO', env: true, job: 'ops@example.com' } },
  { name: 'a job in /etc/cron.d', cron: { name: 'rb queue', cron_file: 'rb-queue', user: 'nobody', minute: '*/5', job: '/usr/bin/true rb-queue' } },
  { name: 'an old job gone', cron: { name: 'rb legacy', state: 'absent' } },
  // Lab hosts mount /proc/sys read-only (systemd-nspawn): the file is written, the running kernel is not asked.
  { name: 'forwarding on at boot', sysctl: { name: 'net.ipv4.ip_forward', value: '1', sysctl_file: SYSCTL_FILE, reload: false } },
  { name: 'a bigger backlog at boot', sysctl: { name: 'net.core.somaxconn', value: '1024', sysctl_file: SYSCTL_FILE, reload: false } },
  { name: 'the unit file', copy: { dest: '/etc/systemd/system/rb-sleep.service', content: UNIT } },
  { name: 'the unit runs and starts at boot', systemd: { name: 'rb-sleep', state: 'started', enabled: true, daemon_reload: true } },
  { name: 'a unit nobody may start', systemd: { name: 'rb-never', masked: true } },
  { name: 'the host name', hostname: { name: 'rb-sys1.example.test' } },
  { name: 'the time zone', timezone: { name: 'Europe/Paris' } },
];
/** Tasks that change something on a bare host (the absent job is already absent). */
const CHANGING = TASKS.length - 1;

/** What the host has that the tasks change. */
const STATE = [
  'echo "--- cron"; command -v crontab; crontab -l 2>&1; cat /etc/cron.d/rb-queue 2>&1',
  `echo "--- sysctl"; cat ${SYSCTL_FILE} 2>&1`,
  'echo "--- systemd"; systemctl show -p LoadState -p ActiveState -p UnitFileState rb-sleep.service rb-never.service',
  'echo "--- names"; hostname; cat /etc/hostname; readlink /etc/localtime; cat /etc/timezone',
].join('; ');

describe('system configuration modules on a lab host (cron, sysctl, systemd, hostname, timezone)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let cleanup = (): void => {};
  let play: string;

  const writePlay = (file: string, tasks: unknown[]): string => {
    const path = join(work, file);
    writeFileSync(path, stringify([{ name: file, hosts: 'all', gather_facts: false, tasks }]));
    return path;
  };
  const apply = async (file: string, ...extra: string[]) => {
    const run = await runbook(['apply', file, '-i', inventory, '--json', ...extra]);
    expect(run.code, describeRun(run)).to.equal(0);
    return run;
  };
  const on = async (script: string) => (await onHost(lab, 'sys1', script)).stdout;

  before(async () => {
    ({ lab, work, inventory, cleanup } = await oneHostLab({ host: 'sys1', prefix: 'system' }));
    play = writePlay('site.yml', TASKS);
  });

  after(() => cleanup());

  it('--check on a bare host forecasts the changes (cron before its package is there) and changes nothing', async () => {
    const before = await on(STATE);
    const run = await apply(play, '--check');
    expect(totalChanged(run)).to.equal(CHANGING);
    expect(await on(STATE)).to.equal(before);
    expect(before).to.include('No such file').and.to.include('LoadState=not-found').and.to.match(/--- names\nsys1\nsys1\n\/usr\/share\/zoneinfo\/Etc\/UTC\nEtc\/UTC\n$/);
  });

  it('converges, then a second run reports changed=0', async () => {
    const first = await apply(play, '--diff');
    expect(totalChanged(first)).to.equal(CHANGING);
    // The cron job landed in the crontab under Ansible's marker.
    expect(await on('crontab -l')).to.equal('MAILTO="ops@example.com"\n#Ansible: rb nightly\n30 2 * * * /usr/bin/true rb-nightly\n');
    expect(await on('cat /etc/cron.d/rb-queue; stat -c %a /etc/cron.d/rb-queue')).to.equal('#Ansible: rb queue\n*/5 * * * * nobody /usr/bin/true rb-queue\n644\n');
    expect(await on(`cat ${SYSCTL_FILE}`)).to.equal('net.ipv4.ip_forward=1\nnet.core.somaxconn=1024\n');
    expect(await on('systemctl is-active rb-sleep; systemctl is-enabled rb-sleep; systemctl is-enabled rb-never.service || true')).to.equal('active\nenabled\nmasked\n');
    // timedatectl (systemd-timedated answers on lab hosts) links /etc/localtime relatively.
    expect(await on('hostname; cat /etc/hostname; readlink /etc/localtime; cat /etc/timezone')).to.match(/^rb-sys1\.example\.test\nrb-sys1\.example\.test\n(\.\.)?\/usr\/share\/zoneinfo\/Europe\/Paris\nEurope\/Paris\n$/);
    const again = await apply(play);
    expect(totalChanged(again)).to.equal(0);
  });

  it('takes over a crontab Ansible wrote, without duplicating its jobs', async () => {
    // What Ansible's cron module left: the job under its marker at another time, a job since dropped.
    const ansibleWrote = 'MAILTO="ops@example.com"\n#Ansible: rb nightly\n0 1 * * * /usr/bin/true rb-nightly\n#Ansible: rb legacy\n@daily /usr/bin/true rb-legacy\n';
    expect((await onHost(lab, 'sys1', 'crontab -', { input: ansibleWrote })).code).to.equal(0);
    const run = await apply(play);
    expect(totalChanged(run)).to.equal(2);
    expect(await on('crontab -l')).to.equal('MAILTO="ops@example.com"\n#Ansible: rb nightly\n30 2 * * * /usr/bin/true rb-nightly\n');
  });

  it('daemon_reload alone makes systemd read a changed unit file', async () => {
    await on("sed -i 's/runbook test sleeper/runbook test sleeper, edited/' /etc/systemd/system/rb-sleep.service");
    expect(await on('systemctl show -p NeedDaemonReload rb-sleep')).to.equal('NeedDaemonReload=yes\n');
    const run = await apply(writePlay('reload.yml', [{ name: 'reload', systemd: { daemon_reload: true } }]));
    expect(totalChanged(run)).to.equal(0);
    expect(await on('systemctl show -p NeedDaemonReload -p Description rb-sleep')).to.equal('Description=runbook test sleeper, edited\nNeedDaemonReload=no\n');
  });

  it('removes a cron file with its last job; sysctl_set fails clearly where /proc/sys is read-only', async () => {
    const run = await apply(writePlay('gone.yml', [{ name: 'queue job gone', cron: { name: 'rb queue', cron_file: 'rb-queue', state: 'absent' } }]));
    expect(totalChanged(run)).to.equal(1);
    expect(await on('ls /etc/cron.d/rb-queue 2>&1 || true')).to.match(/No such file/);
    const live = await runbook(['apply', writePlay('live.yml', [{ name: 'live', sysctl: { name: 'net.core.somaxconn', value: '1024', sysctl_file: SYSCTL_FILE, sysctl_set: true } }]), '-i', inventory]);
    expect(live.code).to.equal(2);
    expect(live.stdout).to.match(/setting net.core.somaxconn failed: sysctl: permission denied on key "net.core.somaxconn"/);
  });

  it("systemd scope=user fails naming the missing user manager (lab hosts run no login sessions)", async () => {
    const run = await runbook(['apply', writePlay('user.yml', [{ name: 'user unit', systemd: { name: 'rb-user', state: 'started', scope: 'user' } }]), '-i', inventory]);
    expect(run.code).to.equal(2);
    expect(run.stdout).to.match(/scope=user: no systemd user manager answers for root .*enable-linger/);
  });

  it('hostname with use=debian writes /etc/hostname and sets the running name with hostname', async () => {
    const run = await apply(writePlay('name.yml', [{ name: 'name back', hostname: { name: 'sys1', use: 'debian' } }]));
    expect(totalChanged(run)).to.equal(1);
    expect(await on('hostname; cat /etc/hostname')).to.equal('sys1\nsys1\n');
  });
});

/**
 * ufw on a real host: a loop of rules goes in with one python3 process (RemoteModule.loopBatch),
 * in order, and a second run changes nothing. python3 is counted by a shim in front of it: ufw's own
 * command (#!/usr/bin/python3) and runbook's one process both start there.
 */
describe('ufw rules of a loop in one python3 process, on a lab host', function () {
  this.timeout(600_000);
  let host: Awaited<ReturnType<typeof oneHostLab>>;
  const PORTS = ['80', '443', '8080:8090', '8443'];
  const loopTask = (extra: Record<string, unknown> = {}) => ({
    name: 'web ports',
    ufw: { rule: 'allow', port: '{{ item }}', proto: 'tcp', from_ip: '10.77.0.0/24' },
    loop: PORTS,
    register: 'r',
    ...extra,
  });
  const SSH = { name: 'ssh first', ufw: { rule: 'allow', port: '22', proto: 'tcp' } };
  const ON = [{ name: 'deny incoming', ufw: { policy: 'deny', direction: 'incoming' } }, { name: 'enable', ufw: { state: 'enabled' } }];
  /** python3 processes started since the last call (the shim logs one line each). */
  const pythons = async () => Number((await host.sh('wc -l < /var/log/rb-python3; : > /var/log/rb-python3')).trim());
  const apply = async (name: string, tasks: unknown[]) => {
    const run = await host.play(name, tasks, '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    return run;
  };
  const itemStatuses = (run: Awaited<ReturnType<typeof apply>>) =>
    run.events.flatMap((e) => (e.type === 'host_result' && e.task === 'web ports' ? [e.status] : []));

  before(async () => {
    host = await oneHostLab({ host: 'sys1', prefix: 'ufw' });
    await apply('ufw-package', [{ name: 'ufw', apt: { name: 'ufw' } }]);
    await host.sh([
      'real=$(readlink -f /usr/bin/python3)',
      'rm /usr/bin/python3',
      'printf "#!/bin/sh\\necho \\"\\$\\$ \\$1\\" >> /var/log/rb-python3\\nexec %s \\"\\$@\\"\\n" "$real" > /usr/bin/python3',
      'chmod 755 /usr/bin/python3; : > /var/log/rb-python3',
    ].join('\n'));
  });

  after(() => host.cleanup());

  it('applies a loop of rules with one python3 process, in order; a second run changes nothing and starts none', async () => {
    const first = await apply('ufw-rules', [SSH, loopTask(), ...ON]);
    expect(itemStatuses(first)).to.deep.equal(['changed', 'changed', 'changed', 'changed']);
    // ufw ships denying incoming: the policy task has nothing to do.
    expect(totalChanged(first)).to.equal(3);
    // ssh, the loop, enable: one process each, however many rules the loop holds.
    expect(await pythons()).to.equal(3);
    const status = await host.sh('ufw status');
    await pythons();
    const to = status.split('\n').filter((l) => /ALLOW/.test(l) && !/\(v6\)/.test(l)).map((l) => l.split(/\s+/)[0]);
    expect(to, status).to.deep.equal(['22/tcp', '80/tcp', '443/tcp', '8080:8090/tcp', '8443/tcp']);
    expect(status).to.match(/^Status: active/);

    const again = await apply('ufw-rules', [SSH, loopTask(), ...ON]);
    expect(totalChanged(again)).to.equal(0);
    expect(itemStatuses(again)).to.deep.equal(['ok', 'ok', 'ok', 'ok']);
    expect(await pythons()).to.equal(0);
  });

  it('one by one (until keeps the per-item path) costs one python3 per rule: the figure the batch saves', async () => {
    await host.sh('ufw --force reset >/dev/null');
    await pythons();
    const oneByOne = await apply('ufw-one-by-one', [loopTask({ until: 'r is not failed', retries: 0 })]);
    expect(itemStatuses(oneByOne)).to.deep.equal(['changed', 'changed', 'changed', 'changed']);
    expect(await pythons()).to.equal(PORTS.length);

    await host.sh('ufw --force reset >/dev/null');
    await pythons();
    const batched = await apply('ufw-batched', [loopTask()]);
    expect(itemStatuses(batched)).to.deep.equal(['changed', 'changed', 'changed', 'changed']);
    expect(await pythons()).to.equal(1);
    // The same rules, in the same order, either way.
    const tuples = await host.sh("grep '^### tuple' /etc/ufw/user.rules");
    expect(tuples.split('\n').filter(Boolean).map((l) => l.split(' ')[5])).to.deep.equal(['80', '443', '8080:8090', '8443']);
  });

  it('a rule ufw refuses fails that item; the items before it are in and the ones after it still go in', async () => {
    await host.sh('ufw --force reset >/dev/null');
    await pythons();
    // ufw takes at most 15 ports in a list; runbook's own checks pass it.
    const many = Array.from({ length: 16 }, (_, i) => String(1000 + i)).join(',');
    const run = await host.play('ufw-refused', [{ ...loopTask(), loop: ['80', many, '443'] }], '--json');
    expect(run.code).to.equal(2);
    expect(itemStatuses(run)).to.deep.equal(['changed', 'failed', 'changed']);
    const fail = run.events.find((e) => e.type === 'host_result' && e.task === 'web ports' && e.status === 'failed');
    expect(fail && fail.type === 'host_result' ? fail.msg : '').to.match(/ufw failed with exit code 1: .*ERROR/s);
    const tuples = await host.sh("grep '^### tuple' /etc/ufw/user.rules");
    expect(tuples.split('\n').filter(Boolean).map((l) => l.split(' ')[5])).to.deep.equal(['80', '443']);
  });
});
