// template run for real with a stub renderer: per-host content, diff, idempotency.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { templateModule } from '../../../../src/modules/generic/template.js';
import { apply, fakeCtx, loc } from '../lib/local.js';
import { tempDir } from '../lib/local.js';

describe('modules/generic/template', () => {
  it('renders per host, writes, shows the diff, then is idempotent', () => {
    const t = tempDir();
    try {
      const dest = t.path('redis.conf');
      writeFileSync(dest, 'bind 127.0.0.1\n');
      let rendered = 'bind 10.0.0.5\n';
      const ctx = fakeCtx({ renderTemplate: (p) => (p === 'redis.conf.hbs' ? rendered : '') });
      const r = apply(templateModule, { src: 'redis.conf.hbs', dest, mode: '0640' }, ctx);
      expect(r.plan.changes).to.deep.equal([`update ${dest}`]);
      expect(r.plan.diffs).to.deep.equal([{ path: dest, before: 'bind 127.0.0.1\n', after: 'bind 10.0.0.5\n' }]);
      expect(readFileSync(dest, 'utf8')).to.equal(rendered);
      expect(apply(templateModule, { src: 'redis.conf.hbs', dest, mode: '0640' }, ctx).plan.changes).to.deep.equal([]);
      rendered = 'bind 10.0.0.6\n';
      expect(apply(templateModule, { src: 'redis.conf.hbs', dest, mode: '0640' }, ctx).plan.changes).to.deep.equal([`update ${dest}`]);
    } finally {
      t.cleanup();
    }
  });

  it('needs src and dest', () => {
    expect(() => templateModule.parse({ dest: '/x' }, loc)).to.throw(/'src' is required/);
    expect(() => templateModule.parse({ src: 'a' }, loc)).to.throw(/'dest' is required/);
  });
});
