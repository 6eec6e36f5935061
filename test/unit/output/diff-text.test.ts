import { expect } from 'chai';
import { palette } from '../../../src/output/colors.js';
import { diffText, MAX_DIFF_BYTES } from '../../../src/output/diff-text.js';

describe('output/diff-text', () => {
  it('shows a new file as all additions, with before/after headers', () => {
    expect(diffText({ path: '/etc/x', before: '', after: 'a\nb\n' }, palette(false))).to.equal('--- before: /etc/x\n+++ after: /etc/x\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });

  it('notes a missing final newline as diff does', () => {
    expect(diffText({ path: '/f', before: 'a', after: 'b' }, palette(false))).to.contain('\\ No newline at end of file');
  });

  it('summarises huge files instead of printing them', () => {
    const big = 'x'.repeat(MAX_DIFF_BYTES);
    expect(diffText({ path: '/big', before: big, after: `${big}y` }, palette(false))).to.contain('diff not shown');
  });
});
