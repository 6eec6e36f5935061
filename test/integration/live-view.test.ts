// Issue 5's "seeing what happens", on real lab hosts: on a terminal (a pty from util-linux's
// `script`) a task that takes a while shows a live block (hosts running, alive with output) that is
// redrawn in place and then replaced by the usual lines and recap; through a pipe, not one escape byte.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { screen } from '../unit/output/fake-terminal.js';
import { getLab, type Lab } from './lab/fixture.js';
import { parseHumanRecap } from './support/human-recap.js';
import { REPO, runbook } from './support/runbook.js';

const BIN = join(REPO, 'bin/runbook.js');
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI with a pseudo-terminal as its stdout (as a person at a terminal would), returning what it wrote. */
function runOnPty(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; text: string }> {
  const cmd = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, text }));
  });
}

describe('live view and timing summary on real hosts', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let playbook: string;
  let inventory: string;

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'live1', groups: ['app'] }, { name: 'live2', groups: ['app'] }] });
    work = mkdtempSync(join(tmpdir(), 'runbook-live-'));
    const hosts: Record<string, unknown> = {};
    for (const h of lab.hosts) hosts[h.name] = { ansible_host: h.address };
    inventory = join(work, 'inventory.yml');
    writeFileSync(inventory, stringify({ all: { vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile }, children: { app: { hosts } } } }));
    playbook = join(work, 'play.yml');
    // A command that prints for a few seconds, like a package install: long enough for several redraws.
    writeFileSync(playbook, stringify([{
      name: 'slow work',
      hosts: 'app',
      gather_facts: false,
      tasks: [
        { name: 'print for a while', shell: 'for i in 1 2 3 4 5 6 7 8; do echo "step $i"; sleep 0.5; done' },
        { name: 'quick one', command: 'true' },
      ],
    }]));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('on a terminal: redraws a live block in place, then leaves the usual lines, the recap and the timings', async () => {
    const run = await runOnPty(['apply', playbook, '-i', inventory], { NO_COLOR: '1', TERM: 'xterm' });
    expect(run.code, run.text).to.equal(0);
    const raw = run.text;
    // The block was drawn and redrawn: erase-line, cursor-up, a running host, a spinner, that it is alive.
    expect(raw).to.contain('\x1b[2K');
    expect(raw).to.match(/\x1b\[\d+A/);
    expect(raw).to.match(/TASK \[print for a while\] \d+(\.\d)?s {2}\(2 running\)/);
    expect(raw).to.match(/ live1 +running +\d+(\.\d)?s/);
    expect(raw).to.match(/alive, last output \ds ago/);

    // What stays on the screen reads like the output without a terminal.
    const shown = screen(raw.replace(/\r\n/g, '\n')).join('\n');
    expect(shown).to.not.contain('running');
    expect(shown).to.match(/TASK \[print for a while\] \*+\nchanged: \[live\d\]\nchanged: \[live\d\]\n/);
    expect(parseHumanRecap(shown)).to.deep.equal({
      live1: { ok: 2, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
      live2: { ok: 2, changed: 2, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    });
    const tail = shown.slice(shown.indexOf('PLAY RECAP'));
    expect(tail).to.match(/SLOWEST TASKS \*+\nprint for a while \[live\d\] -+ \d+\.\d\ds\n/);
    expect(tail).to.match(/\nlive1 +: busy +\d+\.\d\ds {3}span +\d+\.\d\ds\n/);
    expect(tail).to.match(/RUN TIME: \d+\.\d\ds/);
  });

  it('through a pipe: plain lines, no escape byte, and the same recap and timings', async () => {
    const run = await runbook(['apply', playbook, '-i', inventory], { env: { TERM: 'xterm' } });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.not.contain('\x1b');
    expect(run.stderr).to.not.contain('\x1b');
    expect(run.stdout).to.match(/TASK \[print for a while\] \*+\nchanged: \[live\d\]\nchanged: \[live\d\]\n/);
    expect(parseHumanRecap(run.stdout).live2).to.include({ ok: 2, changed: 2, failed: 0 });
    expect(run.stdout).to.match(/SLOWEST TASKS \*+\nprint for a while \[live\d\] -+ \d+\.\d\ds\n/);
  });
});
