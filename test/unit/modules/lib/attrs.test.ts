// Owner and mode changes on an existing path, run with /bin/sh: they act on the entry the probe
// saw, and a name swapped for a link between the probe and the step is refused, not followed.
import { expect } from 'chai';
import { chmodSync, lchownSync, mkdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileModule } from '../../../../src/modules/generic/file.js';
import { accountsScript, parseAccounts } from '../../../../src/modules/lib/attrs.js';
import { lineinfileModule } from '../../../../src/modules/generic/lineinfile.js';
import { isRoot, planOnly, sh, tempDir } from './local.js';

describe('modules/lib/attrs (owner and mode of an existing path)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('a file swapped for a link after the probe: the step fails and the link target keeps its mode', () => {
    writeFileSync(t.path('victim'), 'secret\n');
    chmodSync(t.path('victim'), 0o600);
    writeFileSync(t.path('f'), 'x\n');
    chmodSync(t.path('f'), 0o600);
    const plan = planOnly(lineinfileModule, { path: t.path('f'), line: 'x', mode: '0666' });
    expect(plan.changes).to.deep.equal([`${t.path('f')}: mode 0600 -> 0666`]);
    renameSync(t.path('f'), t.path('f.moved'));
    symlinkSync(t.path('victim'), t.path('f'));
    const r = sh(plan.steps[0].script);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('changed since it was read: not changed');
    expect(statSync(t.path('victim')).mode & 0o777).to.equal(0o600);
  });

  it('unchanged path: the mode is set on the file itself', () => {
    writeFileSync(t.path('f'), 'x\n');
    chmodSync(t.path('f'), 0o600);
    const plan = planOnly(lineinfileModule, { path: t.path('f'), line: 'x', mode: '0640' });
    expect(sh(plan.steps[0].script).code).to.equal(0);
    expect(statSync(t.path('f')).mode & 0o777).to.equal(0o640);
    expect(readFileSync(t.path('f'), 'utf8')).to.equal('x\n');
  });

  (isRoot ? it : it.skip)("file state=directory recurse: a directory swapped for another user's link after the probe is refused (as root)", () => {
    mkdirSync(t.path('d'));
    mkdirSync(t.path('other'));
    writeFileSync(t.path('other/inside'), 'x');
    chmodSync(t.path('other/inside'), 0o600);
    const plan = planOnly(fileModule, { path: t.path('d'), state: 'directory', mode: '0777', recurse: true });
    renameSync(t.path('d'), t.path('d.moved'));
    symlinkSync(t.path('other'), t.path('d'));
    lchownSync(t.path('d'), 65534, 65534);
    for (const step of plan.steps) sh(step.script);
    expect(statSync(t.path('other/inside')).mode & 0o777).to.equal(0o600);
  });
});

describe('modules/lib/attrs accountsScript (ids of named accounts, read by builtins)', () => {
  it('reads ids from /etc/passwd and /etc/group as getent does; an unknown name gives no id', () => {
    const a = { owner: 'root', group: 'root' };
    expect(parseAccounts(a, sh(accountsScript(a)).stdout)).to.deep.equal({ uid: 0, gid: 0 });
    const b = { owner: "no such 'user", group: 'nosuchgroup-x' };
    expect(parseAccounts(b, sh(accountsScript(b)).stdout).missing).to.equal("user 'no such 'user' and group 'nosuchgroup-x' does not exist on the host");
    const nobody = sh('getent passwd nobody').stdout.split(':')[2];
    expect(parseAccounts({ owner: 'nobody' }, sh(accountsScript({ owner: 'nobody' })).stdout).uid).to.equal(Number(nobody));
  });
});

describe('modules/lib/common-args (SELinux arguments and unsafe_writes)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('setype, seuser, serole, selevel and unsafe_writes are accepted and change nothing of the plan', () => {
    writeFileSync(t.path('f'), 'x\n');
    chmodSync(t.path('f'), 0o640);
    const plain = planOnly(lineinfileModule, { path: t.path('f'), line: 'x', mode: '0640' });
    const withSe = planOnly(lineinfileModule, {
      path: t.path('f'), line: 'x', mode: '0640', setype: 'httpd_sys_content_t', seuser: 'system_u', serole: 'object_r', selevel: 's0', unsafe_writes: true,
    });
    expect(withSe.changes).to.deep.equal(plain.changes).and.deep.equal([]);
  });

  it('a misspelt SELinux argument is still refused with a suggestion', () => {
    let hint = '';
    try {
      planOnly(fileModule, { path: t.path('f'), state: 'touch', setyp: 'x' });
    } catch (err) {
      hint = `${(err as Error).message} ${(err as { hint?: string }).hint ?? ''}`;
    }
    expect(hint).to.match(/no argument 'setyp'.*did you mean 'setype'/);
  });
});
