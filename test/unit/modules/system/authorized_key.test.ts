// authorized_key: a table of file contents and arguments mapped to the file Ansible's module
// (ansible.posix 1.x) would write, or none (each row but the last checked against the real
// enforce_state of ansible.posix, as installed with ansible-core 2.14); then the plan's probe
// reading, its forecasts and a real write to a scratch file on this machine.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors.js';
import { authorizedKeyModule, authorizedKeyProbe, parseAuthorizedKeyArgs, planAuthorizedKey } from '../../../../src/modules/system/authorized_key.js';
import { editKeys, parseNewKeys, type EditRequest } from '../../../../src/modules/system/authorized-keys-file.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { apply, fakeCtx, planOnly } from '../lib/local.js';
import { loc } from './fixtures/context.js';

const A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA alice';
const B = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB bob';
const C = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCCCCCCCCCC carol@laptop';

function req(key: string, over: Partial<EditRequest> = {}): EditRequest {
  const parsed = parseNewKeys(key);
  if ('invalid' in parsed) throw new Error(parsed.invalid);
  return { keys: parsed.keys, state: 'present', exclusive: false, ...over };
}

/** [what, file before, request, file after (undefined: unchanged)]. */
const table: [string, string, EditRequest, string | undefined][] = [
  ['adds a key to an empty file', '', req(A), `${A}\n`],
  ['leaves a present key alone', `${A}\n`, req(A), undefined],
  ['adds after the existing keys', `${A}\n`, req(B), `${A}\n${B}\n`],
  ['adds several keys in their order', `${C}\n`, req(`${A}\n\n# a comment\n${B}\n`), `${C}\n${A}\n${B}\n`],
  ['keeps comments and other lines', `# team keys\n${A}\n`, req(B), `# team keys\n${A}\n${B}\n`],
  ['rewrites a key whose options differ, at the end', `no-pty ${A}\n${B}\n`, req(A), `${B}\n${A}\n`],
  ['adds key_options', `${A}\n`, req(A, { keyOptions: 'no-pty,from="10.0.0.1,10.0.0.2"' }), `no-pty,from="10.0.0.1,10.0.0.2" ${A}\n`],
  ['options in another order are the same', `from="10.0.0.1",no-pty ${A}\n`, req(A, { keyOptions: 'no-pty,from="10.0.0.1"' }), undefined],
  ['replaces the comment with comment:', `${A}\n`, req(A, { comment: 'alice@work' }), `${A.replace('alice', 'alice@work')}\n`],
  ['a key without a comment is written with a trailing space, as Ansible does', '', req(A.replace(' alice', '')), `${A.replace(' alice', '')} \n`],
  ['removes a key whatever its options', `${C}\nno-pty ${A}\n`, req(A, { state: 'absent' }), `${C}\n`],
  ['removing a missing key changes nothing', `${C}\n`, req(A, { state: 'absent' }), undefined],
  ['exclusive removes every other line', `# old\n${C}\n${A}\n`, req(`${A}\n${B}`, { exclusive: true }), `${A}\n${B}\n`],
  ['exclusive with the keys already alone changes nothing', `${A}\n${B}\n`, req(`${A}\n${B}`, { exclusive: true }), undefined],
  ['ends a last line that has no newline before adding', '# note', req(A), `# note\n${A}\n`],
];

/** The probe's output: the account (uid:gid:home) and the file (state, content). */
function host(account: string | undefined, file: { state: string; content?: string; refused?: string }): ExecResult {
  const [uid, gid, home] = (account ?? '').split(':');
  const passwd = account ? `uid=${uid}\ngid=${gid}\nhome=${home}\n` : '';
  const f = `keyfile=${home ?? ''}/.ssh/authorized_keys\n${file.refused ? `refused=${file.refused}\n` : `state=${file.state}\n`}${file.content !== undefined ? `base64\n${Buffer.from(file.content).toString('base64')}\n` : ''}`;
  return { stdout: `\n@@runbook-section@@ passwd\n${passwd}\n@@runbook-section@@ file\n${f}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

describe('modules/system/authorized_key', () => {
  describe('the file edit (Ansible enforce_state)', () => {
    for (const [what, before, r, after] of table) {
      it(what, () => expect(editKeys(before, r)).to.equal(after));
    }
  });

  it('plans a write owned by the user (0600) in a managed 0700 directory, with a diff', () => {
    const a = parseAuthorizedKeyArgs({ user: 'app', key: B }, loc);
    const plan = planAuthorizedKey(a, host('1001:1002:/home/app', { state: 'file', content: `${A}\n` }), { diff: true });
    expect(plan.changes).to.deep.equal(['/home/app/.ssh/authorized_keys: key added']);
    expect(plan.steps).to.have.length(1);
    const step = plan.steps[0]!;
    expect(String(step.stdin)).to.equal(`${A}\n${B}\n`);
    expect(step.script).to.contain("chown 1001:1002 . && chmod 0700 .").and.to.contain("chown 1001:1002 /proc/self/fd/3").and.to.contain('chmod 0600 /proc/self/fd/3');
    expect(step.script).to.contain("dest=/home/app/.ssh/authorized_keys");
    expect(plan.diffs).to.deep.equal([{ path: '/home/app/.ssh/authorized_keys', before: `${A}\n`, after: `${A}\n${B}\n` }]);
    expect(plan.data).to.deep.include({ user: 'app', keyfile: '/home/app/.ssh/authorized_keys', path: null, state: 'present', exclusive: false, manage_dir: true });
  });

  it('manage_dir: no leaves the directory alone', () => {
    const a = parseAuthorizedKeyArgs({ user: 'app', key: B, path: '/etc/ssh/keys/app', manage_dir: false }, loc);
    const plan = planAuthorizedKey(a, host('1001:1002:/home/app', { state: 'missing' }));
    expect(plan.steps[0]!.script).not.to.contain('chmod 0700 .');
    expect(plan.provides).to.deep.equal([{ kind: 'path', path: '/etc/ssh/keys/app' }]);
  });

  it('a missing user fails, naming the user so an earlier task creating it excuses it in --check', () => {
    const plan = planAuthorizedKey(parseAuthorizedKeyArgs({ user: 'app', key: A }, loc), host(undefined, { state: 'missing' }));
    expect(plan.failure).to.deep.equal({ msg: 'Failed to lookup user app: no such user', needs: [{ kind: 'user', name: 'app' }] });
    // Removing a key of an account that does not exist: nothing to do (Ansible fails).
    expect(planAuthorizedKey(parseAuthorizedKeyArgs({ user: 'app', key: A, state: 'absent' }, loc), host(undefined, { state: 'missing' }))).to.deep.include({ changes: [], steps: [] });
  });

  it('fails on a link it may not follow, and on a directory', () => {
    const a = parseAuthorizedKeyArgs({ user: 'app', key: A, follow: true }, loc);
    expect(planAuthorizedKey(a, host('1:1:/h', { state: '', refused: '/h/.ssh/authorized_keys is a symbolic link owned by uid 1001' })).failure?.msg).to.match(/symbolic link/);
    expect(planAuthorizedKey(a, host('1:1:/h', { state: 'other' })).failure?.msg).to.equal('/h/.ssh/authorized_keys is not a regular file');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseAuthorizedKeyArgs({ user: 'app', key: 'https://github.com/app.keys' }, loc)).to.throw(InputError, /key is a URL .*runbook does not fetch keys/);
    expect(() => parseAuthorizedKeyArgs({ user: 'app', key: 'not a key' }, loc)).to.throw(InputError, /invalid key specified: not a key/);
    expect(() => parseAuthorizedKeyArgs({ user: 'app', key: A, path: 'keys' }, loc)).to.throw(InputError, /path must be an absolute path/);
    expect(() => parseAuthorizedKeyArgs({ user: 'app' }, loc)).to.throw(InputError, /'key' is required/);
    expect(() => authorizedKeyModule.parse({ user: 'app', key: A, exclusiv: true }, loc)).to.throw(InputError, /has no argument 'exclusiv'.*/);
    expect(parseAuthorizedKeyArgs({ user: 'app', key: A, validate_certs: false }, loc).keys).to.have.length(1);
  });

  it('probes the account and the file in one script', () => {
    const probe = authorizedKeyProbe(parseAuthorizedKeyArgs({ user: 'app', key: A }, loc));
    expect(probe).to.contain('getent passwd app').and.to.contain('"$rb_home/.ssh/authorized_keys"').and.to.contain('base64 <');
  });

  describe('on this machine, with a scratch file (as root)', () => {
    let dir: string;
    before(function () {
      if (process.getuid?.() !== 0) this.skip();
      dir = mkdtempSync(join(tmpdir(), 'rb-authkey-'));
    });
    after(() => dir && rmSync(dir, { recursive: true, force: true }));

    it('writes, then changes nothing; keeps keys behind a trusted link; removes', () => {
      const path = join(dir, 'keys', 'authorized_keys');
      const first = apply(authorizedKeyModule, { user: 'root', key: `${A}\n${B}`, path });
      expect(first.results.map((r) => r.code), first.results.map((r) => r.stderr).join()).to.deep.equal([0]);
      expect(readFileSync(path, 'utf8')).to.equal(`${A}\n${B}\n`);
      expect(statSync(path).mode & 0o777).to.equal(0o600);
      expect(statSync(join(dir, 'keys')).mode & 0o777).to.equal(0o700);
      expect(planOnly(authorizedKeyModule, { user: 'root', key: A, path }).changes).to.deep.equal([]);
      // A link root owns is read through (its keys kept) and, without follow, replaced by a file.
      const target = join(dir, 'shared');
      writeFileSync(target, `${C}\n`);
      const link = join(dir, 'keys', 'linked');
      symlinkSync(target, link);
      const viaLink = apply(authorizedKeyModule, { user: 'root', key: A, path: link });
      expect(viaLink.results.map((r) => r.code)).to.deep.equal([0]);
      expect(readFileSync(link, 'utf8')).to.equal(`${C}\n${A}\n`);
      expect(readFileSync(target, 'utf8')).to.equal(`${C}\n`);
      const removed = apply(authorizedKeyModule, { user: 'root', key: B, path, state: 'absent' }, fakeCtx());
      expect(removed.results.map((r) => r.code)).to.deep.equal([0]);
      expect(readFileSync(path, 'utf8')).to.equal(`${A}\n`);
    });
  });
});
