// Smoke test of the lab on real hosts: SSH with host keys checked, network, offline apt, ufw, reset, teardown.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labDown, labUp, leftovers } from '../../../src/lab/lab.js';
import { processAlive } from '../../../src/lab/procs.js';
import { sshRun } from '../../../src/lab/ssh.js';
import { readState } from '../../../src/lab/state.js';
import { TEST_LABS_DIR, getLab, hostTarget, onHost, resetHost, type Lab } from './fixture.js';

describe('lab (real hosts)', function () {
  this.timeout(600_000);
  let lab: Lab;

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'alpha', groups: ['one'] }, { name: 'beta', groups: ['two'] }] });
  });

  it('takes SSH logins for root and deploy with host key checking on', async () => {
    for (const name of ['alpha', 'beta']) {
      const res = await onHost(lab, name, 'hostname; systemctl is-system-running');
      expect(res.code, res.stderr).to.equal(0);
      expect(res.stdout.split('\n').slice(0, 2)).to.deep.equal([name, 'running']);
    }
    const password = (await readFile(lab.deployPasswordFile, 'utf8')).trim();
    const sudo = await onHost(lab, 'alpha', 'sudo -S -p "" id -un', { user: 'deploy', input: `${password}\n` });
    expect(sudo.stdout.trim(), sudo.stderr).to.equal('root');
    const wrong = await onHost(lab, 'alpha', 'sudo -S -p "" id -un', { user: 'deploy', input: 'not-the-password\n' });
    expect(wrong.code).to.not.equal(0);
  });

  it('refuses a host whose key does not match known_hosts', async () => {
    const [alpha, beta] = [hostTarget(lab, 'alpha'), hostTarget(lab, 'beta')];
    const known = await readFile(lab.knownHostsFile, 'utf8');
    // alpha's keys filed under beta's address: beta now presents a "changed" key.
    const swapped = known
      .split('\n')
      .filter((l) => l.startsWith(`${alpha.address} `))
      .map((l) => l.replace(alpha.address, beta.address))
      .join('\n');
    const file = join(lab.dir, 'known_hosts.swapped');
    await writeFile(file, `${swapped}\n`);
    const res = await sshRun({ ...beta, knownHostsFile: file }, 'true');
    expect(res.code).to.equal(255);
    expect(res.stderr).to.match(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('lets hosts reach each other over the bridge, by address and by name', async () => {
    const beta = hostTarget(lab, 'beta');
    const res = await onHost(lab, 'alpha', `timeout 5 bash -c 'exec 3<>/dev/tcp/${beta.address}/22; head -c 7 <&3'; getent hosts beta`);
    expect(res.stdout).to.match(/^SSH-2\.0/);
    expect(res.stdout).to.include(`${beta.address}`);
    const route = await onHost(lab, 'alpha', 'ip -4 route show default');
    expect(route.stdout).to.match(new RegExp(`^default via ${lab.subnet.replace(/\.0\/24$/, '.1').replace(/\./g, '\\.')} dev eth0`));
  });

  it('installs redis-tools offline from the local repo', async () => {
    const sources = await onHost(lab, 'alpha', 'cat /etc/apt/sources.list; ls /etc/apt/sources.list.d');
    expect(sources.stdout.trim()).to.equal('deb [trusted=yes] file:/opt/runbook-repo ./');
    const res = await onHost(lab, 'alpha', 'apt-get update -q && apt-get install -y -q redis-tools && redis-cli --version');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(res.stdout).to.match(/redis-cli \d+\.\d+/);
  });

  it('enables ufw inside a host, which still takes SSH and now drops other ports', async () => {
    const res = await onHost(lab, 'beta', 'apt-get install -y -q ufw >/dev/null && ufw allow 22/tcp && ufw --force enable && ufw status');
    expect(res.code, res.stdout + res.stderr).to.equal(0);
    expect(res.stdout).to.include('Status: active');
    const again = await onHost(lab, 'beta', 'true');
    expect(again.code).to.equal(0);
    const beta = hostTarget(lab, 'beta');
    // With ufw off, a closed port refuses at once; with ufw on, the probe is dropped and times out.
    const probe = await onHost(lab, 'alpha', `timeout 2 bash -c 'exec 3<>/dev/tcp/${beta.address}/23' 2>/dev/null; echo $?`);
    expect(probe.stdout.trim()).to.equal('124');
  });

  it('resets a host to a fresh, bare one that keeps its name, address and host keys', async () => {
    const before = hostTarget(lab, 'beta');
    const host = await resetHost(lab, 'beta');
    expect(host.address).to.equal(before.address);
    const res = await onHost(lab, 'beta', 'hostname; command -v ufw || echo no-ufw; systemctl is-system-running');
    expect(res.code, res.stderr).to.equal(0);
    expect(res.stdout.split('\n').slice(0, 3)).to.deep.equal(['beta', 'no-ufw', 'running']);
  });

  it('tears down, even after its nspawn was killed, leaving no process, mount, netns or interface', async () => {
    const dir = join(TEST_LABS_DIR, 'down');
    await labDown({ dir });
    const own = await labUp({ name: 'tdown', dir, subnet: '10.78.250.0/24', hosts: 2 });
    try {
      const state = await readState(join(dir, 'state.json'));
      expect(state?.hosts).to.have.length(2);
      // A crash: the first host's nspawn dies, its container lives on, orphaned.
      process.kill(own.hosts[0]!.pid, 'SIGKILL');
      await labDown({ dir });
      expect(await leftovers(state!)).to.deep.equal([]);
      for (const h of state!.hosts) {
        expect(processAlive(h.pid!)).to.equal(false);
        expect(existsSync(h.merged)).to.equal(false);
        expect(existsSync(`/run/netns/${h.netns}`)).to.equal(false);
      }
      const mounts = await readFile('/proc/mounts', 'utf8');
      expect(mounts).to.not.include(state!.runtimeDir);
      expect(existsSync(join(dir, 'state.json'))).to.equal(false);
      await labDown({ dir });
    } finally {
      await labDown({ dir });
    }
  });
});
