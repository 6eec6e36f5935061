// copy run for real in a temp dir: atomic writes, kept owner/mode, validate, backups, forecasts.
import { expect } from 'chai';
import { chmodSync, chownSync, mkdirSync, readFileSync, statSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { copyModule } from '../../../../src/modules/generic/copy.js';
import { sectionsScript } from '../../../../src/modules/lib/sections.js';
import { apply, fakeCtx, isRoot, loc, planOnly, tempDir } from '../lib/local.js';

describe('modules/generic/copy', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('plans a create from canned probe output: change, atomic write step, diff', () => {
    const args = copyModule.parse({ content: 'hello\n', dest: '/etc/motd', mode: '0644' }, loc);
    const canned = { stdout: '\n@@runbook-section@@ dest\nparent=dir\n\n@@runbook-section@@ dest.content\n\n@@runbook-section@@ accounts\n\n@@runbook-section@@ .end\n', stderr: '', code: 0 };
    const plan = copyModule.plan(args, canned, fakeCtx());
    expect(plan.changes).to.deep.equal(['create /etc/motd']);
    expect(plan.steps).to.have.length(1);
    expect(plan.steps[0].script).to.contain(`dest=/etc/motd`).and.contain('mktemp').and.contain(`chmod 00644 /proc/self/fd/3`).and.contain('mv -fT -- "$tmp" "$name"');
    expect(plan.steps[0].script).not.to.contain('hello');
    expect(String(plan.steps[0].stdin)).to.equal('hello\n');
    expect(plan.diffs).to.deep.equal([{ path: '/etc/motd', before: '', after: 'hello\n' }]);
  });

  it('a missing destination directory: needs that directory, would then write the file', () => {
    const plan = planOnly(copyModule, { content: 'x', dest: t.path('no/such/file') });
    expect(plan.failure?.needs).to.deep.equal([{ kind: 'path', path: t.path('no/such') }]);
    expect(plan.provides).to.deep.equal([{ kind: 'path', path: t.path('no/such/file') }]);
    expect(plan.failure!.msg).to.match(/does not exist/);
  });

  it('fails when the probe did not finish', () => {
    const args = copyModule.parse({ content: 'x', dest: '/x' }, loc);
    const plan = copyModule.plan(args, { stdout: '', stderr: 'sh: boom', code: 2 }, fakeCtx());
    expect(plan.failure!.msg).to.contain('sh: boom');
  });

  it('writes a new file, then changes nothing on the second run', () => {
    const dest = t.path('motd');
    const first = apply(copyModule, { content: 'hello\n', dest, mode: '0640' });
    expect(first.plan.changes).to.deep.equal([`create ${dest}`]);
    expect(first.results[0].code, first.results[0].stderr).to.equal(0);
    expect(readFileSync(dest, 'utf8')).to.equal('hello\n');
    expect(statSync(dest).mode & 0o7777).to.equal(0o640);
    const second = apply(copyModule, { content: 'hello\n', dest, mode: '640' });
    expect(second.plan.changes).to.deep.equal([]);
    expect(second.plan.data).to.include({ mode: '0640' });
  });

  it('keeps the old owner and mode when rewriting, and leaves no temp file', function () {
    if (!isRoot) this.skip();
    const dest = t.path('conf');
    writeFileSync(dest, 'old\n');
    chmodSync(dest, 0o604);
    chownSync(dest, 65534, 65534);
    const r = apply(copyModule, { content: 'new\n', dest });
    expect(r.plan.diffs).to.deep.equal([{ path: dest, before: 'old\n', after: 'new\n' }]);
    expect(r.results[0].code, r.results[0].stderr).to.equal(0);
    const st = statSync(dest);
    expect([st.mode & 0o7777, st.uid, st.gid]).to.deep.equal([0o604, 65534, 65534]);
    expect(readdirSync(t.dir)).to.deep.equal(['conf']);
  });

  it('fixes only the mode when the content is already right', () => {
    const dest = t.path('f');
    writeFileSync(dest, 'same');
    chmodSync(dest, 0o600);
    const r = apply(copyModule, { content: 'same', dest, mode: 'u=rw,g=r,o=r' });
    expect(r.plan.changes).to.deep.equal([`${dest}: mode 0600 -> 0644`]);
    expect(r.plan.diffs).to.equal(undefined);
    expect(statSync(dest).mode & 0o7777).to.equal(0o644);
    expect(apply(copyModule, { content: 'same', dest, mode: 'u=rw,g=r,o=r' }).plan.changes).to.deep.equal([]);
  });

  it('a failed validate leaves the old file untouched and says why', () => {
    const dest = t.path('app.conf');
    writeFileSync(dest, 'good\n');
    const r = apply(copyModule, { content: 'bad\n', dest, validate: `grep -q good %s` });
    expect(r.results[0].code).to.equal(3);
    expect(r.after?.failed).to.match(/validation failed \(exit 1\)/).and.match(/old file is unchanged/);
    expect(readFileSync(dest, 'utf8')).to.equal('good\n');
    expect(readdirSync(t.dir)).to.deep.equal(['app.conf']);
    const ok = apply(copyModule, { content: 'good too\n', dest, validate: `grep -q good %s` });
    expect(ok.results[0].code).to.equal(0);
    expect(readFileSync(dest, 'utf8')).to.equal('good too\n');
  });

  it('copies src into a directory destination and makes a backup', () => {
    mkdirSync(t.path('etc'));
    writeFileSync(t.path('etc/app.ini'), 'v1\n');
    const ctx = fakeCtx({ readFile: (p) => (p === 'files/app.ini' ? Buffer.from('v2\n') : Buffer.alloc(0)) });
    const r = apply(copyModule, { src: 'files/app.ini', dest: t.path('etc'), backup: true }, ctx);
    expect(r.plan.changes).to.deep.equal([`update ${t.path('etc/app.ini')}`]);
    const backup = r.after?.data?.backup_file as string;
    expect(readFileSync(backup, 'utf8')).to.equal('v1\n');
    expect(readFileSync(t.path('etc/app.ini'), 'utf8')).to.equal('v2\n');
  });

  it('dest ending in / creates the directory', () => {
    const ctx = fakeCtx({ readFile: () => Buffer.from('data') });
    const r = apply(copyModule, { src: 'a.txt', dest: t.path('new/dir/') }, ctx);
    expect(r.results[0].code, r.results[0].stderr).to.equal(0);
    expect(readFileSync(t.path('new/dir/a.txt'), 'utf8')).to.equal('data');
  });

  it('force: no leaves an existing file alone', () => {
    writeFileSync(t.path('keep'), 'mine');
    const r = apply(copyModule, { content: 'theirs', dest: t.path('keep'), force: 'no' });
    expect(r.plan.changes).to.deep.equal([]);
    expect(existsSync(t.path('keep'))).to.equal(true);
  });

  it('binary content gets a one-line note instead of a diff', () => {
    const ctx = fakeCtx({ readFile: () => Buffer.from([0, 1, 2, 255]) });
    const r = apply(copyModule, { src: 'blob.bin', dest: t.path('blob') }, ctx);
    expect(r.plan.diffs![0].after).to.match(/^\[binary or large file: 4 bytes, sha1 [0-9a-f]{40}; no text diff\]\n$/);
    expect(readFileSync(t.path('blob'))).to.deep.equal(Buffer.from([0, 1, 2, 255]));
  });

  it('src in another encoding (Latin-1) is sent byte for byte, not decoded as UTF-8', () => {
    const latin1 = Buffer.from('caf\xe9 cr\xe8me\n', 'latin1');
    const ctx = fakeCtx({ readFile: () => latin1 });
    apply(copyModule, { src: 'menu.txt', dest: t.path('menu') }, ctx);
    expect(readFileSync(t.path('menu'))).to.deep.equal(latin1);
  });

  it('refuses numbers as modes and content with a directory dest', () => {
    expect(() => copyModule.parse({ content: 'x', dest: '/x', mode: 420 }, loc)).to.throw(/ambiguous/);
    expect(() => copyModule.parse({ content: 'x', dest: '/etc/' }, loc)).to.throw(/directory/);
    expect(() => copyModule.parse({ content: 'x', dest: '/x', validate: 'true' }, loc)).to.throw(/%s/);
    expect(sectionsScript({ a: '' })).to.contain(':');
  });

  it('an owner that does not exist yet: the failure needs that user', () => {
    const plan = planOnly(copyModule, { content: 'x', dest: t.path('f'), owner: 'no-such-user-rb' });
    expect(plan.failure).to.deep.equal({ msg: `user 'no-such-user-rb' does not exist on the host`, needs: [{ kind: 'user', name: 'no-such-user-rb' }] });
  });

  it('a file it writes is what it provides', () => {
    expect(planOnly(copyModule, { content: 'x', dest: t.path('new') }).provides).to.deep.equal([{ kind: 'path', path: t.path('new') }]);
  });
});
