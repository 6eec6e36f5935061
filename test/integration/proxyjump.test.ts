// ProxyJump on real hosts: reach one lab host through another (as fleets behind a bastion are), from
// ansible_ssh_common_args and from an ssh config file, and refuse a bastion whose host key is unknown.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { describeRun, runbook } from './support/runbook.js';

describe('ProxyJump through a bastion on real hosts', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let bastion: string;
  let inner: string;

  const PLAYBOOK = [
    '- name: record where the connection came from',
    '  hosts: all',
    '  gather_facts: false',
    '  tasks:',
    '    - name: write SSH_CONNECTION',
    '      shell: echo "$SSH_CONNECTION" > /tmp/runbook-via',
    '',
  ].join('\n');

  function addressOf(name: string): string {
    return lab.hosts.find((h) => h.name === name)!.address;
  }

  /** The client address sshd on `inner` saw for the last runbook connection. */
  async function lastClientAddress(): Promise<string> {
    const via = await onHost(lab, 'inner', 'cat /tmp/runbook-via; rm -f /tmp/runbook-via');
    return via.stdout.trim().split(/\s+/)[0] ?? '';
  }

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'bastion', groups: ['edge'] }, { name: 'inner', groups: ['app'] }] });
    work = mkdtempSync(join(tmpdir(), 'runbook-proxyjump-'));
    writeFileSync(join(work, 'site.yml'), PLAYBOOK);
    bastion = addressOf('bastion');
    inner = addressOf('inner');
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('without a jump, inner sees the controller as its client (the control case)', async () => {
    const direct = await onHost(lab, 'inner', 'echo "$SSH_CONNECTION"');
    expect(direct.stdout.trim().split(/\s+/)[0]).to.not.equal(bastion);
  });

  it('-o ProxyJump in ansible_ssh_common_args: inner is reached through the bastion', async () => {
    const inventory = join(work, 'common-args.yml');
    writeFileSync(
      inventory,
      stringify({
        all: {
          vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile },
          hosts: { inner: { ansible_host: inner, ansible_ssh_common_args: `-o StrictHostKeyChecking=yes -o ProxyJump=root@${bastion}` } },
        },
      }),
    );
    const run = await runbook(['apply', join(work, 'site.yml'), '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(run.recap.inner!.changed).to.equal(1);
    expect(await lastClientAddress()).to.equal(bastion);
  });

  it('two hops (-J b1,b2): each hop connects through the one before it', async () => {
    const inventory = join(work, 'two-hops.yml');
    // The bastion twice: the second hop's SSH runs inside the first hop's tunnel, then reaches inner.
    writeFileSync(
      inventory,
      stringify({
        all: {
          vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile },
          hosts: { inner: { ansible_host: inner, ansible_ssh_extra_args: `-J root@${bastion},root@${bastion}:22` } },
        },
      }),
    );
    const run = await runbook(['apply', join(work, 'site.yml'), '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(await lastClientAddress()).to.equal(bastion);
    // The second hop really is connected to: a user it does not know makes the host unreachable.
    writeFileSync(inventory, readFileSync(inventory, 'utf8').replace(`root@${bastion}:22`, `nosuchuser@${bastion}:22`));
    const bad = await runbook(['apply', join(work, 'site.yml'), '-i', inventory, '--json']);
    expect(bad.code, describeRun(bad)).to.equal(4);
    const result = bad.events.find((e) => e.type === 'host_result' && e.host === 'inner');
    expect(result && result.type === 'host_result' ? result.msg : '').to.include(`jump host nosuchuser@${bastion}:22`);
  });

  it('~/.ssh/config style: Host blocks with HostName, User, IdentityFile and ProxyJump (read with -F)', async () => {
    const sshConfig = join(work, 'ssh_config');
    writeFileSync(
      sshConfig,
      [
        '# the fleet behind the load balancer',
        'Host app-*',
        '    ProxyJump jumpbox',
        '',
        'Host app-inner',
        `    HostName ${inner}`,
        '    User root',
        `    IdentityFile ${lab.keyFile}`,
        '',
        'Host jumpbox',
        `    HostName ${bastion}`,
        '    User root',
        `    IdentityFile ${lab.keyFile}`,
        '',
        'Host *',
        '    User nobody-should-use-this',
        '',
      ].join('\n'),
    );
    const inventory = join(work, 'ssh-config.yml');
    // No ansible_host, ansible_user or key: all of it comes from the ssh config, as `ssh app-inner` would use it.
    writeFileSync(
      inventory,
      stringify({
        all: {
          vars: { ssh_known_hosts_file: lab.knownHostsFile, ansible_ssh_common_args: `-F ${sshConfig}` },
          hosts: { 'app-inner': null },
        },
      }),
    );
    const run = await runbook(['apply', join(work, 'site.yml'), '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(run.recap['app-inner']!.changed).to.equal(1);
    expect(await lastClientAddress()).to.equal(bastion);
  });

  it("refuses a bastion whose host key is not in known_hosts (unreachable, exit 4), though the target's is", async () => {
    const knownHosts = join(work, 'known_hosts_without_bastion');
    const lines = readFileSync(lab.knownHostsFile, 'utf8').split('\n');
    const kept = lines.filter((l) => !l.split(/\s+/)[0]!.split(',').some((h) => h === bastion || h === `[${bastion}]:22`));
    expect(kept.length).to.be.lessThan(lines.length);
    writeFileSync(knownHosts, kept.join('\n'));
    const inventory = join(work, 'unknown-bastion.yml');
    writeFileSync(
      inventory,
      stringify({
        all: {
          vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: knownHosts },
          hosts: { inner: { ansible_host: inner, ansible_ssh_common_args: `-J root@${bastion}` } },
        },
      }),
    );
    const run = await runbook(['apply', join(work, 'site.yml'), '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(4);
    expect(run.recap.inner!.unreachable).to.equal(1);
    const result = run.events.find((e) => e.type === 'host_result' && e.host === 'inner');
    const msg = result && result.type === 'host_result' ? (result.msg ?? '') : '';
    expect(msg).to.include(`jump host root@${bastion}:22`);
    expect(msg).to.include('not known');
  });

  it('a target the bastion cannot reach is unreachable, and the message says the bastion could not connect', async () => {
    const inventory = join(work, 'closed-port.yml');
    writeFileSync(
      inventory,
      stringify({
        all: {
          vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile },
          // Nothing listens on port 2 of inner: the bastion's connect is refused.
          hosts: { inner: { ansible_host: inner, ansible_port: 2, ansible_ssh_common_args: `-J root@${bastion}` } },
        },
      }),
    );
    const run = await runbook(['apply', join(work, 'site.yml'), '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(4);
    const result = run.events.find((e) => e.type === 'host_result' && e.host === 'inner');
    const msg = result && result.type === 'host_result' ? (result.msg ?? '') : '';
    expect(msg).to.include(`jump host root@${bastion}:22 cannot open a connection to ${inner}:2`);
  });
});
