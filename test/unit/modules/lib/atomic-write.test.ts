// The write step itself, run with /bin/sh: content from stdin, modes, validate, symlinks, backups.
import { expect } from 'chai';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync, symlinkSync, lstatSync } from 'node:fs';
import { atomicWriteStep, writeOutcome } from '../../../../src/modules/lib/atomic-write.js';
import { sh, tempDir } from './local.js';

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

  it('writes through a symlink, makes parents on request, reports the backup', () => {
    writeFileSync(t.path('target'), 'v1');
    symlinkSync('target', t.path('link'));
    const step = atomicWriteStep({ path: t.path('link'), content: 'v2', backup: true });
    const r = sh(step.script, step.stdin);
    expect(lstatSync(t.path('link')).isSymbolicLink()).to.equal(true);
    expect(readFileSync(t.path('target'), 'utf8')).to.equal('v2');
    expect(readFileSync(writeOutcome(r).backupFile!, 'utf8')).to.equal('v1');
    const deep = atomicWriteStep({ path: t.path('a/b/c'), content: 'x', makeParents: true });
    expect(sh(deep.script, deep.stdin).code).to.equal(0);
    expect(readFileSync(t.path('a/b/c'), 'utf8')).to.equal('x');
  });
});
