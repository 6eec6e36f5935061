// sudo wrapping: the password goes on stdin only, never into argv or the script's own stdin; sudo refusals read clearly.
import { expect } from 'chai';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BecomeFailure, becomeTarget, checkBecome, wrapBecome } from '../../../src/transport/become.js';
import type { ExecResult } from '../../../src/transport/types.js';
import { runSh } from '../modules/lib/action-ctx.js';

const PASSWORD = "p&ss = +!@% 'q' \"d\" $HOME";

// Stands in for sudo on PATH: logs its argv, asks for the password unless NOPASSWD, then runs the command.
const FAKE_SUDO = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_SUDO_LOG"
nonint=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) nonint=1 ;;
    -S|-H) ;;
    -p|-u) shift ;;
    --) shift; break ;;
    *) break ;;
  esac
  shift
done
if [ "$FAKE_SUDO_NOPASSWD" != 1 ]; then
  if [ $nonint = 1 ]; then echo 'sudo: a password is required' >&2; exit 1; fi
  IFS= read -r pw
  if [ "$pw" != "$FAKE_SUDO_PASSWORD" ]; then echo 'Sorry, try again.' >&2; echo 'sudo: 1 incorrect password attempt' >&2; exit 1; fi
fi
exec "$@"
`;

describe('become', () => {
  describe('wrapBecome (shape)', () => {
    it('leaves the script alone without become, or when already the target user', () => {
      expect(wrapBecome('id', 'in', undefined, 'deploy')).to.deep.equal({ script: 'id', stdin: 'in' });
      expect(wrapBecome('id', undefined, { user: 'deploy', password: 'x' }, 'deploy')).to.deep.equal({ script: 'id' });
      expect(becomeTarget({}, 'root')).to.equal(undefined);
      expect(becomeTarget({}, 'deploy')).to.equal('root');
    });

    it('uses sudo -n without a password, stdin untouched', () => {
      const w = wrapBecome("echo 'hi'", 'data', { user: 'postgres' }, 'deploy');
      expect(w.script).to.equal(`exec sudo -H -n -u postgres -- /bin/sh -c 'echo '\\''hi'\\'''`);
      expect(w.stdin).to.equal('data');
    });

    it('puts the password as the first stdin line, the original stdin after it, and nowhere in the script', () => {
      const w = wrapBecome('cat > /etc/x', Buffer.from('content\n'), { user: 'root', password: PASSWORD }, 'deploy');
      expect(w.script).to.not.include(PASSWORD);
      expect(w.script).to.include("sudo -H -S -p '' -u root -- /bin/sh -c 'cat > /etc/x'");
      expect(Buffer.isBuffer(w.stdin) && w.stdin.toString()).to.equal(`${PASSWORD}\ncontent\n`);
    });

    it('refuses a password sudo could not read as one line', () => {
      expect(() => wrapBecome('id', undefined, { password: 'a\nb' }, 'deploy', 'web1')).to.throw(BecomeFailure, /line break/);
    });
  });

  describe('wrapBecome (run against a fake sudo)', () => {
    let dir: string;
    let log: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'runbook-become-'));
      log = join(dir, 'argv.log');
      await writeFile(join(dir, 'sudo'), FAKE_SUDO);
      await chmod(join(dir, 'sudo'), 0o755);
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });
    beforeEach(async () => {
      await writeFile(log, '');
    });

    const run = (script: string, stdin: string, password: string | undefined, env: Record<string, string>): Promise<ExecResult> => {
      const w = wrapBecome(script, stdin, password === undefined ? { user: 'root' } : { user: 'root', password }, 'deploy');
      // A fake sudo that refuses exits without reading stdin; runSh ignores the EPIPE that may follow.
      return runSh(w.script, { stdin: w.stdin, env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, FAKE_SUDO_LOG: log, FAKE_SUDO_PASSWORD: PASSWORD, ...env } });
    };

    it('sudo asks: the password reaches sudo, the script gets exactly the original stdin', async () => {
      const r = await run('cat', 'line1\nline2\n', PASSWORD, {});
      expect(r).to.deep.equal({ stdout: 'line1\nline2\n', stderr: '', code: 0 });
      const argv = await readFile(log, 'utf8');
      expect(argv).to.include('-S');
      expect(argv).to.not.include('p&ss');
    });

    it('sudo does not ask (NOPASSWD): the password is dropped, not fed to the script', async () => {
      const r = await run('cat', 'only this\n', PASSWORD, { FAKE_SUDO_NOPASSWD: '1' });
      expect(r.stdout).to.equal('only this\n');
      expect(await readFile(log, 'utf8')).to.not.include('p&ss');
    });

    it('a wrong password becomes a BecomeFailure saying so', async () => {
      const r = await run('cat', 'x\n', 'wrong', { FAKE_SUDO_PASSWORD: 'right' });
      expect(r.code).to.equal(1);
      expect(() => checkBecome(r, { user: 'root', password: 'wrong' }, 'deploy', 'web1')).to.throw(BecomeFailure, /web1.*incorrect sudo password/);
    });

    it('no password where sudo wants one: a BecomeFailure saying to give one, at once', async () => {
      const r = await run('cat', '', undefined, {});
      expect(() => checkBecome(r, { user: 'root' }, 'deploy', 'web1')).to.throw(BecomeFailure, /asks for a password and none was given/);
    });
  });

  describe('checkBecome', () => {
    it('leaves the script’s own failures alone', () => {
      expect(() => checkBecome({ stdout: '', stderr: 'boom\n', code: 1 }, { user: 'root' }, 'deploy', 'h')).to.not.throw();
      expect(() => checkBecome({ stdout: '', stderr: 'Sorry, try again.\n', code: 1 }, undefined, 'deploy', 'h')).to.not.throw();
    });

    it('recognises sudoers refusals and a missing sudo', () => {
      const notAllowed = { stdout: '', stderr: 'deploy is not in the sudoers file.  This incident will be reported.\n', code: 1 };
      expect(() => checkBecome(notAllowed, {}, 'deploy', 'h')).to.throw(BecomeFailure, /sudoers/);
      const missing = { stdout: '', stderr: 'sh: 1: sudo: not found\n', code: 127 };
      expect(() => checkBecome(missing, {}, 'deploy', 'h')).to.throw(BecomeFailure, /not installed/);
    });
  });
});
