// stat run for real: the registered fields Ansible playbooks read.
import { expect } from 'chai';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { statModule } from '../../../../src/modules/generic/stat.js';
import { loc, planOnly, tempDir } from '../lib/local.js';

describe('modules/generic/stat', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('reports a regular file with sha1, mode and owner, and never changes', () => {
    writeFileSync(t.path('f'), 'hello\n');
    chmodSync(t.path('f'), 0o640);
    const plan = planOnly(statModule, { path: t.path('f') });
    expect(plan.changes).to.deep.equal([]);
    const stat = plan.data!.stat as Record<string, unknown>;
    expect(stat).to.deep.include({
      exists: true,
      isreg: true,
      isdir: false,
      islnk: false,
      mode: '0640',
      size: 6,
      checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f',
      rusr: true,
      roth: false,
    });
    expect(stat.pw_name).to.be.a('string');
    expect(stat.uid).to.equal(process.getuid?.());
  });

  it('missing path, directory, and a link with and without follow', () => {
    expect(planOnly(statModule, { path: t.path('none') }).data).to.deep.equal({ stat: { exists: false } });
    mkdirSync(t.path('d'));
    expect(planOnly(statModule, { path: t.path('d') }).data!.stat).to.deep.include({ isdir: true, isreg: false });
    writeFileSync(t.path('target'), 'x');
    symlinkSync('target', t.path('l'));
    expect(planOnly(statModule, { path: t.path('l') }).data!.stat).to.deep.include({ islnk: true, lnk_target: 'target', lnk_source: t.path('target') });
    expect(planOnly(statModule, { path: t.path('l') }).data!.stat).not.to.have.property('checksum');
    expect(planOnly(statModule, { path: t.path('l'), follow: true }).data!.stat).to.deep.include({ isreg: true, size: 1 });
  });

  it('only sha1 checksums', () => {
    expect(() => statModule.parse({ path: '/x', checksum_algorithm: 'md5' }, loc)).to.throw(/sha1/);
  });
});
