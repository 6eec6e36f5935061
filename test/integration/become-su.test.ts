// become_method su on a lab host (issue 14): an unprivileged login (no sudo) becomes root with root's
// password, typed at su's prompt over a pty; a root-only change is made, then found in place; another
// become_user via su with its own password given by -K; a wrong password is a clean failure. The
// password is never in runbook's output (text or --json) nor in any `ps` line on the host.
import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunEvent } from '../../src/executor/events.js';
import { onHost } from './lab/fixture.js';
import { oneHostLab, type OneHost } from './support/one-host.js';
import { describeRun, runbook, type CliRun } from './support/runbook.js';

const HOST = 'su1';

/** 20 characters with shell and URL specials (no quote or backslash: the ps patterns are fixed strings). */
function password(tag: string): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  let pw = `${tag}&=+!@%`;
  while (pw.length < 20) pw += alphabet[randomInt(alphabet.length)]!;
  return pw;
}

/** Polls `ps -ww -eo args=` as root until stopped; the patterns come on stdin into a root-only file. */
const POLLER = [
  'umask 077; d=/run/runbook-su-psw; rm -rf "$d"; mkdir -p "$d"',
  'grep -v "^$" > "$d/pats"',
  ': > "$d/hits"; : > "$d/su"',
  `setsid sh -c '
    d=/run/runbook-su-psw; n=0
    while [ ! -e "$d/stop" ]; do
      ps -ww -eo args= > "$d/snap"
      grep -F -f "$d/pats" "$d/snap" >> "$d/hits"
      grep -c "^su root -c " "$d/snap" >> "$d/su"
      n=$((n + 1))
    done
    echo $n > "$d/count"' >/dev/null 2>&1 < /dev/null &`,
  'echo started',
].join('\n');

describe('become_method su on a lab host (unprivileged login, root password)', function () {
  this.timeout(600_000);
  let h: OneHost;
  const rootPw = password('R');
  const appPw = password('A');
  const wrongPw = password('W');
  const all = [rootPw, appPw, wrongPw];

  before(async function () {
    this.timeout(1_800_000);
    h = await oneHostLab({ host: HOST, prefix: 'become-su', vars: { ansible_user: 'sulogin' } });
    const setup = await onHost(h.lab, HOST, [
      'set -e',
      'useradd --create-home --shell /bin/bash sulogin',
      'useradd --create-home --shell /bin/bash suapp',
      'install -d -m 700 -o sulogin -g sulogin ~sulogin/.ssh',
      'install -m 600 -o sulogin -g sulogin /root/.ssh/authorized_keys ~sulogin/.ssh/authorized_keys',
      'chpasswd',
      // The login cannot use sudo at all: su is the only way up.
      'id -nG sulogin | grep -qw sudo && exit 9',
      'echo ok',
    ].join('\n'), { input: `root:${rootPw}\nsuapp:${appPw}\n` });
    expect(setup.stdout.trim(), setup.stderr).to.equal('ok');
  });

  after(async () => {
    await onHost(h.lab, HOST, 'touch /run/runbook-su-psw/stop').catch(() => undefined);
    h?.cleanup();
  });

  /** A 0600 vars file for -e @file, so no password is on runbook's own command line. */
  function secrets(name: string, vars: Record<string, string>): string {
    const file = join(h.work, `${name}.yml`);
    writeFileSync(file, Object.entries(vars).map(([k, v]) => `${k}: "${v}"\n`).join(''), { mode: 0o600 });
    return file;
  }

  function expectNoPassword(run: CliRun): void {
    const text = run.stdout + run.stderr;
    for (const pw of all) expect(text.includes(pw), 'runbook output holds a password').to.equal(false);
  }

  const ROOT_PLAY = [
    { name: 'a root-only file', copy: { dest: '/etc/runbook-su-test.conf', content: 'managed by runbook through su\n', mode: '0600' } },
    { name: 'who am I', shell: 'id -un > /root/runbook-su-who', args: { creates: '/root/runbook-su-who' } },
    // Keeps su on the process list long enough for the ps watch to see it.
    { name: 'a second under su', command: 'sleep 1', changed_when: false },
  ];

  function suPlay(name: string, tasks: unknown[], extra: Record<string, unknown> = {}): string {
    const file = join(h.work, `${name}.yml`);
    writeFileSync(file, JSON.stringify([{ name, hosts: 'all', gather_facts: false, become: true, become_method: 'su', ...extra, tasks }]));
    return file;
  }

  it('makes a root-only change (changed), then finds it in place (ok); ps never shows the password', async () => {
    const pats = `${all.join('\n')}\n`;
    const started = await onHost(h.lab, HOST, POLLER, { input: pats });
    expect(started.stdout.trim(), started.stderr).to.equal('started');
    const pw = secrets('root-pw', { ansible_become_password: rootPw });
    let first: CliRun;
    try {
      first = await runbook(['apply', suPlay('root-change', ROOT_PLAY), '-i', h.inventory, '-e', `@${pw}`, '--json']);
    } finally {
      await onHost(h.lab, HOST, 'touch /run/runbook-su-psw/stop');
    }
    expect(first.code, describeRun(first)).to.equal(0);
    expect(first.recap[HOST]).to.include({ changed: 2, failed: 0, unreachable: 0 });
    expectNoPassword(first);
    expect(await h.sh('stat -c "%U %G %a" /etc/runbook-su-test.conf; cat /etc/runbook-su-test.conf /root/runbook-su-who')).to.equal('root root 600\nmanaged by runbook through su\nroot\n');

    let out = '';
    for (;;) {
      const r = await onHost(h.lab, HOST, 'd=/run/runbook-su-psw; [ -e "$d/count" ] || exit 7; cat "$d/count"; awk "{s+=\\$1} END {print s+0}" "$d/su"; wc -c < "$d/hits"');
      if (r.code !== 7) {
        out = r.stdout;
        break;
      }
      await sleep(200);
    }
    const [polls, suSeen, hitBytes] = out.split('\n').map((l) => Number(l.trim()));
    expect(polls, 'ps polls').to.be.greaterThan(10);
    expect(suSeen, 'ps lines showing su root -c (proof the watch saw su running)').to.be.greaterThan(0);
    expect(hitBytes, 'bytes of ps lines holding a password').to.equal(0);

    const again = await runbook(['apply', suPlay('root-change', ROOT_PLAY), '-i', h.inventory, '-e', `@${pw}`, '--json']);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(again.recap[HOST]).to.include({ changed: 0, ok: 3, failed: 0 });
    expectNoPassword(again);
  });

  it('becomes another user (become_user suapp) with that user\'s password from -K', async () => {
    const play = suPlay('as-suapp', [{ name: 'leave a mark', shell: 'id -un > /tmp/runbook-su-whoami', args: { creates: '/tmp/runbook-su-whoami' } }], { become_user: 'suapp' });
    const run = await runbook(['apply', play, '-i', h.inventory, '-K'], { input: `${appPw}\n` });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expectNoPassword(run);
    expect(await h.sh('stat -c %U /tmp/runbook-su-whoami; cat /tmp/runbook-su-whoami')).to.equal('suapp\nsuapp\n');
  });

  it('a wrong password fails the host cleanly (exit 2), naming host and users, the password nowhere', async () => {
    const pw = secrets('wrong-pw', { ansible_become_password: wrongPw });
    const run = await runbook(['apply', suPlay('wrong', [{ name: 'never runs', command: 'touch /etc/runbook-su-never' }]), '-i', h.inventory, '-e', `@${pw}`, '--json']);
    expect(run.code, describeRun(run)).to.equal(2);
    expect(run.recap[HOST]).to.include({ failed: 1 });
    const failed = run.events.find((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result' && e.status === 'failed');
    expect(failed?.msg).to.include(`su from sulogin to root on ${HOST} failed: incorrect su password`);
    expectNoPassword(run);
    const text = await runbook(['apply', suPlay('wrong', [{ name: 'never runs', command: 'touch /etc/runbook-su-never' }]), '-i', h.inventory, '-e', `@${pw}`]);
    expect(text.code).to.equal(2);
    expect(text.stdout + text.stderr).to.include('incorrect su password');
    expectNoPassword(text);
    expect(await h.sh('test -e /etc/runbook-su-never && echo exists || echo absent')).to.equal('absent\n');
  });
});
