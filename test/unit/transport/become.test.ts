// sudo wrapping: the password reaches sudo through askpass only, never argv, a file, or the script's own stdin; sudo refusals read clearly.
import { expect } from 'chai';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BecomeFailure, becomeTarget, checkBecome, wrapBecome } from '../../../src/transport/become.js';
import type { ExecResult } from '../../../src/transport/types.js';
import { runSh } from '../modules/lib/action-ctx.js';

const PASSWORD = "p&ss = +!@% 'q' \"d\" $HOME";

// Stands in for sudo on PATH: logs its argv, asks for the password (through askpass with -A, on stdin
// with -S) unless NOPASSWD applies, up to three tries as sudo does, then runs the command.
// FAKE_SUDO_SH_ONLY models `NOPASSWD: /bin/sh`: /bin/sh runs without a password, anything else needs one.
const FAKE_SUDO = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_SUDO_LOG"
nonint=0 askpass=0 prompt=
while [ $# -gt 0 ]; do
  case "$1" in
    -n) nonint=1 ;;
    -A) askpass=1 ;;
    -S|-H) ;;
    -p) shift; prompt=$1 ;;
    -u) shift ;;
    --) shift; break ;;
    *) break ;;
  esac
  shift
done
needs=1
[ "$FAKE_SUDO_NOPASSWD" = 1 ] && needs=0
[ "$FAKE_SUDO_SH_ONLY" = 1 ] && [ "$1" = /bin/sh ] && needs=0
if [ $needs = 1 ]; then
  if [ $nonint = 1 ]; then echo 'sudo: a password is required' >&2; exit 1; fi
  tries=0
  while :; do
    if [ $askpass = 1 ]; then
      echo asked >> "$FAKE_SUDO_LOG.askpass"
      pw=$("$SUDO_ASKPASS" "$prompt" < /dev/null) || pw=
    else
      IFS= read -r pw || pw=
    fi
    if [ -z "$pw" ]; then echo 'sudo: no password was provided' >&2; [ $tries -gt 0 ] && echo "sudo: $tries incorrect password attempt" >&2; exit 1; fi
    [ "$pw" = "$FAKE_SUDO_PASSWORD" ] && break
    tries=$((tries + 1))
    [ $tries -ge 3 ] && { echo 'sudo: 3 incorrect password attempts' >&2; exit 1; }
    echo 'Sorry, try again.' >&2
  done
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

    it('hands the wrapper the password as the first stdin line (it goes on to askpass), and puts it nowhere in the script', () => {
      const w = wrapBecome('cat > /etc/x', Buffer.from('content\n'), { user: 'root', password: PASSWORD }, 'deploy');
      expect(w.script).to.not.include(PASSWORD);
      expect(w.script).to.include('SUDO_ASKPASS=/bin/sh sudo -H -A -p "$rb_d/askpass" -u root -- /bin/sh -c \'cat > /etc/x\'');
      expect(w.script).to.not.match(/sudo[^\n]* -S/);
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
      await rm(`${log}.askpass`, { force: true });
    });

    const run = (script: string, stdin: string, password: string | undefined, env: Record<string, string>): Promise<ExecResult> => {
      const w = wrapBecome(script, stdin, password === undefined ? { user: 'root' } : { user: 'root', password }, 'deploy');
      // A fake sudo that refuses exits without reading stdin; runSh ignores the EPIPE that may follow.
      return runSh(w.script, { stdin: w.stdin, env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, TMPDIR: tmp, FAKE_SUDO_LOG: log, FAKE_SUDO_PASSWORD: PASSWORD, ...env } });
    };
    let tmp: string;
    beforeEach(async () => {
      tmp = await mkdtemp(join(dir, 'tmp-'));
    });
    afterEach(async () => {
      // Whatever happened, the wrapper removed its folder (askpass script and FIFO) from TMPDIR.
      expect(await readdir(tmp)).to.deep.equal([]);
    });
    const askpassCalls = async (): Promise<number> => (await readFile(`${log}.askpass`, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;

    it('sudo asks: the password reaches sudo, the script gets exactly the original stdin', async () => {
      const r = await run('cat', 'line1\nline2\n', PASSWORD, {});
      expect(r).to.deep.equal({ stdout: 'line1\nline2\n', stderr: '', code: 0 });
      const argv = await readFile(log, 'utf8');
      expect(argv).to.include('-A');
      expect(argv).to.not.include('p&ss');
      expect(await askpassCalls()).to.equal(1);
    });

    it('NOPASSWD for /bin/sh only (sudo true would ask): sudo never asks, and the script still gets exactly the original stdin', async () => {
      const r = await run('cat', 'content line\n', PASSWORD, { FAKE_SUDO_SH_ONLY: '1' });
      expect(r).to.deep.equal({ stdout: 'content line\n', stderr: '', code: 0 });
      expect(await askpassCalls()).to.equal(0);
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
      // One attempt, not three: askpass answers once, and sudo's retry finds nothing to send.
      expect(await askpassCalls()).to.equal(2);
      expect(r.stderr).to.match(/^Sorry, try again\.\nsudo: no password was provided\n/);
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
