// The write step itself, run with /bin/sh: content from stdin, modes, validate, symlinks, backups.
import { expect } from 'chai';
import { chmodSync, lchownSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { atomicWriteStep, CONTENT_MISMATCH, writeOutcome } from '../../../../src/modules/lib/atomic-write.js';
import { isRoot, sh, tempDir } from './local.js';

describe('modules/lib/atomic-write', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('keeps content off the command line and writes it from stdin', () => {
    const secret = 'p@ss&word=+!%';
    const step = atomicWriteStep({ path: t.path('s'), content: `requirepass ${secret}\n`, mode: '0600' });
    expect(step.script).not.to.contain(secret);
    const r = sh(step.script, step.stdin);
    expect(r.code, r.stderr).to.equal(0);
    expect(readFileSync(t.path('s'), 'utf8')).to.equal(`requirepass ${secret}\n`);
    expect(statSync(t.path('s')).mode & 0o777).to.equal(0o600);
  });

  it('a new file without mode gets 0666 minus the umask, not mktemp 0600', () => {
    const step = atomicWriteStep({ path: t.path('n'), content: 'x' });
    expect(sh(`umask 022\n${step.script}`, step.stdin).code).to.equal(0);
    expect(statSync(t.path('n')).mode & 0o777).to.equal(0o644);
  });

  it('validation failure: exit 3, message with the validator output, old file and directory untouched', () => {
    writeFileSync(t.path('c'), 'old');
    chmodSync(t.path('c'), 0o640);
    const step = atomicWriteStep({ path: t.path('c'), content: 'new', validate: 'echo "syntax error in %s" && false' });
    const r = sh(step.script, step.stdin);
    expect(r.code).to.equal(3);
    expect(writeOutcome(r).failed).to.match(/^validation failed \(exit 1\): syntax error in .*\.runbook-tmp\.\w+ \(the old file is unchanged\)$/);
    expect(readFileSync(t.path('c'), 'utf8')).to.equal('old');
    expect(readdirSync(t.dir)).to.deep.equal(['c']);
  });

  it('follow: yes writes through a symlink; makes parents on request; the backup is the old file', () => {
    writeFileSync(t.path('target'), 'v1');
    symlinkSync('target', t.path('link'));
    const step = atomicWriteStep({ path: t.path('link'), content: 'v2', backup: true, follow: true });
    const r = sh(step.script, step.stdin);
    expect(r.code, r.stderr).to.equal(0);
    expect(lstatSync(t.path('link')).isSymbolicLink()).to.equal(true);
    expect(readFileSync(t.path('target'), 'utf8')).to.equal('v2');
    expect(writeOutcome(r).destFile).to.equal(t.path('target'));
    expect(readFileSync(writeOutcome(r).backupFile!, 'utf8')).to.equal('v1');
    const deep = atomicWriteStep({ path: t.path('a/b/c'), content: 'x', makeParents: true });
    expect(sh(deep.script, deep.stdin).code).to.equal(0);
    expect(readFileSync(t.path('a/b/c'), 'utf8')).to.equal('x');
  });

  it('names a backup PATH.PID.DATE~ as Ansible does, so two backups in one second do not collide', () => {
    writeFileSync(t.path('f'), 'v1');
    const first = atomicWriteStep({ path: t.path('f'), content: 'v2', backup: true });
    const second = atomicWriteStep({ path: t.path('f'), content: 'v3', backup: true });
    const r1 = sh(first.script, first.stdin);
    const r2 = sh(second.script, second.stdin);
    expect(r1.code, r1.stderr).to.equal(0);
    expect(r2.code, r2.stderr).to.equal(0);
    const names = [writeOutcome(r1).backupFile!, writeOutcome(r2).backupFile!];
    for (const n of names) expect(n).to.match(/\/f\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect(names.map((n) => readFileSync(n, 'utf8'))).to.deep.equal(['v1', 'v2']);
  });

  it('without follow, a symlink at dest is replaced by the file and its target left alone', () => {
    writeFileSync(t.path('target'), 'secret');
    symlinkSync('target', t.path('link'));
    const step = atomicWriteStep({ path: t.path('link'), content: 'new', mode: '0644' });
    const r = sh(step.script, step.stdin);
    expect(r.code, r.stderr).to.equal(0);
    expect(readFileSync(t.path('target'), 'utf8')).to.equal('secret');
    expect(lstatSync(t.path('link')).isFile()).to.equal(true);
    expect(readFileSync(t.path('link'), 'utf8')).to.equal('new');
  });

  it('a stream that ends early: exit 4, the old file and directory untouched, nothing renamed', () => {
    writeFileSync(t.path('f'), 'old');
    const content = Buffer.alloc(100_000, 'x');
    const step = atomicWriteStep({ path: t.path('f'), content });
    const r = sh(step.script, content.subarray(0, 40_000));
    expect(r.code).to.equal(CONTENT_MISMATCH);
    expect(writeOutcome(r).failed).to.contain('the content arrived incomplete (40000 of 100000 bytes): the old file is unchanged');
    expect(readFileSync(t.path('f'), 'utf8')).to.equal('old');
    expect(readdirSync(t.dir)).to.deep.equal(['f']);
  });

  it('content that is not what was sent (same length): exit 4 on the checksum, the old file untouched', () => {
    writeFileSync(t.path('f'), 'old');
    const step = atomicWriteStep({ path: t.path('f'), content: 'good' });
    const r = sh(step.script, 'evil');
    expect(r.code).to.equal(CONTENT_MISMATCH);
    expect(r.stderr).to.match(/the content arrived corrupted \(sha256 [0-9a-f]{64}, sent [0-9a-f]{64}\)/);
    expect(readFileSync(t.path('f'), 'utf8')).to.equal('old');
    expect(readdirSync(t.dir)).to.deep.equal(['f']);
  });

  it('the temporary file is created with O_EXCL at an unpredictable name, in the destination directory', () => {
    const step = atomicWriteStep({ path: t.path('f'), content: 'x' });
    expect(step.script).to.contain('tmp=$(mktemp -u .runbook-tmp.XXXXXXXXXX)').and.contain('set -C; exec 3>"$tmp"');
    // Owner and mode go through the open descriptor, never through a name.
    const owned = atomicWriteStep({ path: t.path('f'), content: 'x', owner: 'root', mode: '0600' });
    expect(owned.script).to.contain("chown root /proc/self/fd/3").and.contain("chmod 0600 /proc/self/fd/3");
  });

  (isRoot ? it : it.skip)("a link another user owns in dest's directory path is not followed (as root)", () => {
    mkdirSync(t.path('real'));
    symlinkSync(t.path('real'), t.path('user-dir'));
    lchownSync(t.path('user-dir'), 65534, 65534);
    const step = atomicWriteStep({ path: t.path('user-dir/f'), content: 'x' });
    const r = sh(step.script, step.stdin);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`${t.path('user-dir')} is a symbolic link owned by uid 65534`);
    expect(readdirSync(t.path('real'))).to.deep.equal([]);
    // follow: yes on a link at dest that user owns, to a file she does not own: refused too.
    writeFileSync(t.path('victim'), 'secret');
    symlinkSync(t.path('victim'), t.path('user-link'));
    lchownSync(t.path('user-link'), 65534, 65534);
    const f = atomicWriteStep({ path: t.path('user-link'), content: 'x', follow: true, owner: '65534' });
    expect(sh(f.script, f.stdin).code).to.equal(1);
    expect(readFileSync(t.path('victim'), 'utf8')).to.equal('secret');
    expect(statSync(t.path('victim')).uid).to.equal(0);
  });
});
