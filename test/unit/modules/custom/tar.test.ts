import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tarArchive } from '../../../../src/modules/lib/tar.js';
import { scratchDir } from '../../../support/temp-dir.js';

describe('tarArchive (the one upload of a custom module)', () => {
  it("GNU tar unpacks it: folders made, bytes and modes kept", () => {
    const bin = Buffer.from(Array.from({ length: 1500 }, (_, i) => i % 256));
    const archive = tarArchive([
      { path: 'module/demo', content: bin, mode: 0o700 },
      { path: 'args', content: '{"a": 1}', mode: 0o600 },
      { path: 'lib/ansible/module_utils/basic.py', content: 'x = 1\n', mode: 0o600 },
    ]);
    expect(archive.length % 512).to.equal(0);
    const dir = scratchDir('runbook-tar-');
    const r = spawnSync('tar', ['-x', '-o', '-f', '-', '-C', dir], { input: archive });
    expect(r.status, r.stderr.toString()).to.equal(0);
    expect(readFileSync(join(dir, 'module/demo')).equals(bin)).to.equal(true);
    expect(readFileSync(join(dir, 'args'), 'utf8')).to.equal('{"a": 1}');
    expect(statSync(join(dir, 'module/demo')).mode & 0o777).to.equal(0o700);
    expect(statSync(join(dir, 'args')).mode & 0o777).to.equal(0o600);
    expect(readFileSync(join(dir, 'lib/ansible/module_utils/basic.py'), 'utf8')).to.equal('x = 1\n');
  });

  it('refuses paths that would leave the folder', () => {
    expect(() => tarArchive([{ path: '../x', content: '', mode: 0o600 }])).to.throw(/unsafe/);
    expect(() => tarArchive([{ path: '/etc/x', content: '', mode: 0o600 }])).to.throw(/unsafe/);
  });
});
