// The light lab on real processes: one sshd, ~20 chrooted hosts, a play on all of them, a clean teardown.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { labDown, leftovers } from '../../../src/lab/lab.js';
import { readState, type LabState } from '../../../src/lab/state.js';
import { runbook } from '../support/runbook.js';
import { hostTarget, onHost, startLightLab, type Lab } from './fixture.js';
import { sshRun } from '../../../src/lab/ssh.js';

const HOSTS = 20;

describe('light lab (real sshd, chrooted hosts)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let state: LabState;
  let work: string;

  before(async () => {
    lab = await startLightLab(HOSTS);
    state = (await readState(join(lab.dir, 'state.json')))!;
    work = mkdtempSync(join(tmpdir(), 'runbook-light-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('gives each address its own root, with host key checking on', async () => {
    expect(lab.hosts).to.have.length(HOSTS);
    expect(new Set(lab.hosts.map((h) => h.address)).size).to.equal(HOSTS);
    for (const h of [lab.hosts[0]!, lab.hosts[HOSTS - 1]!]) {
      const res = await onHost(lab, h.name, 'cat /etc/hostname; id -un');
      expect(res.stdout.split('\n').slice(0, 2), res.stderr).to.deep.equal([h.name, 'root']);
    }
    // A known_hosts without this address's line: the connection is refused, not trusted blindly.
    const known = await readFile(lab.knownHostsFile, 'utf8');
    const first = lab.hosts[0]!.address;
    const file = join(work, 'known_hosts.partial');
    writeFileSync(file, known.split('\n').filter((l) => !l.startsWith(`${first} `)).join('\n'));
    const refused = await sshRun({ ...hostTarget(lab, lab.hosts[0]!.name), knownHostsFile: file }, 'true');
    expect(refused.code).to.equal(255);
    expect(refused.stderr).to.match(/Host key verification failed|No ED25519 host key is known/);
  });

  it('lets deploy become root with its password', async () => {
    const password = (await readFile(lab.deployPasswordFile, 'utf8')).trim();
    const res = await onHost(lab, lab.hosts[1]!.name, 'sudo -S -p "" id -un', { user: 'deploy', input: `${password}\n` });
    expect(res.stdout.trim(), res.stderr).to.equal('root');
  });

  it('runs a play on every host: all ok, each host keeps its own files, a re-run changes nothing', async () => {
    const play = join(work, 'play.yml');
    writeFileSync(
      play,
      stringify([
        {
          name: 'light',
          hosts: 'all',
          gather_facts: false,
          tasks: [
            { name: 'dir', file: { path: '/srv/light', state: 'directory', mode: '0755' } },
            { name: 'whoami', copy: { dest: '/srv/light/who', content: '{{ inventory_hostname }}\n' } },
            { name: 'motd', template: { src: join(work, 'motd.j2'), dest: '/srv/light/motd' } },
            { name: 'read back', command: 'cat /srv/light/who /etc/hostname', register: 'seen', changed_when: false },
            { name: 'same name', assert: { that: ["seen.stdout_lines == [inventory_hostname, inventory_hostname]"] } },
          ],
        },
      ]),
    );
    writeFileSync(join(work, 'motd.j2'), 'this is {{ inventory_hostname }} at {{ ansible_host }}\n');
    const first = await runbook(['apply', play, '-i', lab.inventoryFile, '--json']);
    expect(first.code, first.stderr + first.stdout.slice(-2000)).to.equal(0);
    expect(Object.keys(first.recap)).to.have.length(HOSTS);
    for (const [host, c] of Object.entries(first.recap)) {
      expect(c.failed, host).to.equal(0);
      expect(c.unreachable, host).to.equal(0);
      expect(c.changed, host).to.equal(3);
    }
    for (const h of lab.hosts) {
      const res = await onHost(lab, h.name, 'cat /srv/light/who /srv/light/motd');
      expect(res.stdout, res.stderr).to.equal(`${h.name}\nthis is ${h.name} at ${h.address}\n`);
    }
    const again = await runbook(['apply', play, '-i', lab.inventoryFile, '--json']);
    expect(again.code, again.stderr).to.equal(0);
    for (const [host, c] of Object.entries(again.recap)) expect(c.changed, host).to.equal(0);
  });

  it('goes down entirely: sshd, its sessions, every mount, the namespace', async () => {
    await labDown({ dir: lab.dir });
    expect(await leftovers(state)).to.deep.equal([]);
    const mounts = await readFile('/proc/mounts', 'utf8');
    expect(mounts).to.not.include(state.runtimeDir);
    const res = await sshRun(hostTarget(lab, lab.hosts[0]!.name), 'true', { connectTimeoutSec: 2 });
    expect(res.code).to.equal(255);
  });
});
