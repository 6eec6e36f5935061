// file run for real: every state transition, recurse, owners, and idempotency.
import { expect } from 'chai';
import { chmodSync, existsSync, lstatSync, mkdirSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { fileModule, pathPrefixes } from '../../../../src/modules/generic/file.js';
import { permMasks, parseMode } from '../../../../src/modules/lib/mode.js';
import { apply, isRoot, loc, planOnly, tempDir } from '../lib/local.js';

describe('modules/generic/file', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  const ok = (r: ReturnType<typeof apply>) => {
    for (const res of r.results) expect(res.code, res.stderr).to.equal(0);
    return r;
  };

  it('directory: creates with parents and mode, then nothing to do', () => {
    const path = t.path('a/b/c');
    const r = ok(apply(fileModule, { path, state: 'directory', mode: '0750' }));
    expect(r.plan.changes).to.deep.equal([`create directory ${path}`]);
    expect(r.plan.steps[0].script).to.contain('rb_mkdirs=1').and.contain("chmod 00750 .");
    expect(statSync(path).mode & 0o7777).to.equal(0o750);
    expect(apply(fileModule, { path, state: 'directory', mode: 'u=rwx,g=rx,o=' }).plan.changes).to.deep.equal([]);
  });

  it('directory: the parents it creates get the task mode too (as in Ansible); existing ones keep theirs', () => {
    chmodSync(t.dir, 0o755);
    ok(apply(fileModule, { path: t.path('p/q/r'), state: 'directory', mode: '0700' }));
    for (const d of ['p', 'p/q', 'p/q/r']) expect(statSync(t.path(d)).mode & 0o7777, d).to.equal(0o700);
    expect(statSync(t.dir).mode & 0o7777).to.equal(0o755);
    expect(pathPrefixes('/srv/a//b/')).to.deep.equal(['/srv', '/srv/a', '/srv/a/b']);
    expect(pathPrefixes('rel/x')).to.deep.equal(['rel', 'rel/x']);
  });

  it('directory: changes only the mode of an existing one, and refuses a file in the way', () => {
    mkdirSync(t.path('d'));
    chmodSync(t.path('d'), 0o700);
    const r = ok(apply(fileModule, { path: t.path('d'), state: 'directory', mode: 'go+rx' }));
    expect(r.plan.changes).to.deep.equal([`${t.path('d')}: mode 0700 -> 0755`]);
    writeFileSync(t.path('f'), '');
    expect(planOnly(fileModule, { path: t.path('f'), state: 'directory' }).failure?.msg).to.match(/not a directory/);
  });

  it('recurse finds a wrong mode deep in the tree and fixes it', () => {
    mkdirSync(t.path('r/s'), { recursive: true });
    writeFileSync(t.path('r/s/f'), '');
    chmodSync(t.path('r'), 0o755);
    chmodSync(t.path('r/s'), 0o755);
    chmodSync(t.path('r/s/f'), 0o600);
    const raw = { path: t.path('r'), state: 'directory', recurse: true, mode: 'u=rwX,go=rX' };
    const r = ok(apply(fileModule, raw));
    expect(r.plan.changes).to.deep.equal([`${t.path('r')}: owner, group or mode of its contents`]);
    expect(statSync(t.path('r/s/f')).mode & 0o777).to.equal(0o644);
    expect(apply(fileModule, raw).plan.changes).to.deep.equal([]);
  });

  it('touch creates, and on an existing file updates both times every run, as Ansible does', () => {
    const path = t.path('stamp');
    ok(apply(fileModule, { path, state: 'touch', mode: '0600' }));
    expect(statSync(path).mode & 0o777).to.equal(0o600);
    utimesSync(path, 946684800, 946684800);
    const again = ok(apply(fileModule, { path, state: 'touch', mode: '0600' }));
    expect(again.plan.changes).to.deep.equal([`${path}: access time -> now`, `${path}: modification time -> now`]);
    expect(statSync(path).mtimeMs / 1000).to.be.greaterThan(946684800);
    expect(planOnly(fileModule, { path: t.path('no/dir/x'), state: 'touch' }).failure?.needs).to.deep.equal([{ kind: 'path', path: t.path('no/dir') }]);
  });

  it('access_time / modification_time: preserve keeps, a timestamp is set once (host local time), then nothing to do', () => {
    const path = t.path('f');
    writeFileSync(path, '');
    utimesSync(path, 946684800, 946684800);
    const keep = { path, state: 'touch', access_time: 'preserve', modification_time: 'preserve' };
    expect(apply(fileModule, keep).plan.changes).to.deep.equal([]);
    expect(statSync(path).mtimeMs).to.equal(946684800000);
    const at = { path, modification_time: '202001011200.00', access_time: 'preserve' };
    ok(apply(fileModule, at));
    const d = statSync(path).mtime;
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes()]).to.deep.equal([2020, 0, 1, 12, 0]);
    expect(statSync(path).atimeMs).to.equal(946684800000);
    expect(apply(fileModule, at).plan.changes).to.deep.equal([]);
    const custom = { path, modification_time: '2021-06-30 08:15', modification_time_format: '%Y-%m-%d %H:%M' };
    ok(apply(fileModule, custom));
    expect(statSync(path).mtime.getFullYear()).to.equal(2021);
    expect(() => planOnly(fileModule, { path, modification_time: 'tomorrow' })).to.throw(/does not match modification_time_format '%Y%m%d%H%M\.%S'/);
    expect(() => planOnly(fileModule, { path, state: 'absent', modification_time: 'now' })).to.throw(/need state touch, file or directory/);
  });

  it('file: attributes of an existing file; a missing one needs that file', () => {
    writeFileSync(t.path('x'), '');
    chmodSync(t.path('x'), 0o644);
    ok(apply(fileModule, { path: t.path('x'), mode: '0400' }));
    expect(statSync(t.path('x')).mode & 0o777).to.equal(0o400);
    expect(planOnly(fileModule, { path: t.path('nope'), state: 'file' }).failure).to.deep.equal({ msg: `file (${t.path('nope')}) is absent, cannot continue`, needs: [{ kind: 'path', path: t.path('nope') }] });
  });

  it('link: creates, keeps, retargets atomically; a missing src is needed, the link provided', () => {
    writeFileSync(t.path('v1'), '1');
    writeFileSync(t.path('v2'), '2');
    const link = t.path('current');
    expect(ok(apply(fileModule, { path: link, src: 'v1', state: 'link' })).plan.changes).to.deep.equal([`link ${link} -> v1`]);
    expect(readlinkSync(link)).to.equal('v1');
    expect(apply(fileModule, { path: link, src: 'v1', state: 'link' }).plan.changes).to.deep.equal([]);
    expect(ok(apply(fileModule, { path: link, src: 'v2', state: 'link' })).plan.changes).to.deep.equal([`link ${link} -> v2 (was -> v1)`]);
    expect(readlinkSync(link)).to.equal('v2');
    const missing = planOnly(fileModule, { path: t.path('l2'), src: 'nothing', state: 'link' });
    expect(missing.failure?.needs).to.deep.equal([{ kind: 'path', path: t.path('nothing') }]);
    expect(missing.provides).to.deep.equal([{ kind: 'path', path: t.path('l2') }]);
    // Into a missing directory: the directory is what is missing, not an existing src, absolute or relative.
    for (const src of [t.path('v1'), '../v1']) {
      const into = planOnly(fileModule, { path: t.path('nodir/l'), src, state: 'link' });
      expect(into.failure?.msg).to.equal(`directory ${t.path('nodir')} does not exist`);
      expect(into.failure?.needs).to.deep.equal([{ kind: 'path', path: t.path('nodir') }]);
    }
    expect(planOnly(fileModule, { path: t.path('nodir/l'), src: '../nothing', state: 'link' }).failure?.msg).to.match(/^src file does not exist/);
    writeFileSync(t.path('plain'), '');
    expect(planOnly(fileModule, { path: t.path('plain'), src: 'v1', state: 'link' }).failure?.msg).to.match(/refusing to convert from file/);
    ok(apply(fileModule, { path: t.path('plain'), src: 'v1', state: 'link', force: true }));
    expect(lstatSync(t.path('plain')).isSymbolicLink()).to.equal(true);
  });

  it('absent removes files, trees and dangling links; then ok', () => {
    mkdirSync(t.path('tree/sub'), { recursive: true });
    symlinkSync('nowhere', t.path('dangling'));
    for (const name of ['tree', 'dangling']) {
      expect(ok(apply(fileModule, { path: t.path(name), state: 'absent' })).plan.changes).to.deep.equal([`remove ${t.path(name)}`]);
      expect(existsSync(t.path(name)) || lstatSync(t.path(name), { throwIfNoEntry: false }) !== undefined).to.equal(false);
      expect(apply(fileModule, { path: t.path(name), state: 'absent' }).plan.changes).to.deep.equal([]);
    }
  });

  it('owner and group by name, changed only when different', function () {
    if (!isRoot) this.skip();
    writeFileSync(t.path('o'), '');
    const r = ok(apply(fileModule, { path: t.path('o'), owner: 'nobody', group: 'nogroup' }));
    expect(r.plan.changes).to.deep.equal([`${t.path('o')}: owner root -> nobody`, `${t.path('o')}: group root -> nogroup`]);
    expect(statSync(t.path('o')).uid).to.equal(65534);
    expect(apply(fileModule, { path: t.path('o'), owner: 'nobody', group: '65534' }).plan.changes).to.deep.equal([]);
  });

  it('parse errors and mode masks', () => {
    expect(() => fileModule.parse({ path: '/x', state: 'link' }, loc)).to.throw(/'src' is required/);
    expect(() => fileModule.parse({ path: '/x', state: 'weird' }, loc)).to.throw(/must be one of/);
    expect(() => fileModule.parse({ path: '/x', mode: 'rw-r--r--' }, loc)).to.throw(/not a file mode/);
    expect(permMasks(parseMode('u=rwX,go=rX')!, true)).to.deep.equal({ set: 0o755, clear: 0o7022 });
    expect(permMasks(parseMode('0644')!, false)).to.deep.equal({ set: 0o644, clear: 0o7133 });
  });
});
