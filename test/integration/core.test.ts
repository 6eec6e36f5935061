// Issue 2's "done when", on real lab hosts: a role with group_vars, a Handlebars template and a
// handler converges two hosts; a second run changes nothing; --check --diff shows a manual change
// and alters nothing; an unreachable host gives exit 4; a changed host key is refused; bad input exits 1.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { REPO, describeRun, runbook, totalChanged } from './support/runbook.js';

describe('core engine on real hosts', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;

  function writeInventory(file: string, extraHosts: Record<string, unknown> = {}, knownHosts = lab.knownHostsFile): void {
    const hosts: Record<string, unknown> = {};
    for (const h of lab.hosts) hosts[h.name] = { ansible_host: h.address };
    Object.assign(hosts, extraHosts);
    const inv = {
      all: {
        vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: knownHosts },
        children: { app: { hosts } },
      },
    };
    writeFileSync(file, stringify(inv));
  }

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'app1', groups: ['app'] }, { name: 'app2', groups: ['app'] }] });
    work = mkdtempSync(join(tmpdir(), 'runbook-core-'));
    // The playbook, its roles and group_vars, copied so group_vars sit beside the inventory too.
    cpSync(join(REPO, 'test/fixtures/core'), work, { recursive: true });
    inventory = join(work, 'inventory.yml');
    writeInventory(inventory);
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const apply = (...args: string[]) => runbook(['apply', join(work, 'site.yml'), '-i', inventory, '--json', ...args]);

  it('converges two hosts with roles, group_vars, a template and a handler', async () => {
    const run = await apply();
    expect(run.code, describeRun(run)).to.equal(0);
    for (const host of ['app1', 'app2']) {
      expect(run.recap[host]!.failed).to.equal(0);
      expect(run.recap[host]!.changed).to.be.greaterThan(0);
      const conf = await onHost(lab, host, 'cat /etc/appconf/app.conf; stat -c %a /etc/appconf/app.conf; cat /var/tmp/appconf-restarts');
      expect(conf.stdout).to.include(`# Managed by runbook for ${host}\nport = 8080\nworkers = 4\n`);
      // No HTML escaping: the greeting arrives exactly as written in group_vars.
      expect(conf.stdout).to.include(`greeting = Hello from ${host} & friends = 100% <ok>\nfeatures = sessions,metrics\n`);
      expect(conf.stdout).to.include('640\nrestarted\n');
    }
  });

  it('a second run reports changed=0 everywhere and does not run the handler', async () => {
    const run = await apply();
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(0);
    const restarts = await onHost(lab, 'app1', 'wc -l < /var/tmp/appconf-restarts');
    expect(restarts.stdout.trim()).to.equal('1');
  });

  it('--check --diff after a manual change shows that change and alters nothing', async () => {
    await onHost(lab, 'app1', "sed -i 's/^workers = 4$/workers = 99/' /etc/appconf/app.conf");
    const before = await onHost(lab, 'app1', 'sha1sum /etc/appconf/app.conf; stat -c %Y /etc/appconf/app.conf');
    const run = await apply('--check', '--diff');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(run.recap.app1!.changed).to.equal(1);
    expect(run.recap.app2!.changed).to.equal(0);
    const changed = run.events.find((e) => e.type === 'host_result' && e.host === 'app1' && e.status === 'changed');
    const diff = changed && changed.type === 'host_result' ? changed.diffs?.[0] : undefined;
    expect(diff?.path).to.equal('/etc/appconf/app.conf');
    expect(diff?.before).to.include('workers = 99');
    expect(diff?.after).to.include('workers = 4');
    const after = await onHost(lab, 'app1', 'sha1sum /etc/appconf/app.conf; stat -c %Y /etc/appconf/app.conf');
    expect(after.stdout).to.equal(before.stdout);
    // The human output shows a unified diff too.
    const human = await runbook(['apply', join(work, 'site.yml'), '-i', inventory, '--check', '--diff']);
    expect(human.stdout).to.match(/-workers = 99\n\+workers = 4/);
    // A real run puts it back and restarts through the handler.
    const fix = await apply();
    expect(fix.recap.app1!.changed).to.equal(2);
  });

  it('an unreachable host is reported as unreachable, the others finish, exit 4', async () => {
    const file = join(work, 'with-ghost.yml');
    // An address in the lab's own subnet where no host was booted.
    const ghost = lab.hosts[0]!.address.replace(/\.\d+$/, '.250');
    writeInventory(file, { ghost: { ansible_host: ghost } });
    const run = await runbook(['apply', join(work, 'site.yml'), '-i', file, '--json']);
    expect(run.code, describeRun(run)).to.equal(4);
    expect(run.recap.ghost).to.include({ unreachable: 1, failed: 0 });
    expect(run.recap.app1).to.include({ failed: 0, unreachable: 0 });
    expect(run.recap.app2!.ok).to.be.greaterThan(3);
  });

  it('refuses a host whose key changed, naming the fingerprints', async () => {
    const known = readFileSync(lab.knownHostsFile, 'utf8').split('\n');
    const [a1, a2] = [lab.hosts[0]!.address, lab.hosts[1]!.address];
    // app2's keys filed under app1's address: app1 now presents a "changed" key.
    const forged = [...known.filter((l) => l && !l.startsWith(`${a1} `)), ...known.filter((l) => l.startsWith(`${a2} `)).map((l) => l.replace(a2, a1))];
    const knownFile = join(work, 'forged_known_hosts');
    writeFileSync(knownFile, forged.join('\n') + '\n');
    const file = join(work, 'forged.yml');
    writeInventory(file, {}, knownFile);
    const run = await runbook(['apply', join(work, 'site.yml'), '-i', file, '--json']);
    expect(run.code, describeRun(run)).to.equal(4);
    expect(run.recap.app1).to.include({ unreachable: 1 });
    const refusal = run.events.find((e) => e.type === 'host_result' && e.host === 'app1');
    expect(refusal && refusal.type === 'host_result' ? refusal.msg : '').to.match(/HOST KEY CHANGED[\s\S]*SHA256:/);
  });

  it('malformed input exits 1 with file:line:col before any connection', async () => {
    const bad = join(work, 'bad.yml');
    writeFileSync(bad, '- hosts: app\n  tasks:\n    - name: typo\n      copyy:\n        dest: /tmp/x\n        content: y\n');
    const run = await runbook(['apply', bad, '-i', inventory]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include(`${bad}:4:7`);
    expect(run.stderr).to.match(/did you mean 'copy'/);
    const untouched = await onHost(lab, 'app1', 'test -e /tmp/x && echo present || echo absent');
    expect(untouched.stdout.trim()).to.equal('absent');
  });
});
