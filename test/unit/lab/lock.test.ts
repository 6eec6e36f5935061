// The lock that keeps two builds or two `lab up` of one lab apart.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withLock } from '../../../src/lab/lock.js';

describe('lab/lock', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'runbook-lab-lock-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs callers of one process one at a time', async () => {
    const lock = join(dir, 'a.lock');
    const events: string[] = [];
    const job = (name: string) =>
      withLock(lock, async () => {
        events.push(`${name} in`);
        await new Promise((r) => setTimeout(r, 20));
        events.push(`${name} out`);
      });
    await Promise.all([job('a'), job('b')]);
    expect(events).to.deep.equal(['a in', 'a out', 'b in', 'b out']);
    expect(existsSync(lock)).to.equal(false);
  });

  it('takes over a lock left by a dead process', async () => {
    const lock = join(dir, 'b.lock');
    await writeFile(lock, '999999999\n');
    expect(await withLock(lock, async () => 'ran', { waitMs: 1000 })).to.equal('ran');
  });

  it('releases the lock when the job throws', async () => {
    const lock = join(dir, 'c.lock');
    let caught: unknown;
    await withLock(lock, async () => {
      throw new Error('boom');
    }).catch((err: unknown) => (caught = err));
    expect((caught as Error).message).to.equal('boom');
    expect(existsSync(lock)).to.equal(false);
  });
});
