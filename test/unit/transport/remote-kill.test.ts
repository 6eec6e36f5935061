// The abort kill script: finds only the marked command, never itself, TERM then KILL of the whole group.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { commandMarker, killScript } from '../../../src/transport/remote-kill.js';
import { remoteCommand } from '../../../src/transport/script.js';

function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('remote kill', () => {
  it('makes unique markers and refuses anything else', () => {
    const a = commandMarker();
    expect(a).to.match(/^runbook-[0-9a-f]{12}$/);
    expect(commandMarker()).to.not.equal(a);
    expect(() => killScript("runbook-x'; rm -rf /", 1)).to.throw();
  });

  it('puts the marker as $0 of /bin/sh on the command line, and in its environment', () => {
    expect(remoteCommand("echo 'a'", 'runbook-abc', 'h')).to.equal(`exec env RUNBOOK_MARKER=runbook-abc /bin/sh -c 'echo '\\''a'\\''' runbook-abc`);
  });

  it('kills a marked command that replaced its shell with exec (no marker in its argv), found by its environment', async () => {
    const marker = commandMarker();
    const victim = spawn('/bin/sh', ['-c', 'exec sleep 62', marker], { detached: true, stdio: 'ignore', env: { ...process.env, RUNBOOK_MARKER: marker } });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const killer = spawn('/bin/sh', ['-c', killScript(marker, 1)], { stdio: 'ignore' });
      const code = await new Promise<number | null>((r) => killer.on('close', r));
      expect(code).to.equal(0);
      expect(running(victim.pid!)).to.equal(false);
    } finally {
      try {
        process.kill(-victim.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  });

  it('kills the marked command and what it started, and nothing else', async () => {
    const marker = commandMarker();
    // The same shape sshd produces: /bin/sh as a session leader with the marker as $0.
    const victim = spawn('/bin/sh', ['-c', 'sleep 60 & echo $!; wait', marker], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const bystander = spawn('/bin/sh', ['-c', 'sleep 60', commandMarker()], { detached: true, stdio: 'ignore' });
    try {
      const child = Number(await new Promise<string>((r) => victim.stdout!.once('data', (d: Buffer) => r(d.toString()))));
      const killer = spawn('/bin/sh', ['-c', killScript(marker, 1)], { stdio: 'ignore' });
      const code = await new Promise<number | null>((r) => killer.on('close', r));
      expect(code).to.equal(0);
      expect(running(child)).to.equal(false);
      expect(running(victim.pid!)).to.equal(false);
      expect(running(bystander.pid!)).to.equal(true);
    } finally {
      try {
        process.kill(-bystander.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      try {
        process.kill(-victim.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  });
});
