// git: the remote's refs read from canned ls-remote output (a table of versions to commits), then
// real checkouts on this machine from local repositories: clone, a second run that does nothing,
// branch/tag/sha, local changes refused without force, a new commit upstream, bare, depth.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../../../../src/core/errors.js';
import { gitModule, parseGitArgs, parseRemote, planGit } from '../../../../src/modules/generic/git.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { apply, fakeCtx, loc, planOnly, tempDir } from '../lib/local.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const T = 'c'.repeat(40);
const LS = `rc=0\nref: refs/heads/main\tHEAD\n${A}\tHEAD\n${A}\trefs/heads/main\n${B}\trefs/heads/dev\n${T}\trefs/tags/v1\n${B}\trefs/tags/v1^{}\n`;

function host(dest: string, remote = LS, git = true): ExecResult {
  const parts = { env: git ? 'git=1\n' : '', dest, remote };
  const body = Object.entries(parts).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}
const repoAt = (sha: string, extra = '') => `state=repo\nbefore=${sha}\nbranch=main\nurl=https://h/app.git\n${extra}`;

const table: [string, Record<string, unknown>, string, string[]][] = [
  ['clones a missing checkout', {}, 'state=none\n', ['clone https://h/app.git into /srv/app at HEAD (aaaaaaaaaaaa)']],
  ['leaves a checkout at the remote HEAD alone', {}, repoAt(A), []],
  ['updates a checkout behind its branch', { version: 'main' }, repoAt(B), ['update /srv/app from bbbbbbbbbbbb to main (aaaaaaaaaaaa)']],
  ['reads an annotated tag as the commit it points to', { version: 'v1' }, repoAt(B), []],
  ['a commit sha prefix at HEAD is no change', { version: 'aaaaaaa' }, repoAt(A), []],
  ['a commit sha elsewhere is a change', { version: 'bbbbbbbb' }, repoAt(A), ['update /srv/app from aaaaaaaaaaaa to bbbbbbbb']],
  ['a changed remote URL is a change', { repo: 'https://h/other.git' }, repoAt(A), ["set origin's URL to https://h/other.git"]],
  ['the same URL with .git or a slash is the same remote', { repo: 'https://h/app/' }, repoAt(A), []],
  ['local changes with force are discarded', { force: true }, repoAt(A, 'mod= M README\n'), ['discard local modifications in /srv/app ( M README)']],
  ['uninitialised submodules are a change', {}, repoAt(A, 'submodules=1\n'), ['update the submodules of /srv/app']],
  ['update: no leaves a checkout behind', { update: false }, repoAt(B), []],
  ['clone: no leaves a missing checkout missing', { clone: false }, 'state=none\n', []],
];

describe('modules/generic/git', () => {
  for (const [what, raw, dest, changes] of table) {
    it(what, () => {
      const plan = planGit(parseGitArgs({ repo: 'https://h/app.git', dest: '/srv/app', ...raw }, loc), host(dest));
      expect(plan.failure).to.equal(undefined);
      expect(plan.changes).to.deep.equal(changes);
      expect(plan.steps.length).to.equal(changes.length ? 1 : 0);
    });
  }

  it('refuses local changes without force, in check mode too', () => {
    const plan = planGit(parseGitArgs({ repo: 'https://h/app.git', dest: '/srv/app' }, loc), host(repoAt(A, 'mod= M README\n')));
    expect(plan.failure?.msg).to.equal('Local modifications exist in the destination: /srv/app (force=no).');
  });

  it('fails clearly: no git, an unknown version, an unreachable remote, a non-empty dest', () => {
    const args = parseGitArgs({ repo: 'https://h/app.git', dest: '/srv/app', version: 'nope' }, loc);
    expect(planGit(args, host('state=none\n', LS, false)).failure).to.deep.equal({ msg: 'git (git) is not installed on the host: install it first (apt: name=git)', needs: [{ kind: 'package', name: 'git' }] });
    expect(planGit(args, host('state=none\n')).failure?.msg).to.match(/version 'nope' is neither a branch nor a tag/);
    expect(planGit(args, host('state=none\n', 'rc=128\nfatal: unable to access\n')).failure?.msg).to.equal('could not read the remote https://h/app.git: fatal: unable to access');
    expect(planGit(args, host('state=nonempty\n')).failure?.msg).to.match(/already exists and is not an empty directory/);
  });

  it('passes ssh options in GIT_SSH_COMMAND and clone options as Ansible builds them', () => {
    const plan = planGit(parseGitArgs({ repo: 'git@h:app.git', dest: '/srv/app', version: 'dev', depth: 1, key_file: '/k', accept_newhostkey: true }, loc), host('state=none\n'));
    const script = plan.steps[0]!.script;
    expect(script).to.contain(`export GIT_SSH_COMMAND='ssh -i /k -o IdentitiesOnly=yes -o StrictHostKeyChecking=accept-new -o BatchMode=yes'`);
    expect(script).to.contain('"$git" clone --origin origin --depth 1 --branch dev --no-single-branch -- "$repo" "$d"');
    expect(parseRemote(LS).tags).to.deep.equal({ v1: B });
  });

  it('refuses what it does not support, and bad values', () => {
    expect(() => parseGitArgs({ repo: 'r', dest: '/d', archive: '/x.zip' }, loc)).to.throw(InputError, /'archive' is not supported/);
    expect(() => parseGitArgs({ repo: 'r', dest: '/d', version: '--upload-pack=x' }, loc)).to.throw(InputError, /is not a branch, tag or commit/);
    expect(() => parseGitArgs({ repo: 'r', dest: 'd' }, loc)).to.throw(InputError, /dest must be an absolute path/);
    expect(() => parseGitArgs({ repo: 'r', dest: '/d', accept_hostkey: true, accept_newhostkey: true }, loc)).to.throw(InputError, /mutually exclusive|only one of/);
    expect(() => gitModule.parse({ name: 'r', dest: '/d', verison: 'x' }, loc)).to.throw(InputError, /has no argument 'verison'/);
  });

  describe('on this machine (local repositories)', () => {
    let t: ReturnType<typeof tempDir>;
    const git = (args: string, cwd = t.path('src')) => {
      const r = spawnSync('sh', ['-c', `git -c user.email=t@t -c user.name=t ${args}`], { cwd });
      if (r.status !== 0) throw new Error(`git ${args}: ${r.stderr.toString()}`);
      return r.stdout.toString().trim();
    };
    let first: string;
    beforeEach(() => {
      t = tempDir();
      spawnSync('git', ['init', '-q', '-b', 'main', t.path('src')]);
      writeFileSync(t.path('src/README'), 'one\n');
      git('add README && git -c user.email=t@t -c user.name=t commit -q -m one');
      first = git('rev-parse HEAD');
      git('tag -a v1 -m v1');
      git('checkout -q -b dev && echo dev > DEV && git add DEV && git -c user.email=t@t -c user.name=t commit -q -m dev && git checkout -q main');
    });
    afterEach(() => t.cleanup());

    it('clones, then does nothing; a new upstream commit is fetched; local changes fail without force', () => {
      const raw = { repo: t.path('src'), dest: t.path('co/app') };
      const cloned = apply(gitModule, raw);
      expect(cloned.results[0]!.code, cloned.results[0]!.stderr).to.equal(0);
      expect(cloned.after!.data).to.deep.include({ before: null, after: first });
      expect(planOnly(gitModule, raw)).to.deep.include({ changes: [], steps: [] });
      writeFileSync(t.path('src/README'), 'two\n');
      git('commit -q -am two');
      const head = git('rev-parse HEAD');
      const forecast = planOnly(gitModule, raw, fakeCtx({ check: true }));
      expect(forecast.data).to.deep.include({ before: first, after: head });
      const updated = apply(gitModule, raw);
      expect(updated.results[0]!.code, updated.results[0]!.stderr).to.equal(0);
      expect(readFileSync(t.path('co/app/README'), 'utf8')).to.equal('two\n');
      writeFileSync(t.path('co/app/README'), 'edited\n');
      expect(planOnly(gitModule, raw).failure?.msg).to.match(/^Local modifications exist/);
      const forced = apply(gitModule, { ...raw, force: true });
      expect(forced.results[0]!.code, forced.results[0]!.stderr).to.equal(0);
      expect(readFileSync(t.path('co/app/README'), 'utf8')).to.equal('two\n');
    });

    it('checks out a branch tracking its remote, a tag and a sha detached, each idempotent', () => {
      for (const version of ['dev', 'v1', first.slice(0, 10), 'main']) {
        const raw = { repo: t.path('src'), dest: t.path('co/app'), version };
        const r = apply(gitModule, raw);
        expect(r.results[0]?.code ?? 0, r.results[0]?.stderr).to.equal(0);
        expect(planOnly(gitModule, raw).changes, version).to.deep.equal([]);
      }
      expect(git('symbolic-ref --short HEAD', t.path('co/app'))).to.equal('main');
      expect(git('rev-parse --abbrev-ref main@{upstream}', t.path('co/app'))).to.equal('origin/main');
    });

    it('a bare clone, and a shallow clone over file://', () => {
      const bare = apply(gitModule, { repo: t.path('src'), dest: t.path('bare.git'), bare: true });
      expect(bare.results[0]!.code, bare.results[0]!.stderr).to.equal(0);
      expect(planOnly(gitModule, { repo: t.path('src'), dest: t.path('bare.git'), bare: true }).changes).to.deep.equal([]);
      writeFileSync(t.path('src/README'), 'two\n');
      git('commit -q -am two');
      const shallow = apply(gitModule, { repo: `file://${t.path('src')}`, dest: t.path('shallow'), depth: 1 });
      expect(shallow.results[0]!.code, shallow.results[0]!.stderr).to.equal(0);
      expect(git('rev-list --count HEAD', t.path('shallow'))).to.equal('1');
      expect(planOnly(gitModule, { repo: `file://${t.path('src')}`, dest: t.path('shallow'), depth: 1 }).changes).to.deep.equal([]);
    });
  });
});
