// What `runbook lab status` prints: the user's lab is "the lab", never "lab lab".
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labCommand } from '../../../src/lab/command.js';
import { labTitle } from '../../../src/lab/names.js';

/** A state file as `lab up` leaves it, for hosts that were never started (no PID), so status needs no root. */
async function labDirWithState(name: string, subnet: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lab-command-'));
  const state = {
    version: 1, name, dir, subnet, bridge: `rb-${name}`, bridgeAddress: '10.77.0.1', root: '/nonexistent',
    runtimeDir: join(dir, 'runtime'),
    hosts: [{ name: 'redis1', groups: ['redis'], index: 0, address: '10.77.0.11', netns: 'x', veth: 'x', dir: 'x', upper: 'x', work: 'x', merged: 'x', keysDir: 'x', logFile: 'x' }],
  };
  await writeFile(join(dir, 'state.json'), JSON.stringify(state));
  return dir;
}

async function statusLines(dir: string): Promise<string[]> {
  const lines: string[] = [];
  await labCommand({ action: 'status', dir }, (l) => lines.push(l));
  return lines;
}

describe('lab/command: messages', () => {
  it('calls the default lab "lab", not "lab lab", in status', async () => {
    const dir = await labDirWithState('lab', '10.77.0.0/24');
    try {
      const lines = await statusLines(dir);
      expect(lines[0]).to.match(/^lab on 10\.77\.0\.0\/24, inventory /);
      expect(lines.join('\n')).not.to.include('lab lab');
      expect(lines[1]).to.match(/^redis1 +10\.77\.0\.11 +stopped$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names any other lab by its name', async () => {
    const dir = await labDirWithState('t0', '10.78.0.0/24');
    try {
      expect((await statusLines(dir))[0]).to.match(/^lab t0 on 10\.78\.0\.0\/24, /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('labTitle: "lab" for the default name, "lab NAME" otherwise', () => {
    expect(labTitle('lab')).to.equal('lab');
    expect(labTitle('t3')).to.equal('lab t3');
  });
});
