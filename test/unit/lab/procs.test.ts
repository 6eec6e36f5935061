// The lab ends processes by PID only after checking what the PID runs.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { isNspawnFor, processAlive, processArgv, waitGone } from '../../../src/lab/procs.js';

describe('lab/procs', () => {
  it('tells a live process from an ended one, and checks what a PID runs before trusting it', async () => {
    expect(processAlive(process.pid)).to.equal(true);
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid!;
    // Between fork and exec the child still shows node's argv; wait for the exec.
    let argv = await processArgv(pid);
    for (let i = 0; i < 100 && argv?.[0] !== 'sleep'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      argv = await processArgv(pid);
    }
    expect(argv).to.deep.equal(['sleep', '30']);
    // A PID that is not systemd-nspawn on that root is never taken for one.
    expect(await isNspawnFor(pid, '/var/lib/runbook-lab/labs/x/hosts/h/root')).to.equal(false);
    child.kill('SIGKILL');
    expect(await waitGone([pid], 5000)).to.equal(true);
    expect(processAlive(pid)).to.equal(false);
  });
});
