// replace's rules as a table (each row checked against ansible-core 2.14.18's module): Python
// regex in MULTILINE mode, \1 and \g<name> groups, the after/before fences; then run for real.
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { codecFor, replaceEdit, replaceModule } from '../../../../src/modules/generic/replace.js';
import { apply, loc, planOnly, tempDir } from '../lib/local.js';

/** [what, file text, arguments, new text, message]. */
const table: Array<[string, string, Record<string, unknown>, string, string]> = [
  ['swaps groups on every line', 'a=1\nb=2\n', { regexp: '^(\\w)=(\\d)$', replace: '\\2=\\1' }, '1=a\n2=b\n', '2 replacements made'],
  ['no match: nothing', 'a=1\n', { regexp: '^c=', replace: 'x' }, 'a=1\n', ''],
  ['a match replaced by itself: not changed', 'a=1\n', { regexp: '^a=1$', replace: 'a=1' }, 'a=1\n', ''],
  ['without replace, matches are removed', 'old\n', { regexp: 'old' }, '\n', '1 replacements made'],
  ['between after and before only', 'x\n<V>\na\nb\n</V>\ny\n', { after: '(?m)^<V>', before: '</V>', regexp: '^(.+)$', replace: '# \\1' }, 'x\n<V>\n# a\n# b\n</V>\ny\n', '2 replacements made'],
  ['after only', 'x\n<V>\na\n', { after: '<V>', regexp: '^(.+)$', replace: '# \\1' }, 'x\n<V>\n# a\n', '1 replacements made'],
  ['before only', 'x\n<V>\na\n', { before: '<V>', regexp: '^(.+)$', replace: '# \\1' }, '# x\n<V>\na\n', '1 replacements made'],
  ['named groups and \\n in the replacement', 'k v\n', { regexp: '^(?P<key>k) (?P<v>\\w)$', replace: '\\g<v> \\g<key>\\n' }, 'v k\n\n', '1 replacements made'],
  ['$ is before \\n only, so \\r stays in CRLF files', 'a\r\nb\r\n', { regexp: '^b$', replace: 'B' }, 'a\r\nb\r\n', ''],
  ['\\r$ strips CRLF endings', 'a\r\nb\r\n', { regexp: '\\r$', replace: '' }, 'a\nb\n', '2 replacements made'],
  ['empty matches count as Python counts them', 'abxd', { regexp: 'x*', replace: '-' }, '-a-b--d-', '5 replacements made'],
];

describe('modules/generic/replace', () => {
  for (const [what, text, raw, want, msg] of table) {
    it(what, () => {
      expect(replaceEdit(text, replaceModule.parse({ path: '/etc/x', ...raw }, loc))).to.deep.equal({ text: want, msg });
    });
  }

  it('after/before matching nothing: stop, with the joined pattern, as Ansible says', () => {
    const args = replaceModule.parse({ path: '/x', after: 'nomatch', regexp: 'x', replace: 'y' }, loc);
    expect(replaceEdit('x\n', args)).to.deep.equal({ text: 'x\n', msg: 'Pattern for before/after params did not match the given file: nomatch(?P<subsection>.*)', stop: true });
  });

  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('replaces on the host with a diff, then changes nothing; a missing file fails', () => {
    const path = t.path('hosts');
    writeFileSync(path, '10.0.0.5 old.example.com old\n');
    const raw = { path, regexp: '(\\s+)old\\.example\\.com(\\s+.*)?$', replace: '\\1new.example.com\\2' };
    const r = apply(replaceModule, raw);
    expect(r.plan.changes).to.deep.equal([`${path}: 1 replacements made`]);
    expect(r.plan.diffs?.[0]).to.deep.include({ before: '10.0.0.5 old.example.com old\n', after: '10.0.0.5 new.example.com old\n' });
    expect(readFileSync(path, 'utf8')).to.equal('10.0.0.5 new.example.com old\n');
    expect(apply(replaceModule, raw).plan.changes).to.deep.equal([]);
    expect(planOnly(replaceModule, { path: t.path('none'), regexp: 'x' }).failure?.msg).to.equal(`Path ${t.path('none')} does not exist !`);
  });

  it('reads and writes latin-1 files byte for byte; invalid UTF-8 is refused with what to do', () => {
    const path = t.path('latin');
    writeFileSync(path, Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    expect(planOnly(replaceModule, { path, regexp: 'caf' }).failure?.msg).to.match(/cannot read .*latin: /);
    apply(replaceModule, { path, regexp: 'caf', replace: 'th', encoding: 'latin-1' });
    expect(readFileSync(path)).to.deep.equal(Buffer.from([0x74, 0x68, 0xe9, 0x0a]));
    expect(codecFor('ISO-8859-1')).to.equal(codecFor('latin1'));
  });

  it('refuses bad arguments before anything runs', () => {
    expect(() => replaceModule.parse({ path: '/x' }, loc)).to.throw(/'regexp' is required/);
    expect(() => replaceModule.parse({ path: '/x', regexp: '(' }, loc)).to.throw(/'regexp' is not a valid regular expression/);
    expect(() => replaceModule.parse({ path: '/x', regexp: 'a', before: '[' }, loc)).to.throw(/'before' is not a valid/);
    expect(() => replaceModule.parse({ path: '/x', regexp: 'a', encoding: 'cp1252' }, loc)).to.throw(/encoding 'cp1252' is not supported/);
    expect(() => replaceModule.parse({ path: '/x', regexp: 'a', replac: 'b' }, loc)).to.throw(/has no argument 'replac'/);
  });
});
