// become_method su for real: a local sshd, a login user and a target user with passwords (both removed
// afterwards); the controller's own root password is never touched, so the target is not root here
// (test/integration/become-su.test.ts does root on a lab host).
import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { BecomeFailure } from '../../../src/transport/become.js';
import { openLocal } from '../../../src/transport/local.js';
import { openSsh } from '../../../src/transport/ssh.js';
import type { BecomeOptions, Transport } from '../../../src/transport/types.js';
import { createTempUser, tempUserUnavailable, type TempUser } from './local-user.js';
import { sshdAvailable, startSshd, type TestSshd } from './sshd.js';

const LOGIN = 'rbsulog';
const TARGET = 'rbsutgt';
const PASSWORD = `Su& =+!@%'"pw-${randomBytes(4).toString('hex')}`;

describe('become with su (real su over a pty, temp users rbsulog and rbsutgt)', function () {
  this.timeout(60_000);
  let sshd: TestSshd | undefined;
  const users: TempUser[] = [];
  const opened: Transport[] = [];
  const su = (extra: Partial<BecomeOptions> = {}): BecomeOptions => ({ method: 'su', user: TARGET, password: PASSWORD, ...extra });

  before(async function () {
    const why = sshdAvailable() ? (await tempUserUnavailable(LOGIN)) ?? (await tempUserUnavailable(TARGET)) : 'sshd is not installed';
    if (why) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    users.push(await createTempUser(LOGIN, `login-${PASSWORD}`));
    users.push(await createTempUser(TARGET, PASSWORD));
    sshd = await startSshd();
  });

  after(async () => {
    for (const t of opened) await t.close().catch(() => {});
    await sshd?.stop();
    for (const u of users) await u.remove();
  });

  const open = async (login: string): Promise<Transport> => {
    const t = await openSsh(sshd!.spec({ user: login }), { env: {} });
    opened.push(t);
    return t;
  };

  it('types the password at the prompt: runs as the target, stdout, stderr and status as without a pty', async () => {
    const t = await open(LOGIN);
    const r = await t.exec(`id -un; printf 'a\\r\\nb\\n'; echo oops >&2; exit 3`, { become: su() });
    expect(r).to.deep.equal({ stdout: `${TARGET}\na\r\nb\n`, stderr: 'oops\n', code: 3 });
  });

  it('carries stdin byte for byte, control characters and all, and a large one whole', async () => {
    const t = await open(LOGIN);
    const small = Buffer.from('line1\r\nline2\x03\x04\x1a\x11\x13\x7f\x00end', 'latin1');
    const r1 = await t.exec('od -An -tx1 -v | tr -d " \\n"', { stdin: small, become: su() });
    expect(r1.stdout).to.equal(small.toString('hex'));
    const big = randomBytes(300_000);
    const r2 = await t.exec('tee /dev/stderr | sha256sum | cut -c1-64', { stdin: big, become: su() });
    expect(r2.stdout).to.equal(`${createHash('sha256').update(big).digest('hex')}\n`);
    expect(Buffer.from(r2.stderr, 'latin1').length, 'stderr carried separately').to.be.greaterThan(0);
  });

  it('streams stdout as it comes, never the markers', async () => {
    const t = await open(LOGIN);
    // The command waits for a file the callback makes on seeing "one": it ends only if "one" streamed.
    const flag = `/tmp/runbook-su-stream-${randomBytes(6).toString('hex')}`;
    const seen: string[] = [];
    const r = await t.exec(`echo one; while [ ! -e ${flag} ]; do sleep 0.05; done; echo two`, {
      become: su(),
      onOutput: (c, s) => {
        seen.push(`${s}:${c}`);
        if (c.includes('one')) writeFileSync(flag, '');
      },
    });
    rmSync(flag, { force: true });
    expect(r.stdout).to.equal('one\ntwo\n');
    expect(seen.join('')).to.equal('stdout:one\nstdout:two\n');
  });

  it('the password is on no command line while su runs', async () => {
    const t = await open(LOGIN);
    const r = await t.exec('ps -eo args', { become: su() });
    expect(r.code).to.equal(0);
    expect(r.stdout).to.match(/(^|\n)su rbsutgt -c /);
    expect(r.stdout.includes(PASSWORD)).to.equal(false);
  });

  it('a wrong password is a BecomeFailure naming the host and saying so, without the password', async () => {
    const t = await open(LOGIN);
    const err = await t.exec('id', { become: su({ password: 'not-the-password' }) }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BecomeFailure);
    expect((err as Error).message).to.equal(`su from ${LOGIN} to ${TARGET} on ${t.host} failed: incorrect su password`);
  });

  it('no password where su asks for one fails at once, saying how to give one', async () => {
    const t = await open(LOGIN);
    const err = await t.exec('id', { become: su({ password: undefined }) }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BecomeFailure);
    expect((err as Error).message).to.include('asks for rbsutgt');
    expect((err as BecomeFailure).hint).to.include('ansible_become_password');
  });

  it('from root su asks nothing, and a password given is never sent', async () => {
    const t = await open('root');
    const r = await t.exec('id -un; cat', { stdin: 'only this\n', become: su() });
    expect(r).to.deep.equal({ stdout: `${TARGET}\nonly this\n`, stderr: '', code: 0 });
  });

  it('the local transport runs su on a pty of its own (script), from root here', async () => {
    const t = openLocal('localhost');
    opened.push(t);
    const r = await t.exec('id -un; cat; echo e >&2; exit 4', { stdin: 'local\r\n\x04x', become: su() });
    expect(r).to.deep.equal({ stdout: `${TARGET}\nlocal\r\n\x04x`, stderr: 'e\n', code: 4 });
  });

  it('an unknown become user fails clearly', async () => {
    const t = await open('root');
    const err = await t.exec('id', { become: su({ user: 'rbsu-nobody-here' }) }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BecomeFailure);
    expect((err as Error).message).to.match(/su from root to rbsu-nobody-here on .* failed.*rbsu-nobody-here/);
  });
});
