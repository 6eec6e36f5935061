// sudo become for real, over ssh and locally, with a throwaway local user `rbtest` (root only; removed afterwards).
import { expect } from 'chai';
import { BecomeFailure } from '../../../src/transport/become.js';
import { openLocal } from '../../../src/transport/local.js';
import { openSsh } from '../../../src/transport/ssh.js';
import type { Transport } from '../../../src/transport/types.js';
import { createTempUser, tempUserUnavailable, type TempUser } from './local-user.js';
import { sshdAvailable, startSshd, type TestSshd } from './sshd.js';

const USER = 'rbtest';
const PASSWORD = `Rb& =+!@%'"pw`;

describe('become with sudo (real sudo, temp user rbtest)', function () {
  let sshd: TestSshd | undefined;
  let user: TempUser | undefined;
  const opened: Transport[] = [];

  before(async function () {
    const why = sshdAvailable() ? await tempUserUnavailable(USER) : 'sshd is not installed';
    if (why) {
      console.log(`    skipped: ${why}`);
      this.skip();
    }
    user = await createTempUser(USER, PASSWORD);
    sshd = await startSshd({ passwordAuthentication: true });
  });

  after(async () => {
    for (const t of opened) await t.close().catch(() => {});
    await sshd?.stop();
    await user?.remove();
  });

  const open = async (login: string, extra: { password?: string; noKey?: boolean } = {}): Promise<Transport> => {
    const base = sshd!.spec({ user: login, ...(extra.password ? { password: extra.password } : {}) });
    if (extra.noKey) delete base.privateKeyFile;
    const t = await openSsh(base, { env: {} });
    opened.push(t);
    return t;
  };

  it('root to rbtest without a password: runs as rbtest with rbtest’s HOME, stdin intact', async () => {
    const t = await open('root');
    const r = await t.exec('id -un; echo "$HOME"; cat', { stdin: 'payload\n', become: { user: USER } });
    expect(r).to.deep.equal({ stdout: `${USER}\n/home/${USER}\npayload\n`, stderr: '', code: 0 });
  });

  it('a password sudo does not need (root) is dropped, never fed to the script', async () => {
    const t = await open('root');
    const r = await t.exec('cat', { stdin: 'only this\n', become: { user: USER, password: PASSWORD } });
    expect(r.stdout).to.equal('only this\n');
  });

  it('rbtest to root with its password: runs as root, stdin intact, password in no process argv', async () => {
    const t = await open(USER);
    const r = await t.exec('id -un; cat; ps -eo args', { stdin: 'line1\nline2\n', become: { password: PASSWORD } });
    expect(r.code).to.equal(0);
    const [who, l1, l2, ...ps] = r.stdout.split('\n');
    expect([who, l1, l2]).to.deep.equal(['root', 'line1', 'line2']);
    expect(ps.join('\n')).to.include('sudo -H -A');
    expect(r.stdout).to.not.include(PASSWORD);
  });

  it('a wrong password fails clearly instead of hanging', async () => {
    const t = await open(USER);
    const err = await t.exec('cat', { stdin: 'a\nb\nc\n', become: { password: 'not-the-password' } }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BecomeFailure);
    expect((err as Error).message).to.include('incorrect sudo password');
  });

  it('no password where sudo wants one fails at once, saying how to give one', async () => {
    const t = await open(USER);
    const err = await t.exec('id', { become: {} }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BecomeFailure);
    expect((err as BecomeFailure).hint).to.include('ansible_become_password');
  });

  it('logs in with a password (no key, no agent)', async () => {
    const t = await open(USER, { password: PASSWORD, noKey: true });
    expect((await t.exec('id -un')).stdout).to.equal(`${USER}\n`);
  });

  it('an abort on a non-root login stops the remote command', async () => {
    const t = await open(USER);
    const ac = new AbortController();
    const err = await t.exec('echo go; sleep 61', { signal: ac.signal, onOutput: () => ac.abort() }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    let left = 'x';
    for (let i = 0; i < 40 && left !== ''; i++) {
      left = (await t.exec('ps -u rbtest -o args= | grep "^sleep 6[1]" || true')).stdout;
      if (left !== '') await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).to.equal('');
  });

  it('the local transport becomes rbtest the same way', async () => {
    const t = openLocal('localhost');
    opened.push(t);
    const r = await t.exec('id -un; cat', { stdin: 'local\n', become: { user: USER } });
    expect(r.stdout).to.equal(`${USER}\nlocal\n`);
  });
});
