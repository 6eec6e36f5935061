// The run lock's holder script, run for real with /bin/sh on a temporary file, and its once-per-connection sharing.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskFailure } from '../../../src/core/errors.js';
import { holderInfo, lockScript, takeHostLock } from '../../../src/executor/host-lock.js';
import type { ExecOptions, ExecResult, Transport } from '../../../src/transport/types.js';

function sh(script: string): { out: Promise<{ code: number | null; stdout: string }>; firstLine: Promise<string>; kill(): void } {
  const child = spawn('/bin/sh', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  let resolveLine: (l: string) => void = () => {};
  const firstLine = new Promise<string>((r) => (resolveLine = r));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('\n')) resolveLine(stdout.split('\n')[0]!);
  });
  const out = new Promise<{ code: number | null; stdout: string }>((r) => child.on('close', (code) => r({ code, stdout })));
  return { out, firstLine, kill: () => child.kill('SIGTERM') };
}

describe('host run lock', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'runbook-lock-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the first holder writes who it is; a second is refused naming it (exit 75); the lock frees when the holder dies', async () => {
    const file = join(dir, 'a.lock');
    const first = sh(lockScript('fail', 'controller=c1 pid=1 user=u started=t', file));
    expect(await first.firstLine).to.match(/^runbook-lock: acquired pid=\d+$/);
    expect(readFileSync(file, 'utf8')).to.equal('controller=c1 pid=1 user=u started=t\n');
    const second = await sh(lockScript('fail', 'controller=c2 pid=2 user=u started=t', file)).out;
    expect(second.code).to.equal(75);
    expect(second.stdout).to.include('runbook-lock: held by controller=c1 pid=1');
    first.kill();
    await first.out;
    const third = sh(lockScript('fail', 'controller=c3 pid=3 user=u started=t', file));
    expect(await third.firstLine).to.match(/acquired/);
    third.kill();
    await third.out;
  });

  it('with a kept-copies dir, removes the files earlier runs left there before saying it holds the lock', async () => {
    const kept = join(dir, 'kept');
    mkdirSync(kept);
    for (const f of ['redis.conf.Ab12Cd34', '.env.Ef56Gh78']) writeFileSync(join(kept, f), 'old\n');
    const holder = sh(lockScript('fail', 'one', join(dir, 'c.lock'), kept));
    expect(await holder.firstLine).to.match(/acquired/);
    expect(readdirSync(kept), 'both copies gone, the dir kept').to.deep.equal([]);
    holder.kill();
    await holder.out;
    // Without one (a login's shared lock in /tmp), nothing is removed.
    writeFileSync(join(kept, 'app.conf.Ij90Kl12'), 'old\n');
    const other = sh(lockScript('fail', 'two', join(dir, 'c.lock')));
    await other.firstLine;
    expect(readdirSync(kept)).to.deep.equal(['app.conf.Ij90Kl12']);
    other.kill();
    await other.out;
  });

  it('mode wait blocks until the holder is gone', async () => {
    const file = join(dir, 'b.lock');
    const first = sh(lockScript('fail', 'one', file));
    await first.firstLine;
    const waiter = sh(lockScript('wait', 'two', file));
    const order: string[] = [];
    void waiter.firstLine.then(() => order.push('waiter'));
    await new Promise((r) => setTimeout(r, 300));
    order.push('killed first');
    first.kill();
    await waiter.firstLine;
    expect(order).to.deep.equal(['killed first', 'waiter']);
    expect(readFileSync(file, 'utf8')).to.equal('two\n');
    waiter.kill();
    await waiter.out;
  });

  it('names no secret: only controller, pid, user and start time', () => {
    expect(holderInfo(new Date('2026-01-02T03:04:05Z'))).to.match(/^controller=\S+ pid=\d+ user=\S+ started=2026-01-02T03:04:05\.000Z$/);
  });

  it('turns a held lock into a TaskFailure naming the holder, once per connection', async () => {
    let calls = 0;
    const t: Transport = {
      host: 'h1',
      async exec(_s: string, _o?: ExecOptions): Promise<ExecResult> {
        calls++;
        return { stdout: 'runbook-lock: held by controller=x pid=42 user=u started=t\n', stderr: '', code: 75 };
      },
      async forward() { throw new Error('no'); },
      async close() {},
    };
    const a = takeHostLock(t, 'fail');
    const b = takeHostLock(t, 'fail');
    const err = await a.catch((e: unknown) => e);
    await b.catch(() => {});
    expect(err).to.be.instanceOf(TaskFailure);
    expect((err as Error).message).to.equal('h1 is locked by another runbook run (/run/runbook.lock: controller=x pid=42 user=u started=t)');
    expect(calls).to.equal(1);
    expect(await takeHostLock(t, 'off')).to.equal(undefined);
  });
});
