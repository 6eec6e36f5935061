// The run lock of a login that cannot become root, on a real host: it lives in the login's own 0700
// folder, so another local user can neither block its runs nor redirect the lock through a link, and
// what a lock file says is printed inert.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { runbook, type CliRun } from './support/runbook.js';

const BASHRC = 'export KEEP_ME=1\n';

describe('run lock of a login that cannot become root (real host, users plain and other)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let play: string;

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'lock1', groups: ['app'] }] });
    work = mkdtempSync(join(tmpdir(), 'runbook-user-lock-'));
    const setup = await onHost(lab, 'lock1', [
      'set -e',
      'for u in plain other; do',
      '  id $u >/dev/null 2>&1 || useradd --create-home --shell /bin/bash $u',
      '  install -d -m 700 -o $u -g $u /home/$u/.ssh',
      '  install -m 600 -o $u -g $u /root/.ssh/authorized_keys /home/$u/.ssh/authorized_keys',
      'done',
      // plain may not use sudo at all: its runs take the login lock.
      'su plain -c "sudo -n true" 2>/dev/null && exit 9; echo ok',
    ].join('\n'));
    expect(setup.stdout + setup.stderr).to.include('ok');
    inventory = join(work, 'inventory.yml');
    writeFileSync(inventory, stringify({
      all: {
        vars: { ansible_user: 'plain', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile },
        hosts: { lock1: { ansible_host: lab.hosts[0]!.address } },
      },
    }));
    play = join(work, 'site.yml');
    writeFileSync(play, stringify([{ name: 'as plain', hosts: 'all', gather_facts: false, tasks: [{ name: 'touch', command: 'touch /home/plain/ran' }] }]));
  });

  after(async () => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (lab) await onHost(lab, 'lock1', 'userdel -r plain; userdel -r other; rm -f /tmp/runbook.lock').catch(() => undefined);
  });

  beforeEach(async () => {
    await onHost(lab, 'lock1', `rm -rf /tmp/runbook.lock /home/plain/.cache/runbook /home/plain/ran; printf '${BASHRC.replace('\n', '\\n')}' > /home/plain/.bashrc; chown plain: /home/plain/.bashrc`);
  });

  const run = (extra: string[] = []): Promise<CliRun> => runbook(['apply', play, '-i', inventory, ...extra]);
  const bashrc = async (): Promise<string> => (await onHost(lab, 'lock1', 'cat /home/plain/.bashrc')).stdout;

  it('a /tmp/runbook.lock another user made blocks nothing, with or without --wait-lock', async () => {
    await onHost(lab, 'lock1', 'su other -c "umask 022; echo controller=other > /tmp/runbook.lock"');
    const plainRun = await run();
    expect(plainRun.code, plainRun.stdout + plainRun.stderr).to.equal(0);
    const waiting = await run(['--wait-lock']);
    expect(waiting.code, waiting.stdout + waiting.stderr).to.equal(0);
    const r = await onHost(lab, 'lock1', 'stat -c "%a %U" /home/plain/.cache/runbook; test -e /home/plain/ran && echo ran');
    expect(r.stdout).to.equal('700 plain\nran\n');
  });

  it("a link another user planted in /tmp does not redirect the lock onto the login's files", async () => {
    await onHost(lab, 'lock1', 'su other -c "ln -s /home/plain/.bashrc /tmp/runbook.lock"');
    const r = await run();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await bashrc()).to.equal(BASHRC);
  });

  it('a link at the login\'s own lock file is refused, naming it; the file it points to is untouched', async () => {
    await onHost(lab, 'lock1', 'install -d -m 700 -o plain -g plain /home/plain/.cache /home/plain/.cache/runbook; ln -s /home/plain/.bashrc /home/plain/.cache/runbook/run.lock');
    const r = await run();
    expect(r.code, r.stdout + r.stderr).to.equal(2);
    expect(r.stdout + r.stderr).to.include('/home/plain/.cache/runbook/run.lock is a symbolic link; remove it');
    expect(await bashrc()).to.equal(BASHRC);
    expect((await onHost(lab, 'lock1', 'test -e /home/plain/ran; echo $?')).stdout).to.equal('1\n');
  });

  it('a second run of the same login is refused while the lock is held; what the lock file says is printed inert', async () => {
    // A holder whose lock file carries terminal escapes (a title change and a screen clear).
    const hold = await onHost(lab, 'lock1', [
      'su plain -c \'mkdir -p -m 700 ~/.cache/runbook; printf "\\033]0;pwned\\007\\033[2Jevil" > ~/.cache/runbook/run.lock;',
      'flock ~/.cache/runbook/run.lock sleep 120 >/dev/null 2>&1 < /dev/null & echo $!\' > /tmp/holder.pid',
      'p=$(cat /tmp/holder.pid); for i in $(seq 50); do flock -n /home/plain/.cache/runbook/run.lock true || break; sleep 0.1; done',
      'flock -n /home/plain/.cache/runbook/run.lock true || echo held',
    ].join('\n'));
    expect(hold.stdout).to.equal('held\n');
    try {
      const r = await run();
      const out = r.stdout + r.stderr;
      expect(r.code, out).to.equal(2);
      expect(out).to.include('is locked by another runbook run ($HOME/.cache/runbook/run.lock: \\x1b]0;pwned\\x07\\x1b[2Jevil)');
      expect(out).to.not.include('\u001b]0;');
      expect(out).to.not.include('\u001b[2J');
    } finally {
      await onHost(lab, 'lock1', 'kill "$(cat /tmp/holder.pid)"');
    }
  });
});
