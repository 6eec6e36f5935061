// The previous-content copy the write step keeps for handlers, and the restore and discard steps,
// run for real with /bin/sh in a temporary directory (RUNBOOK_BACKUP_DIR points the copies there).
import { expect } from 'chai';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { atomicWriteStep, replacedFiles, writeOutcome } from '../../../../src/modules/lib/atomic-write.js';
import { discardStep, readRestore, restoreStep } from '../../../../src/modules/lib/restore-files.js';
import type { Step } from '../../../../src/modules/types.js';
import { sh, tempDir } from './local.js';

describe('modules/lib/restore-files (keep previous content, restore it)', () => {
  let t: ReturnType<typeof tempDir>;
  let kept: string;
  beforeEach(() => {
    t = tempDir();
    kept = t.path('kept');
  });
  afterEach(() => t.cleanup());

  const run = (step: Step) => sh(`RUNBOOK_BACKUP_DIR=${kept}; export RUNBOOK_BACKUP_DIR\n${step.script}`, step.stdin);

  it('keeps the old file (content and mode) in the same step that replaces it, and says where', () => {
    writeFileSync(t.path('redis.conf'), 'bind 127.0.0.1\n');
    chmodSync(t.path('redis.conf'), 0o640);
    const r = run(atomicWriteStep({ path: t.path('redis.conf'), content: 'bind 10.9.9.9\n', mode: '0600', keepPrevious: true }));
    expect(r.code, r.stderr).to.equal(0);
    const out = writeOutcome(r);
    expect(out.previous).to.match(new RegExp(`^${kept}/redis\\.conf\\.\\w{8}$`));
    expect(readFileSync(out.previous!, 'utf8')).to.equal('bind 127.0.0.1\n');
    expect(statSync(out.previous!).mode & 0o777).to.equal(0o640);
    expect(statSync(kept).mode & 0o777).to.equal(0o700);
    expect(readFileSync(t.path('redis.conf'), 'utf8')).to.equal('bind 10.9.9.9\n');
    expect(replacedFiles(t.path('redis.conf'), out)).to.deep.equal([{ path: t.path('redis.conf'), previous: out.previous }]);
  });

  it('a new file has no previous content (null); without keepPrevious nothing is kept or reported', () => {
    const created = writeOutcome(run(atomicWriteStep({ path: t.path('new'), content: 'x', keepPrevious: true })));
    expect(created.previous).to.equal(null);
    expect(existsSync(kept)).to.equal(false);
    const plain = writeOutcome(run(atomicWriteStep({ path: t.path('new'), content: 'y' })));
    expect(plain).to.deep.equal({ destFile: t.path('new') });
    expect(replacedFiles(t.path('new'), plain)).to.equal(undefined);
    expect(existsSync(kept)).to.equal(false);
  });

  it('a refused validation keeps no copy: the old file is still in place', () => {
    writeFileSync(t.path('c'), 'old');
    const r = run(atomicWriteStep({ path: t.path('c'), content: 'new', validate: 'false %s', keepPrevious: true }));
    expect(r.code).to.equal(3);
    expect(writeOutcome(r).previous).to.equal(undefined);
    expect(readFileSync(t.path('c'), 'utf8')).to.equal('old');
    expect(existsSync(kept) ? readdirSync(kept) : []).to.deep.equal([]);
  });

  it('restores files atomically (mode too, through a symlink), removes a file that was new, and the copies', () => {
    writeFileSync(t.path('a.conf'), 'a-old');
    chmodSync(t.path('a.conf'), 0o604);
    mkdirSync(t.path('real'));
    writeFileSync(t.path('real/b.conf'), 'b-old');
    symlinkSync(t.path('real/b.conf'), t.path('b.conf'));
    const a = writeOutcome(run(atomicWriteStep({ path: t.path('a.conf'), content: 'a-new', mode: '0644', keepPrevious: true })));
    const b = writeOutcome(run(atomicWriteStep({ path: t.path('b.conf'), content: 'b-new', keepPrevious: true })));
    const c = writeOutcome(run(atomicWriteStep({ path: t.path('c.conf'), content: 'c-new', keepPrevious: true })));
    const files = [
      { path: t.path('a.conf'), previous: a.previous! },
      { path: t.path('b.conf'), previous: b.previous! },
      { path: t.path('c.conf'), previous: c.previous! },
    ];
    const r = run(restoreStep(files));
    expect(r.code, r.stderr).to.equal(0);
    expect(readRestore(files, r)).to.deep.equal({ restored: files, notRestored: [], detail: undefined });
    expect(readFileSync(t.path('a.conf'), 'utf8')).to.equal('a-old');
    expect(statSync(t.path('a.conf')).mode & 0o777).to.equal(0o604);
    expect(readFileSync(t.path('real/b.conf'), 'utf8')).to.equal('b-old');
    expect(existsSync(t.path('c.conf'))).to.equal(false);
    expect(readdirSync(kept)).to.deep.equal([]);
    expect(readdirSync(t.dir).filter((f) => f.includes('runbook-tmp'))).to.deep.equal([]);
  });

  it('goes on past a file it cannot restore and names it', () => {
    writeFileSync(t.path('a'), 'old');
    const a = writeOutcome(run(atomicWriteStep({ path: t.path('a'), content: 'new', keepPrevious: true })));
    const files = [{ path: t.path('gone'), previous: `${kept}/gone.XXXX` }, { path: t.path('a'), previous: a.previous! }];
    const r = run(restoreStep(files));
    const res = readRestore(files, r);
    expect(res.restored.map((f) => f.path)).to.deep.equal([t.path('a')]);
    expect(res.notRestored.map((f) => f.path)).to.deep.equal([t.path('gone')]);
    expect(res.detail).to.match(/the kept copy .*gone\.XXXX is gone[\s\S]*could not restore .*\/gone/);
    expect(readFileSync(t.path('a'), 'utf8')).to.equal('old');
  });

  it('discards kept copies', () => {
    writeFileSync(t.path('a'), 'old');
    const a = writeOutcome(run(atomicWriteStep({ path: t.path('a'), content: 'new', keepPrevious: true })));
    expect(run(discardStep([a.previous!])).code).to.equal(0);
    expect(readdirSync(kept)).to.deep.equal([]);
  });
});
