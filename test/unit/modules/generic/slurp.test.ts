// slurp: canned probe output mapped to the registered result or Ansible's failure messages, and the
// real probe run on this machine.
import { expect } from 'chai';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { InputError } from '../../../../src/core/errors.js';
import { planSlurp, slurpModule, slurpProbe } from '../../../../src/modules/generic/slurp.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { isRoot, loc, planOnly, tempDir } from '../lib/local.js';

const out = (stdout: string, code = 0): ExecResult => ({ stdout, stderr: '', code });

const table: [string, ExecResult, { data?: Record<string, unknown>; failure?: RegExp }][] = [
  ['returns the content base64-encoded', out('ok\naGVsbG8K'), { data: { content: 'aGVsbG8K', encoding: 'base64', source: '/etc/motd' } }],
  ['an empty file is an empty content', out('ok\n'), { data: { content: '', encoding: 'base64', source: '/etc/motd' } }],
  ['a missing file fails as in Ansible', out('missing\n'), { failure: /^file not found: \/etc\/motd$/ }],
  ['a directory fails as in Ansible', out('dir\n'), { failure: /^source is a directory and must be a file$/ }],
  ['an unreadable file fails as in Ansible', out('unreadable\n'), { failure: /^file is not readable: \/etc\/motd$/ }],
  ['a read cut short fails', { stdout: 'ok\naGV', stderr: 'base64: read error', code: 1 }, { failure: /unable to slurp file: base64: read error/ }],
];

describe('modules/generic/slurp', () => {
  for (const [what, probe, want] of table) {
    it(what, () => {
      const plan = planSlurp(slurpModule.parse({ src: '/etc/motd' }, loc), probe);
      expect(plan.changes).to.deep.equal([]);
      expect(plan.steps).to.deep.equal([]);
      if (want.data) expect(plan.data).to.deep.equal(want.data);
      if (want.failure) expect(plan.failure?.msg).to.match(want.failure);
    });
  }

  it('quotes the path in its one read', () => {
    expect(slurpProbe(slurpModule.parse({ path: "/tmp/it's" }, loc))).to.contain(`base64 -w 0 < '/tmp/it'\\''s'`);
  });

  it('reads this machine: the bytes come back whole, a template stays text', () => {
    const t = tempDir();
    try {
      const text = "{{ lookup('pipe','id') }}\n\u00e9\0binary";
      writeFileSync(t.path('f'), text);
      const plan = planOnly(slurpModule, { src: t.path('f') });
      expect(Buffer.from(String(plan.data!.content), 'base64').toString()).to.equal(text);
      mkdirSync(t.path('d'));
      expect(planOnly(slurpModule, { src: t.path('d') }).failure?.msg).to.equal('source is a directory and must be a file');
      expect(planOnly(slurpModule, { src: t.path('none') }).failure?.msg).to.equal(`file not found: ${t.path('none')}`);
      if (!isRoot) {
        chmodSync(t.path('f'), 0);
        expect(planOnly(slurpModule, { src: t.path('f') }).failure?.msg).to.match(/file is not readable/);
      }
    } finally {
      t.cleanup();
    }
  });

  it('refuses bad arguments at the task', () => {
    expect(() => slurpModule.parse({}, loc)).to.throw(InputError, /'src' is required/);
    expect(() => slurpModule.parse({ scr: '/x' }, loc)).to.throw(InputError, /has no argument 'scr'/);
  });
});
