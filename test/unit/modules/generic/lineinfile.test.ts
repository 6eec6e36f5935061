// lineinfile run for real: replace, create, absent, validate, symlinks, attribute-only changes.
import { expect } from 'chai';
import { chmodSync, chownSync, existsSync, lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { lineinfileModule } from '../../../../src/modules/generic/lineinfile.js';
import { apply, isRoot, loc, planOnly, tempDir } from '../lib/local.js';

describe('modules/generic/lineinfile', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('replaces a line on the host, keeps owner and mode, then is idempotent', function () {
    const path = t.path('sshd_config');
    writeFileSync(path, 'Port 22\nPermitRootLogin yes\nUsePAM yes\n');
    chmodSync(path, 0o600);
    if (isRoot) chownSync(path, 65534, 65534);
    const raw = { path, regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' };
    const r = apply(lineinfileModule, raw);
    expect(r.plan.changes).to.deep.equal([`${path}: line replaced`]);
    // Only its owner may read the file (0600): marked, so the executor shows that it changed, without its text.
    expect(r.plan.diffs).to.deep.equal([{ path, before: 'Port 22\nPermitRootLogin yes\nUsePAM yes\n', after: 'Port 22\nPermitRootLogin no\nUsePAM yes\n', private: true }]);
    expect(r.results[0].code, r.results[0].stderr).to.equal(0);
    expect(readFileSync(path, 'utf8')).to.equal('Port 22\nPermitRootLogin no\nUsePAM yes\n');
    const st = statSync(path);
    expect(st.mode & 0o7777).to.equal(0o600);
    if (isRoot) expect([st.uid, st.gid]).to.deep.equal([65534, 65534]);
    expect(apply(lineinfileModule, raw).plan.changes).to.deep.equal([]);
  });

  it('a missing file: the failure needs it, unless create: yes, which also makes the parent', () => {
    const path = t.path('etc/app/app.conf');
    const plan = planOnly(lineinfileModule, { path, line: 'a=1' });
    expect(plan.failure).to.deep.equal({ msg: `Destination ${path} does not exist !`, needs: [{ kind: 'path', path }] });
    const r = apply(lineinfileModule, { path, line: 'a=1', create: true, mode: '0640' });
    expect(r.plan.diffs).to.deep.equal([{ path, before: '', after: 'a=1\n' }]);
    expect(readFileSync(path, 'utf8')).to.equal('a=1\n');
    expect(statSync(path).mode & 0o777).to.equal(0o640);
  });

  it('absent removes matching lines; a missing file is fine', () => {
    const path = t.path('hosts');
    writeFileSync(path, '127.0.0.1 localhost\n10.0.0.5 old\n10.0.0.6 old\n');
    const r = apply(lineinfileModule, { dest: path, regexp: ' old$', state: 'absent' });
    expect(r.plan.changes).to.deep.equal([`${path}: 2 line(s) removed`]);
    expect(readFileSync(path, 'utf8')).to.equal('127.0.0.1 localhost\n');
    expect(apply(lineinfileModule, { path: t.path('none'), line: 'x', state: 'absent' }).plan).to.deep.include({ changes: [] });
  });

  it('a failed validate leaves the file as it was', () => {
    const path = t.path('sudoers');
    writeFileSync(path, 'ok\n');
    const r = apply(lineinfileModule, { path, line: 'broken', validate: `! grep -q broken %s` });
    expect(r.after?.failed).to.match(/^validation failed/);
    expect(readFileSync(path, 'utf8')).to.equal('ok\n');
    expect(readdirSync(t.dir)).to.deep.equal(['sudoers']);
  });

  it('follow: yes writes through a symlink to its target', () => {
    writeFileSync(t.path('real'), 'a\n');
    symlinkSync('real', t.path('link'));
    apply(lineinfileModule, { path: t.path('link'), line: 'b', follow: true });
    expect(readFileSync(t.path('real'), 'utf8')).to.equal('a\nb\n');
    expect(lstatSync(t.path('link')).isSymbolicLink()).to.equal(true);
  });

  it('without follow, a symlink at path is replaced by a file; its target is neither read nor written', () => {
    writeFileSync(t.path('real'), 'secret\n');
    symlinkSync('real', t.path('link'));
    const r = apply(lineinfileModule, { path: t.path('link'), line: 'b' });
    expect(r.plan.changes).to.deep.equal([`${t.path('link')}: line added`]);
    expect(r.plan.diffs![0].before).to.equal('[symbolic link to real; replaced by a regular file]\n');
    expect(JSON.stringify(r.plan)).not.to.contain('secret');
    expect(readFileSync(t.path('real'), 'utf8')).to.equal('secret\n');
    expect(lstatSync(t.path('link')).isFile()).to.equal(true);
    expect(readFileSync(t.path('link'), 'utf8')).to.equal('b\n');
  });

  it('only the mode differs: chmod, no rewrite', () => {
    const path = t.path('f');
    writeFileSync(path, 'x\n');
    chmodSync(path, 0o644);
    const r = apply(lineinfileModule, { path, line: 'x', mode: 'go-r' });
    expect(r.plan.changes).to.deep.equal([`${path}: mode 0644 -> 0600`]);
    expect(r.plan.steps[0].script).to.contain('chmod 00600');
    expect(statSync(path).mode & 0o777).to.equal(0o600);
  });

  it('refuses bad arguments before anything runs', () => {
    expect(() => lineinfileModule.parse({ path: '/x' }, loc)).to.throw(/'line' is required/);
    expect(() => lineinfileModule.parse({ path: '/x', line: 'a', backrefs: true }, loc)).to.throw(/regexp is required/);
    expect(() => lineinfileModule.parse({ path: '/x', line: 'a', regexp: '(' }, loc)).to.throw(/not a valid regular expression/);
    expect(() => lineinfileModule.parse({ path: '/x', line: 'a', insertafter: 'x', insertbefore: 'y' }, loc)).to.throw(/mutually exclusive/);
    expect(() => lineinfileModule.parse({ path: '/x', dest: '/y', line: 'a' }, loc)).to.throw(/same argument/);
  });
});
