// lineinfile editing rules as pure text cases, mirroring Ansible's behaviour.
import { expect } from 'chai';
import { lineAbsent, linePresent, type LinePresent } from '../../../../src/modules/lib/line-edit.js';
import { expandTemplate, pyRegExp } from '../../../../src/modules/lib/pyregex.js';

const opts = (o: Partial<LinePresent> & { line: string }): LinePresent => ({ backrefs: false, firstmatch: false, ...o });

describe('modules/lib/line-edit (Ansible lineinfile rules)', () => {
  const cases: Array<[string, string, LinePresent, string, string]> = [
    ['appends at EOF', 'a\nb\n', opts({ line: 'c' }), 'a\nb\nc\n', 'line added'],
    ['adds the missing final newline first', 'a', opts({ line: 'b' }), 'a\nb\n', 'line added'],
    ['keeps an identical line', 'a\nc\nb\n', opts({ line: 'c' }), 'a\nc\nb\n', ''],
    ['replaces the last regexp match', 'x=1\ny=2\nx=3\n', opts({ line: 'x=9', regexp: /^x=/ }), 'x=1\ny=2\nx=9\n', 'line replaced'],
    ['firstmatch replaces the first', 'x=1\ny=2\nx=3\n', opts({ line: 'x=9', regexp: /^x=/, firstmatch: true }), 'x=9\ny=2\nx=3\n', 'line replaced'],
    ['inserts after a regexp', '[a]\nfoo\n[b]\n', opts({ line: 'bar', insertafter: /^\[a\]/ }), '[a]\nbar\nfoo\n[b]\n', 'line added'],
    ['inserts before a regexp (last match)', 'k\n# end\nk\n# end\n', opts({ line: 'v', insertbefore: /^# end/ }), 'k\n# end\nk\nv\n# end\n', 'line added'],
    ['BOF', 'a\n', opts({ line: '#!/bin/sh', insertbefore: 'BOF' }), '#!/bin/sh\na\n', 'line added'],
    ['insertafter with no match goes to EOF', 'a\n', opts({ line: 'z', insertafter: /^nomatch/ }), 'a\nz\n', 'line added'],
    ['regexp not matching falls back to the insert point', 'a\n[s]\n', opts({ line: 'k=1', regexp: /^k=/, insertafter: /^\[s\]/ }), 'a\n[s]\nk=1\n', 'line added'],
    ['backrefs expand groups', 'port 80\n', opts({ line: 'listen \\1', regexp: /^port (\d+)/, backrefs: true }), 'listen 80\n', 'line replaced'],
    ['backrefs without a match change nothing', 'x\n', opts({ line: 'listen \\1', regexp: /^port (\d+)/, backrefs: true }), 'x\n', ''],
    ['search_string', 'a foo b\nc\n', opts({ line: 'new', searchString: 'foo' }), 'new\nc\n', 'line replaced'],
    ['empty file', '', opts({ line: 'only' }), 'only\n', 'line added'],
  ];
  for (const [name, text, o, want, msg] of cases) {
    it(name, () => {
      const r = linePresent(text, o);
      expect(r).to.deep.equal({ text: want, msg });
      // Idempotent: applying again never changes the text (except backrefs by design).
      if (!o.backrefs) expect(linePresent(r.text, o).text).to.equal(r.text);
    });
  }

  it('absent removes every match and counts them', () => {
    expect(lineAbsent('a\nx=1\nb\nx=2\n', { regexp: /^x=/ })).to.deep.equal({ text: 'a\nb\n', found: 2 });
    expect(lineAbsent('a\nb\n', { line: 'b' })).to.deep.equal({ text: 'a\n', found: 1 });
    expect(lineAbsent('a\n', { searchString: 'zz' })).to.deep.equal({ text: 'a\n', found: 0 });
  });

  it('maps Python regex syntax and expands Python templates', () => {
    const m = pyRegExp('(?i)^(?P<key>\\w+)\\s*=\\s*(?P=key)$').exec('AbC = AbC')!;
    expect(m.groups?.key).to.equal('AbC');
    const n = pyRegExp('^(\\w+)=(\\d+)').exec('port=80')!;
    expect(expandTemplate('\\2 for \\g<1>\\t\\9!', n)).to.equal('80 for port\t!');
  });
});
