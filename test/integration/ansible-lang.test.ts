// Issue 3 on real hosts: an Ansible-style playbook (test/fixtures/ansible-lang) with the real-world INI
// inventory (test/fixtures/inventory-realworld) against two lab hosts, driven with Ansible's flags:
// -i -l -u --private-key -b -K -f -e -D -t --become-user --known-hosts, the password on stdin.
import { expect } from 'chai';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { parseHumanRecap } from './support/human-recap.js';
import { REPO, runbook, type CliRun } from './support/runbook.js';

/** Lab host name -> the inventory name the real-world fixture gives it. */
const HOSTS: Record<string, string> = { web01: 'web01.prod.example.com', web02: 'web02.prod.example.com' };
const DIR = '/var/tmp/ansible-lang';

describe('Ansible-style playbook and INI inventory on lab hosts', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let password: string;
  let first: CliRun;

  const cat = async (host: string, file: string): Promise<string> => (await onHost(lab, host, `cat ${file}`)).stdout;
  const exists = async (host: string, file: string): Promise<boolean> => (await onHost(lab, host, `test -e ${file}`)).code === 0;

  /** As the people who run it type it: log in as deploy with the lab key, sudo with the password typed at -K. */
  const apply = (...extra: string[]): Promise<CliRun> =>
    runbook(
      [
        'apply', join(work, 'site.yml'), '-i', join(work, 'inventory/hosts.ini'), '-l', 'web_blue', '-u', 'deploy', '--private-key', lab.keyFile,
        '--known-hosts', lab.knownHostsFile, '-b', '-K', '-f', '2', ...extra,
      ],
      { input: `${password}\n`, env: { SSH_AUTH_SOCK: '' } },
    );

  before(async () => {
    lab = await getLab({ hosts: Object.keys(HOSTS).map((name) => ({ name, groups: ['web'] })) });
    password = readFileSync(lab.deployPasswordFile, 'utf8').trim();
    work = mkdtempSync(join(tmpdir(), 'runbook-ansible-lang-'));
    cpSync(join(REPO, 'test/fixtures/ansible-lang'), work, { recursive: true });
    cpSync(join(REPO, 'test/fixtures/inventory-realworld'), join(work, 'inventory'), { recursive: true });
    // The fixture's names resolve to the lab hosts through ansible_host, in host_vars as a file and as a folder.
    const address = (name: string): string => lab.hosts.find((h) => h.name === name)!.address;
    appendFileSync(join(work, 'inventory/host_vars/web01.prod.example.com.yml'), `ansible_host: ${address('web01')}\n`);
    writeFileSync(join(work, 'inventory/host_vars/web02.prod.example.com/lab.yml'), `ansible_host: ${address('web02')}\n`);
    // A known_hosts file that does not exist: --known-hosts on the command line must win over it.
    appendFileSync(join(work, 'inventory/hosts.ini'), '\n[all:vars]\nssh_known_hosts_file=/nonexistent/known_hosts\n');
    for (const host of Object.keys(HOSTS)) await onHost(lab, host, `rm -rf ${DIR} /var/tmp/ansible-lang-debug`);
    first = await apply('-e', 'release=42', '-D');
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('converges with exit 0; the recap counts the rescue and the ignored failure as Ansible prints them', () => {
    expect(first.code, first.stdout + first.stderr).to.equal(0);
    const recap = parseHumanRecap(first.stdout);
    expect(Object.keys(recap).sort()).to.deep.equal(Object.values(HOSTS));
    expect(recap['web01.prod.example.com']).to.include({ failed: 0, unreachable: 0, rescued: 0, ignored: 1 });
    expect(recap['web02.prod.example.com']).to.include({ failed: 0, unreachable: 0, rescued: 1, ignored: 1 });
    expect(first.stdout).to.match(/web02\.prod\.example\.com\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0\s+skipped=\d+\s+rescued=1\s+ignored=1/);
    // -K's password reached sudo on stdin and appears nowhere in the output.
    expect(first.stderr).to.include('BECOME password: ');
    expect(first.stdout + first.stderr).to.not.include(password);
  });

  it('the block rescued only the host whose migration failed, and always ran on both', async () => {
    expect(await exists('web01', `${DIR}/migrated`)).to.equal(true);
    expect(await exists('web01', `${DIR}/rolled-back`)).to.equal(false);
    expect(await exists('web02', `${DIR}/migrated`)).to.equal(false);
    expect(await cat('web02', `${DIR}/rolled-back`)).to.equal('yes\n');
    for (const host of Object.keys(HOSTS)) expect(await cat(host, `${DIR}/migration-log`)).to.equal('tried\n');
  });

  it('facts: conditions on ansible_os_family, Ansible fact names in a file, ansible_default_ipv4.address in a template', async () => {
    for (const [host, name] of Object.entries(HOSTS)) {
      const address = lab.hosts.find((h) => h.name === host)!.address;
      expect(await cat(host, `${DIR}/debian`)).to.equal('Debian\n');
      expect(await exists(host, `${DIR}/redhat`)).to.equal(false);
      const facts = await cat(host, `${DIR}/facts`);
      expect(facts).to.match(/^Debian Debian 12 bookworm systemd [1-9]\d* [1-9]\d* \S+\n$/);
      expect(facts.trim().split(' ').at(-1)!.split(',')).to.include(address);
      const conf = await cat(host, `${DIR}/app.conf`);
      // Role default, role parameter from an inline INI host var, group_vars file/folder, host_vars, include_vars, -e.
      expect(conf).to.equal(
        `# shop on ${name} (${host}), release 42\nlisten ${address}:8080\nserver_id ${host === 'web01' ? 1 : 2}\ncolor blue\nuser www-data\nworkers 4\n`,
      );
      // -b: the files were written as root by a deploy login.
      expect((await onHost(lab, host, `stat -c %U ${DIR}/app.conf`)).stdout.trim()).to.equal('root');
    }
    // -D: the new config shows as a diff.
    expect(first.stdout).to.include('+listen ');
  });

  it('include_role ran only tasks_from; listen woke every handler of the topic once, at flush_handlers', async () => {
    for (const host of Object.keys(HOSTS)) {
      expect(await exists(host, `${DIR}/full-install`)).to.equal(false);
      expect(await cat(host, `${DIR}/restarts`)).to.equal('restart\n');
      expect(await cat(host, `${DIR}/reloads`)).to.equal('reload\n');
      expect(await cat(host, `${DIR}/config-changes`)).to.equal('changed\n');
      // The task after meta: flush_handlers saw the handlers' work.
      expect(await cat(host, `${DIR}/restarts-after-flush`)).to.equal('restart\n');
    }
  });

  it('include_tasks picked its file per host from a fact, and ran a file once per loop item with its loop_var', async () => {
    for (const [host, name] of Object.entries(HOSTS)) {
      expect(await cat(host, `${DIR}/included-os`)).to.equal(`Debian tasks on ${name}\n`);
      expect(await cat(host, `${DIR}/site-alice`)).to.equal('/bin/bash\n');
      expect(await cat(host, `${DIR}/site-bob`)).to.equal('/bin/sh\n');
    }
    expect(first.stdout).to.match(/ok: \[web01\.prod\.example\.com\] => included: \S+\/tasks\/Debian\.yml/);
    expect(first.stdout).to.match(/ok: \[web01\.prod\.example\.com\] => \(item=alice\)/);
  });

  it('with_items with a loop_control label shows the label, and become_user switched user', async () => {
    for (const host of Object.keys(HOSTS)) {
      expect(await cat(host, `${DIR}/user-alice`)).to.equal('/bin/bash\n');
      expect(await cat(host, `${DIR}/user-bob`)).to.equal('/bin/sh\n');
      expect(await cat(host, `${DIR}/app-user`)).to.equal('www-data\n');
    }
    expect(first.stdout).to.include('changed: [web01.prod.example.com] => (item=alice)');
    expect(first.stdout).to.not.match(/item=\{/);
  });

  it('the never-tagged task did not run; -t debug runs it (and only what is tagged always), as --become-user', async () => {
    for (const host of Object.keys(HOSTS)) expect(await exists(host, '/var/tmp/ansible-lang-debug')).to.equal(false);
    const run = await apply('-t', 'debug', '--become-user', 'nobody', '-e', 'release=43');
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const recap = parseHumanRecap(run.stdout);
    for (const [host, name] of Object.entries(HOSTS)) {
      expect(recap[name]).to.include({ changed: 1, failed: 0, rescued: 0, ignored: 0 });
      expect(await cat(host, '/var/tmp/ansible-lang-debug')).to.equal(`${name} release 43\n`);
      // No become_user on the task: --become-user chose the sudo target.
      expect((await onHost(lab, host, 'stat -c %U /var/tmp/ansible-lang-debug')).stdout.trim()).to.equal('nobody');
      // The migration (tagged migrate) and the handlers did not run again.
      expect(await cat(host, `${DIR}/migration-log`)).to.equal('tried\n');
      expect(await cat(host, `${DIR}/restarts`)).to.equal('restart\n');
    }
  });
});
