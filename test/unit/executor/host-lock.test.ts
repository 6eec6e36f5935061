// The run lock's holder script, run for real with /bin/sh on a temporary file, and its once-per-connection sharing.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TaskFailure } from '../../../src/core/errors.js';
import { holderInfo, LOCK_FILE, lockScript, releaseHostLocks, takeHostLock, USER_LOCK_FILE } from '../../../src/executor/host-lock.js';
import type { ExecOptions, ExecResult, Transport } from '../../../src/transport/types.js';

/** Runs a holder as the transports do (keepStdinOpen): its stdin stays open until hangUp(), as a connection would. */
function sh(script: string, env: NodeJS.ProcessEnv = process.env): { out: Promise<{ code: number | null; stdout: string; stderr: string }>; firstLine: Promise<string>; kill(): void; hangUp(): void } {
  const child = spawn('/bin/sh', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'], env });
  child.stdin.on('error', () => {});
  let stdout = '';
  let resolveLine: (l: string) => void = () => {};
  const firstLine = new Promise<string>((r) => (resolveLine = r));
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.includes('\n')) resolveLine(stdout.split('\n')[0]!);
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const out = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) => child.on('close', (code) => r({ code, stdout, stderr })));
  return { out, firstLine, kill: () => child.kill('SIGTERM'), hangUp: () => child.stdin.end() };
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

  it('frees the lock when its stdin closes (the connection died), with no heartbeat output meanwhile', async () => {
    const file = join(dir, 'hangup.lock');
    const first = sh(lockScript('fail', 'one', file));
    expect(await first.firstLine).to.match(/acquired/);
    expect((await sh(lockScript('fail', 'two', file)).out).code).to.equal(75);
    first.hangUp();
    const done = await first.out;
    expect(done.code).to.equal(0);
    expect(done.stdout.split('\n').slice(1).join('')).to.equal('');
    const next = sh(lockScript('fail', 'three', file));
    expect(await next.firstLine).to.match(/acquired/);
    next.kill();
    await next.out;
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

  it('the end of the run frees the lock by ending the holder\'s stdin: no second command, the lock free at once', async () => {
    // A transport running each script under /bin/sh here, honouring keepStdinOpen and endStdin as ssh and local do;
    // the lock file and the kept-copies dir point into the test's folder.
    const file = join(dir, 'release.lock');
    const scripts: string[] = [];
    const t: Transport = {
      host: 'h-release',
      exec(script: string, o: ExecOptions = {}): Promise<ExecResult> {
        scripts.push(script);
        const child = spawn('/bin/sh', ['-c', script.split(LOCK_FILE).join(file)], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, RUNBOOK_BACKUP_DIR: join(dir, 'no-backups') } });
        child.stdin.on('error', () => {});
        let stdout = '';
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          o.onOutput?.(d.toString(), 'stdout');
        });
        if (o.keepStdinOpen) o.endStdin?.addEventListener('abort', () => child.stdin.end(), { once: true });
        else child.stdin.end();
        return new Promise((resolve) => child.on('close', (code) => resolve({ stdout, stderr: '', code })));
      },
      async forward() { throw new Error('no'); },
      async close() {},
    };
    await takeHostLock(t, 'fail', { user: 'root' });
    expect((await sh(lockScript('fail', 'other run', file)).out).code, 'held while the run lasts').to.equal(75);
    await releaseHostLocks();
    expect(scripts, 'only the holder was sent').to.have.length(1);
    const next = sh(lockScript('fail', 'next run', file));
    expect(await next.firstLine).to.match(/acquired/);
    next.kill();
    await next.out;
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

  it('a lock this very run holds (another inventory name for the same machine, an add_host alias) is not a conflict', async () => {
    const t: Transport = {
      host: 'alias',
      async exec(): Promise<ExecResult> {
        return { stdout: `runbook-lock: held by ${holderInfo()}\n`, stderr: '', code: 75 };
      },
      async forward() { throw new Error('no'); },
      async close() {},
    };
    expect(await takeHostLock(t, 'fail')).to.equal(undefined);
  });

  describe("a login's own lock ($HOME/.cache/runbook/run.lock)", () => {
    let home: string;
    const env = (): NodeJS.ProcessEnv => ({ ...process.env, HOME: home });
    beforeEach(() => {
      home = mkdtempSync(join(tmpdir(), 'runbook-lock-home-'));
      writeFileSync(join(home, '.bashrc'), 'export KEEP=1\n');
    });
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    it('lives in a 0700 folder of the login, created on first use', async () => {
      const holder = sh(lockScript('fail', 'one', USER_LOCK_FILE), env());
      expect(await holder.firstLine).to.match(/acquired/);
      const dir = join(home, '.cache', 'runbook');
      expect(statSync(dir).mode & 0o777).to.equal(0o700);
      expect(readFileSync(join(dir, 'run.lock'), 'utf8')).to.equal('one\n');
      const second = await sh(lockScript('fail', 'two', USER_LOCK_FILE), env()).out;
      expect(second.code).to.equal(75);
      expect(second.stdout).to.include('runbook-lock: held by one');
      holder.kill();
      await holder.out;
    });

    it('a looser folder is tightened to 0700', async () => {
      mkdirSync(join(home, '.cache', 'runbook'), { recursive: true, mode: 0o755 });
      chmodSync(join(home, '.cache', 'runbook'), 0o755);
      const holder = sh(lockScript('fail', 'one', USER_LOCK_FILE), env());
      await holder.firstLine;
      expect(statSync(join(home, '.cache', 'runbook')).mode & 0o777).to.equal(0o700);
      holder.kill();
      await holder.out;
    });

    it('refuses a symbolic link planted at the lock file, and the file it points to is untouched', async () => {
      mkdirSync(join(home, '.cache', 'runbook'), { recursive: true, mode: 0o700 });
      symlinkSync(join(home, '.bashrc'), join(home, '.cache', 'runbook', 'run.lock'));
      const r = await sh(lockScript('fail', 'one', USER_LOCK_FILE), env()).out;
      expect(r.code).to.equal(1);
      expect(r.stderr).to.match(/runbook-lock: .*run\.lock is a symbolic link; remove it/);
      expect(readFileSync(join(home, '.bashrc'), 'utf8')).to.equal('export KEEP=1\n');
    });

    it('refuses a folder that is a link, and a lock file another user owns', async function () {
      mkdirSync(join(home, '.cache'), { mode: 0o700 });
      mkdirSync(join(home, 'elsewhere'), { mode: 0o700 });
      symlinkSync(join(home, 'elsewhere'), join(home, '.cache', 'runbook'));
      const linked = await sh(lockScript('fail', 'one', USER_LOCK_FILE), env()).out;
      expect(linked.code).to.equal(1);
      expect(linked.stderr).to.match(/is not a folder owned by/);
      expect(readdirSync(join(home, 'elsewhere'))).to.deep.equal([]);
      if (process.getuid?.() !== 0) return;
      rmSync(join(home, '.cache', 'runbook'));
      mkdirSync(join(home, '.cache', 'runbook'), { mode: 0o700 });
      writeFileSync(join(home, '.cache', 'runbook', 'run.lock'), 'planted\n');
      chownSync(join(home, '.cache', 'runbook', 'run.lock'), 65534, 65534);
      const foreign = await sh(lockScript('fail', 'one', USER_LOCK_FILE), env()).out;
      expect(foreign.code).to.equal(1);
      expect(foreign.stderr).to.match(/run\.lock is not a regular file owned by/);
      expect(lstatSync(join(home, '.cache', 'runbook', 'run.lock')).uid).to.equal(65534);
    });
  });

  it("prints what a held lock's file says inert: terminal escapes become visible text", async () => {
    const t: Transport = {
      host: 'h2',
      async exec(): Promise<ExecResult> {
        return { stdout: 'runbook-lock: held by \u001b]0;pwned\u0007\u001b[2Jcontroller=x\u009b31m\n', stderr: '', code: 75 };
      },
      async forward() { throw new Error('no'); },
      async close() {},
    };
    const err = (await takeHostLock(t, 'fail').catch((e: unknown) => e)) as Error;
    expect(err).to.be.instanceOf(TaskFailure);
    expect(err.message).to.not.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(err.message).to.include('\\x1b]0;pwned\\x07\\x1b[2Jcontroller=x\\x9b31m');
  });
});
