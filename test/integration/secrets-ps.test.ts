// Issue 7: secrets never appear on a remote command line. Watched two ways while the seed job runs:
// `ps -eo args` polled on each host (what any local user sees), and every execve on each host,
// with its full argv, traced from the controller by strace attached to the host's sshd.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import type { LabState } from '../../src/lab/state.js';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { REPO, describeRun, runbook, type CliRun } from './support/runbook.js';

/** The same hosts as faults-restore.test.ts: run in one mocha process, both files share one lab. */
const HOSTS = [
  { name: 'redis1', groups: ['redis'] },
  { name: 'web1', groups: ['web'] },
  { name: 'web2', groups: ['web'] },
];
const NAMES = HOSTS.map((h) => h.name);
const SITE = join(REPO, 'playbooks/site.yml');

/** 24 characters with `& = + ! @ %` (no quote or backslash, which strace would print escaped). */
function password(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const chars = [...'&=+!@%'];
  while (chars.length < 24) chars.push(alphabet[randomInt(alphabet.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Raw and URL-encoded (the PHP ini holds it so), in both hex cases. */
function forms(pw: string): string[] {
  const strict = encodeURIComponent(pw).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...new Set([pw, encodeURIComponent(pw), strict, strict.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())])];
}

/**
 * Polls `ps -ww -eo args=` (full width: a long script is not cut) on a host until stopped, keeping only what matters: lines holding a pattern
 * (the patterns arrive on stdin into a root-only file, so the poller's own command line is clean),
 * the runbook command markers it saw (proof that it saw runbook's commands) and the number of polls.
 */
const POLLER = [
  'umask 077; d=/run/runbook-psw; rm -rf "$d"; mkdir -p "$d"',
  'grep -v "^$" > "$d/pats"',
  ': > "$d/hits"; : > "$d/markers"; : > "$d/seen"',
  `setsid nice -n 10 sh -c '
    d=/run/runbook-psw; n=0
    while [ ! -e "$d/stop" ]; do
      ps -ww -eo args= > "$d/snap"
      grep -F -f "$d/pats" "$d/snap" >> "$d/hits"
      grep -o "runbook-[0-9a-f]\\{12\\}\$" "$d/snap" >> "$d/markers"
      grep -c "dest=/etc/redis/redis.conf" "$d/snap" >> "$d/seen"
      n=$((n + 1))
    done
    echo $n > "$d/count"' >/dev/null 2>&1 < /dev/null &`,
  'echo started',
].join('\n');

describe('secrets never on a remote command line (watching ps and execve on the hosts)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let state: LabState;
  let work: string;
  let inventory: string;
  const passwords: string[] = [];

  function secretsFile(pw: string): string {
    const file = join(work, `secrets-${passwords.length}.yml`);
    writeFileSync(file, stringify({ redis_password: pw }), { mode: 0o600 });
    return file;
  }

  const apply = (pw: string): Promise<CliRun> => runbook(['apply', SITE, '-i', inventory, '-e', `@${secretsFile(pw)}`, '--json']);

  function expectNoPassword(text: string, what: string): void {
    for (const pw of passwords) {
      for (const f of forms(pw)) expect(text.includes(f), `${what} holds a form of a password`).to.equal(false);
    }
  }

  before(async function () {
    this.timeout(1_800_000);
    lab = await getLab({ hosts: HOSTS });
    state = JSON.parse(readFileSync(join(lab.dir, 'state.json'), 'utf8')) as LabState;
    work = mkdtempSync(join(tmpdir(), 'runbook-secrets-ps-'));
    const doc = parse(readFileSync(lab.inventoryFile, 'utf8')) as { all: { hosts: Record<string, Record<string, unknown>> } };
    doc.all.hosts.web2 = { ...doc.all.hosts.web2, php_web_server: 'apache' };
    inventory = join(work, 'inventory.yml');
    writeFileSync(inventory, stringify(doc));
  });

  after(async () => {
    for (const host of NAMES) await onHost(lab, host, 'touch /run/runbook-psw/stop').catch(() => undefined);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ps on every host never shows the password while the seed job converges them', async function () {
    // On a fresh lab this run installs everything (run alone); after faults-restore.test.ts it only changes the password.
    this.timeout(1_800_000);
    const pw = password();
    passwords.push(pw);
    // Patterns: this run's password, and a canary that a command of ours shows on purpose, so the
    // test proves the watch catches a command line before it trusts an empty result.
    const canary = `psw-canary-${randomInt(1e9)}`;
    const pats = `${[...passwords.flatMap(forms), canary].join('\n')}\n`;
    for (const host of NAMES) {
      const r = await onHost(lab, host, POLLER, { input: pats });
      expect(r.stdout.trim(), `${host}: ${r.stderr}`).to.equal('started');
    }
    let run: CliRun;
    try {
      run = await apply(pw);
      // The canary on a command line for a second and a half: $0 of a sleeping sh.
      for (const host of NAMES) await onHost(lab, host, `sh -c 'sleep 1.5' ${canary}`);
    } finally {
      for (const host of NAMES) await onHost(lab, host, 'touch /run/runbook-psw/stop');
    }
    expect(run.code, describeRun(run)).to.equal(0);
    expectNoPassword(run.stdout + run.stderr, 'runbook output');
    for (const host of NAMES) {
      let out = '';
      for (;;) {
        const r = await onHost(lab, host, `d=/run/runbook-psw; [ -e "$d/count" ] || exit 7; cat "$d/count"; sort -u "$d/markers" | wc -l; awk "{s+=\\$1} END {print s+0}" "$d/seen"; grep -c -F ${canary} "$d/hits"; grep -v -F ${canary} "$d/hits" | wc -c`);
        if (r.code !== 7) {
          out = r.stdout;
          break;
        }
        await sleep(200);
      }
      const [polls, markers, redisConfSeen, canaryLines, hitBytes] = out.split('\n').map((l) => Number(l.trim()));
      // The watch really watched: many polls, and runbook's own commands among what it saw.
      expect(polls, `${host}: ps polls`).to.be.greaterThan(100);
      expect(markers, `${host}: distinct runbook commands seen by ps`).to.be.greaterThan(10);
      if (host === 'redis1') expect(redisConfSeen, 'ps saw the step that writes redis.conf (it validates for a second)').to.be.greaterThan(0);
      expect(canaryLines, `${host}: the watch caught the canary command line`).to.be.greaterThan(0);
      // Every other line of hits would hold a password; the assertion names the host, never the lines.
      expect(hitBytes, `${host}: bytes of ps lines holding the password`).to.equal(0);
    }
  });

  it('no execve on any host carries the password when it changes (files rewritten, services restarted, checks run)', async () => {
    const pw = password();
    passwords.push(pw);
    const canary = `strace-canary-${randomInt(1e9)}`;
    const tracers: { host: string; log: string; child: ChildProcess; exited: Promise<void> }[] = [];
    try {
      for (const h of state.hosts) {
        const sshd = await new Promise<string>((resolve) => {
          const p = spawn('pgrep', ['-P', String(h.initPid), '-x', 'sshd']);
          let out = '';
          p.stdout.on('data', (d: Buffer) => (out += d.toString()));
          p.on('close', () => resolve(out.trim()));
        });
        expect(sshd, `${h.name}: the sshd listener`).to.match(/^\d+$/);
        const log = join(work, `execve-${h.name}.log`);
        // Every process sshd starts from now on (each runbook command and what it runs), with its whole argv.
        const child = spawn('strace', ['-f', '-qq', '-e', 'trace=execve', '-e', 'signal=none', '-s', '262144', '-o', log, '-p', sshd], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
        const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
        tracers.push({ host: h.name, log, child, exited });
        // Attached once strace has written its first line (sshd's own execve comes with the first login).
        await sleep(500);
        expect(child.exitCode, `strace on ${h.name}: ${err}`).to.equal(null);
      }
      const run = await apply(pw);
      // A canary on a command line, run through SSH like runbook's commands: the trace must show it.
      for (const host of NAMES) await onHost(lab, host, `/bin/echo ${canary} > /dev/null`);
      expect(run.code, describeRun(run)).to.equal(0);
      for (const host of NAMES) expect(run.recap[host]!.failed, host).to.equal(0);
      expect(run.recap.redis1!.changed, 'redis.conf got the new password').to.be.greaterThan(0);
      for (const host of ['web1', 'web2']) expect(run.recap[host]!.changed, `${host}: the PHP ini got the new password`).to.be.greaterThan(0);
      expectNoPassword(run.stdout + run.stderr, 'runbook output');
    } finally {
      for (const t of tracers) {
        t.child.kill('SIGINT');
        await t.exited;
      }
    }
    const logs = Object.fromEntries(tracers.map((t) => [t.host, readFileSync(t.log, 'utf8')]));
    const execs = (host: string, re: RegExp) => logs[host]!.split('\n').filter((l) => l.includes('execve(') && re.test(l));
    for (const host of NAMES) {
      expect(execs(host, new RegExp(`\\["/bin/echo", "${canary}"\\]`)), `${host}: the trace caught the canary command line`).to.have.length(1);
      // The trace really saw runbook's scripts and the commands they ran.
      expect(execs(host, /"\/bin\/sh", "-c", .*"runbook-[0-9a-f]{12}"\]/).length, `${host}: runbook scripts traced`).to.be.greaterThan(10);
    }
    expect(execs('redis1', /\["systemctl", "restart", "redis-server\.service"\]/), 'redis1: the restart').to.have.length.greaterThan(0);
    expect(execs('redis1', /\["redis-server", "\/etc\/redis\/\.runbook-tmp\.\w+", "--port", "0"/), 'redis1: the validation of the new redis.conf').to.have.length.greaterThan(0);
    expect(execs('web1', /\["php", "-c", "\/etc\/php\/[\d.]+\/fpm\/conf\.d\/\.runbook-tmp\.\w+"/), 'web1: the validation of the new PHP ini').to.have.length.greaterThan(0);
    expect(execs('web2', /\["systemctl", "restart", "apache2\.service"\]/), 'web2: the Apache restart').to.have.length.greaterThan(0);
    for (const host of NAMES) expectNoPassword(logs[host]!, `${host}'s execve trace`);
  });
});
