// Issue 7's faults, injected for real on lab hosts: a held run lock, Ctrl-C, a host cut off
// mid-run (iptables in its netns), a held dpkg lock, and ufw asked to lock runbook out.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import type { RunEvent } from '../../src/executor/events.js';
import type { LabState } from '../../src/lab/state.js';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { REPO, describeRun, runbook, totalChanged, type CliRun } from './support/runbook.js';

const BIN = join(REPO, 'bin/runbook.js');

/** A run we can watch event by event and signal, unlike runbook() which only returns at the end. */
class LiveRun {
  readonly child: ChildProcess;
  readonly events: RunEvent[] = [];
  stdout = '';
  stderr = '';
  readonly done: Promise<CliRun>;
  private waiters: Array<() => void> = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let partial = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      this.stdout += d.toString();
      partial += d.toString();
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const l of lines) if (l.startsWith('{')) this.events.push(JSON.parse(l) as RunEvent);
      this.waiters.forEach((w) => w());
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.done = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code, signal) => {
        const recapEvent = this.events.find((e) => e.type === 'recap');
        const recap = recapEvent && recapEvent.type === 'recap' ? recapEvent.hosts : {};
        this.waiters.forEach((w) => w());
        resolve({ code: code ?? (signal ? 128 : -1), stdout: this.stdout, stderr: this.stderr, events: this.events, recap });
      });
    });
  }

  /** Resolves once an event matching `pred` was printed; rejects if the run ends first. */
  async waitFor(pred: (e: RunEvent) => boolean): Promise<RunEvent> {
    for (;;) {
      const hit = this.events.find(pred);
      if (hit) return hit;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`run ended before the event: ${this.stderr}`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }
}

/** Every host result of a run, for assertion messages. */
function show(run: CliRun): string {
  return `${describeRun(run)}\n${run.events.filter((e) => e.type === 'host_result').map((e) => JSON.stringify(e)).join('\n')}`;
}

/** Polls a host until `script` exits 0 (no timed assertion: mocha's timeout is the only limit). */
async function until(lab: Lab, host: string, script: string): Promise<void> {
  for (;;) {
    if ((await onHost(lab, host, script)).code === 0) return;
    await sleep(200);
  }
}

describe('faults on real hosts', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let state: LabState;

  /** Runs iptables inside a host's network namespace, with the host's own iptables binary. */
  function iptables(host: string, args: string): void {
    const h = state.hosts.find((x) => x.name === host)!;
    const r = spawnSync('sh', ['-c', `ip netns exec ${h.netns} chroot ${h.merged} iptables ${args}`], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`iptables ${args} in ${h.netns} failed: ${r.stderr}`);
  }

  function playbook(name: string, tasks: unknown[], extra: Record<string, unknown> = {}): string {
    const file = join(work, name);
    writeFileSync(file, stringify([{ hosts: 'app', gather_facts: false, ...extra, tasks }]));
    return file;
  }

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'f1', groups: ['app'] }, { name: 'f2', groups: ['app'] }] });
    state = JSON.parse(readFileSync(join(lab.dir, 'state.json'), 'utf8')) as LabState;
    work = mkdtempSync(join(tmpdir(), 'runbook-faults-'));
    inventory = join(work, 'inventory.yml');
    const hosts: Record<string, unknown> = {};
    for (const h of lab.hosts) hosts[h.name] = { ansible_host: h.address };
    writeFileSync(inventory, stringify({
      all: {
        vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile },
        children: { app: { hosts } },
      },
    }));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('host run lock', () => {
    it('a second run fails that host at once naming the holder (exit 2); --wait-lock waits', async () => {
      const slow = playbook('lock-slow.yml', [{ name: 'slow', shell: 'rm -f /tmp/lock-go; until [ -e /tmp/lock-go ]; do sleep 0.2; done' }], { hosts: 'f1' });
      const quick = playbook('lock-quick.yml', [{ name: 'quick', command: 'true' }], { hosts: 'f1' });
      const first = new LiveRun(['apply', slow, '-i', inventory, '--json']);
      await until(lab, 'f1', `grep -q 'pid=${first.child.pid} ' /run/runbook.lock && pgrep -f '[l]ock-go'`);

      const second = await runbook(['apply', quick, '-i', inventory, '--json']);
      expect(second.code, describeRun(second)).to.equal(2);
      expect(second.recap.f1).to.include({ failed: 1, changed: 0 });
      const refusal = second.events.find((e) => e.type === 'host_result' && e.host === 'f1');
      const msg = refusal && refusal.type === 'host_result' ? refusal.msg ?? '' : '';
      expect(msg).to.match(/f1 is locked by another runbook run \(\/run\/runbook\.lock: controller=\S+ pid=\d+ user=\S+ started=\S+/);
      expect(msg).to.include(`pid=${first.child.pid} `);

      // --wait-lock: starts while the first run holds the lock, ends after it, and succeeds.
      const order: string[] = [];
      const waiting = new LiveRun(['apply', quick, '-i', inventory, '--json', '--wait-lock']);
      void waiting.done.then(() => order.push('waiting'));
      // The waiting run's holder script blocks in `flock 9` (the first run's flock already exited).
      await until(lab, 'f1', 'pgrep -x flock');
      // Which process exits first is a race once the lock is free (the first run still closes its
      // connections); what matters is that the waiting run could not finish while the lock was held.
      order.push('released');
      await onHost(lab, 'f1', 'touch /tmp/lock-go');
      const [a, b] = await Promise.all([first.done, waiting.done]);
      expect(a.code, describeRun(a)).to.equal(0);
      expect(b.code, describeRun(b)).to.equal(0);
      expect(order).to.deep.equal(['released', 'waiting']);
    });

    it('the lock dies with the connection: a killed run does not leave a stale lock', async () => {
      const slow = playbook('lock-slow2.yml', [{ name: 'slow', command: 'sleep 122' }], { hosts: 'f1' });
      const run = new LiveRun(['apply', slow, '-i', inventory, '--json']);
      await until(lab, 'f1', `grep -q 'pid=${run.child.pid} ' /run/runbook.lock && pgrep -f '[s]leep 122'`);
      run.child.kill('SIGKILL');
      await run.done;
      // The lock is free again while the killed run's command still runs: the connection released it.
      await until(lab, 'f1', 'flock -n /run/runbook.lock true');
      expect((await onHost(lab, 'f1', "pgrep -f '[s]leep 122'")).code).to.equal(0);
      await onHost(lab, 'f1', "pkill -f '[s]leep 122'");
      const again = await runbook(['apply', playbook('lock-q2.yml', [{ command: 'true' }], { hosts: 'f1' }), '-i', inventory, '--json']);
      expect(again.code, describeRun(again)).to.equal(0);
    });
  });

  describe('Ctrl-C', () => {
    it('stops, cuts the running task, prints the partial recap, exits 130; a re-run converges', async () => {
      const tasks = [
        { name: 'first file', copy: { dest: '/etc/fault-sigint-1', content: 'one\n' } },
        { name: 'slow', command: 'sleep 123', when: 'slow | bool' },
        { name: 'second file', copy: { dest: '/etc/fault-sigint-2', content: 'two\n' } },
      ];
      const file = playbook('sigint.yml', tasks);
      const run = new LiveRun(['apply', file, '-i', inventory, '--json', '-e', 'slow=true']);
      await run.waitFor((e) => e.type === 'task_start' && e.task === 'slow');
      for (const h of ['f1', 'f2']) await until(lab, h, "pgrep -f '[s]leep 123'");
      run.child.kill('SIGINT');
      const result = await run.done;
      expect(result.code, describeRun(result)).to.equal(130);
      const recap = result.events.find((e) => e.type === 'recap');
      expect(recap && recap.type === 'recap' ? recap.exitCode : undefined).to.equal(130);
      for (const h of ['f1', 'f2']) {
        // The cut task is not a failure; the first task's change is counted.
        expect(result.recap[h], h).to.include({ failed: 0, unreachable: 0, changed: 1 });
        const left = await onHost(lab, h, "pgrep -f '[s]leep 123' && ps -eo pid,pgid,sid,args");
        expect(left.code, `sleep still runs on ${h}: ${left.stdout}\n${result.stderr}`).to.equal(1);
        expect((await onHost(lab, h, 'test -e /etc/fault-sigint-2')).code).to.equal(1);
      }
      expect(result.events.some((e) => e.type === 'host_result' && e.task === 'slow')).to.equal(false);

      const rerun = await runbook(['apply', file, '-i', inventory, '--json', '-e', 'slow=false']);
      expect(rerun.code, describeRun(rerun)).to.equal(0);
      const again = await runbook(['apply', file, '-i', inventory, '--json', '-e', 'slow=false']);
      expect(again.code, describeRun(again)).to.equal(0);
      expect(totalChanged(again)).to.equal(0);
      for (const h of ['f1', 'f2']) expect((await onHost(lab, h, 'cat /etc/fault-sigint-2')).stdout).to.equal('two\n');
    });
  });

  describe('a host cut off mid-run', () => {
    before(async () => {
      const r = await onHost(lab, 'f2', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q iptables >/dev/null 2>&1; command -v iptables');
      expect(r.code, r.stderr).to.equal(0);
    });

    afterEach(() => {
      // Whatever happened, the host takes SSH again for the next test.
      spawnSync('sh', ['-c', `ip netns exec ${state.hosts.find((x) => x.name === 'f2')!.netns} chroot ${state.hosts.find((x) => x.name === 'f2')!.merged} iptables -F INPUT`]);
    });

    it('is marked unreachable, the others go on, exit 4; a re-run converges with no half-written file', async () => {
      const big = `${'x'.repeat(100)}\n`.repeat(20_000);
      writeFileSync(join(work, 'big.txt'), big);
      const tasks = [
        { name: 'dir', file: { path: '/srv/fault', state: 'directory' } },
        { name: 'slow', command: 'sleep 3' },
        { name: 'big file', copy: { src: join(work, 'big.txt'), dest: '/srv/fault/big.txt' } },
      ];
      const file = playbook('cut.yml', tasks);
      const run = new LiveRun(['apply', file, '-i', inventory, '--json']);
      await run.waitFor((e) => e.type === 'task_start' && e.task === 'slow');
      iptables('f2', '-I INPUT -p tcp --dport 22 -j DROP');
      const result = await run.done;
      expect(result.code, describeRun(result)).to.equal(4);
      expect(result.recap.f2).to.include({ unreachable: 1, failed: 0 });
      expect(result.recap.f1).to.include({ unreachable: 0, failed: 0 });
      const lost = result.events.find((e) => e.type === 'host_result' && e.host === 'f2' && e.status === 'unreachable');
      expect(lost && lost.type === 'host_result' ? lost.msg : '').to.match(/f2/);
      const f1big = result.events.find((e) => e.type === 'host_result' && e.host === 'f1' && e.task === 'big file');
      expect(f1big && f1big.type === 'host_result' ? f1big.status : '').to.equal('changed');

      iptables('f2', '-D INPUT -p tcp --dport 22 -j DROP');
      // The cut-off session's lock lives until f2's sshd notices its client is gone (its next
      // retransmission meets a reset), so the re-run waits for it rather than failing the host.
      const rerun = await runbook(['apply', file, '-i', inventory, '--json', '--wait-lock']);
      expect(rerun.code, describeRun(rerun)).to.equal(0);
      expect(rerun.recap.f2!.changed).to.be.greaterThan(0);
      const check = await onHost(lab, 'f2', 'sha1sum < /srv/fault/big.txt; ls -A /srv/fault');
      const want = spawnSync('sha1sum', { input: big, encoding: 'utf8' }).stdout;
      expect(check.stdout).to.equal(`${want}big.txt\n`);
    });
  });

  describe('dpkg lock held by something else', () => {
    it('apt waits lock_timeout, then fails saying the lock is held', async () => {
      // dpkg and apt lock with fcntl (not flock), so the holder takes the same kind of lock: a write
      // lock on the whole of lock-frontend (struct flock on x86_64), then sleeps, as a stuck apt would.
      const holder = `use Fcntl; $| = 1; open(my $f, ">>", "/var/lib/dpkg/lock-frontend") or die "open: $!"; `
        + `my $s = pack("s s x4 q q i x4", F_WRLCK, 0, 0, 0, 0); fcntl($f, F_SETLKW, $s) or die "lock: $!"; print "locked $$\\n"; sleep 124;`;
      await onHost(lab, 'f1', `setsid perl -e '${holder}' >/tmp/dpkg-holder.log 2>&1 </dev/null & true`);
      await until(lab, 'f1', 'grep -q . /tmp/dpkg-holder.log');
      const holderPid = /^locked (\d+)\n$/.exec((await onHost(lab, 'f1', 'cat /tmp/dpkg-holder.log')).stdout)?.[1];
      expect(holderPid, 'the holder reports its PID').to.be.a('string');
      try {
        const file = playbook('dpkg.yml', [{ name: 'install', apt: { name: 'redis-tools', state: 'present', lock_timeout: 3 } }], { hosts: 'f1' });
        const run = await runbook(['apply', file, '-i', inventory, '--json']);
        expect(run.code, show(run)).to.equal(2);
        const fail = run.events.find((e) => e.type === 'host_result' && e.host === 'f1');
        // The message names the holder as docs/faults.md promises: its PID, and its command.
        expect(fail && fail.type === 'host_result' ? fail.msg : '').to.match(new RegExp(`lock is still held by process ${holderPid} \\(perl\\) after waiting 3 s`));
        expect((await onHost(lab, 'f1', 'dpkg -s redis-tools')).code).to.not.equal(0);
      } finally {
        await onHost(lab, 'f1', "pkill -f '[s]leep 124'");
      }
    });
  });

  describe('ufw without an SSH rule', () => {
    before(async () => {
      const r = await onHost(lab, 'f2', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q ufw >/dev/null 2>&1; command -v ufw');
      expect(r.code, r.stderr).to.equal(0);
    });

    it('enabling, or denying incoming, is refused: that host fails and still takes SSH', async () => {
      for (const [name, args] of [['enable', { state: 'enabled' }], ['deny', { default: 'deny', direction: 'incoming' }]] as const) {
        // ufw ships denying incoming; allow it first so that denying is a change.
        if (name === 'deny') await onHost(lab, 'f2', 'ufw default allow incoming >/dev/null');
        const file = playbook(`ufw-${name}.yml`, [{ name: `ufw ${name}`, ufw: args }], { hosts: 'f2' });
        const run = await runbook(['apply', file, '-i', inventory, '--json']);
        expect(run.code, show(run)).to.equal(2);
        const fail = run.events.find((e) => e.type === 'host_result' && e.host === 'f2');
        expect(fail && fail.type === 'host_result' ? fail.msg : '', name).to.match(/would block new SSH connections on port 22/);
        const ssh = await onHost(lab, 'f2', 'echo still-here');
        expect(ssh.stdout.trim()).to.equal('still-here');
      }
      const status = await onHost(lab, 'f2', 'ufw status');
      expect(status.stdout).to.match(/inactive/);
      expect((await onHost(lab, 'f2', 'grep ^DEFAULT_INPUT_POLICY /etc/default/ufw')).stdout).to.include('ACCEPT');
    });

    it('rules are judged in order for the real connection: allow 22 on another interface, or an earlier deny from the controller, is refused', async () => {
      // The controller's address and the interface as f2 sees them.
      const [client] = (await onHost(lab, 'f2', 'echo $SSH_CONNECTION')).stdout.trim().split(' ');
      const iface = (await onHost(lab, 'f2', `ip route get ${client} | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p'`)).stdout.trim();
      expect(client).to.match(/^\d+\.\d+\.\d+\.\d+$/);
      expect(iface).to.not.equal('');
      const cases = [
        ['on-eth9', 'ufw allow in on eth9 to any port 22 proto tcp', new RegExp(`block new SSH connections on port 22 from ${client} on ${iface}.*default incoming policy is deny`)],
        ['deny-first', `ufw deny from ${client} && ufw allow 22/tcp`, new RegExp(`rule 1 \\(deny from ${client.replace(/\./g, '\\.')}\\) drops it, before any later rule can allow it`)],
      ] as const;
      for (const [name, rules, why] of cases) {
        const setup = await onHost(lab, 'f2', `ufw --force reset >/dev/null && ufw default deny incoming >/dev/null && ${rules} >/dev/null && grep -c '^### tuple' /etc/ufw/user.rules`);
        expect(setup.code, setup.stderr).to.equal(0);
        const before = (await onHost(lab, 'f2', 'cat /etc/ufw/user.rules /etc/ufw/ufw.conf /etc/default/ufw | sha1sum')).stdout;
        const file = playbook(`ufw-${name}.yml`, [{ name: `ufw ${name}`, ufw: { state: 'enabled' } }], { hosts: 'f2' });
        const run = await runbook(['apply', file, '-i', inventory, '--json']);
        expect(run.code, show(run)).to.equal(2);
        const fail = run.events.find((e) => e.type === 'host_result' && e.host === 'f2');
        expect(fail && fail.type === 'host_result' ? fail.msg : '', name).to.match(why);
        expect((await onHost(lab, 'f2', 'echo still-here')).stdout.trim(), name).to.equal('still-here');
        expect((await onHost(lab, 'f2', 'ufw status')).stdout, name).to.match(/inactive/);
        expect((await onHost(lab, 'f2', 'cat /etc/ufw/user.rules /etc/ufw/ufw.conf /etc/default/ufw | sha1sum')).stdout, name).to.equal(before);
      }
      await onHost(lab, 'f2', 'ufw --force reset >/dev/null');
    });
  });
});
