// blockinfile's rules as a table of file text and arguments mapped to the new text and Ansible's
// message (each row was checked against ansible-core 2.14.18's module), then run for real.
import { expect } from 'chai';
import { lstatSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { blockEdit, blockinfileModule } from '../../../../src/modules/generic/blockinfile.js';
import { apply, loc, planOnly, tempDir } from '../lib/local.js';

const B = '# BEGIN ANSIBLE MANAGED BLOCK\n';
const E = '# END ANSIBLE MANAGED BLOCK\n';

/** [what, file text (null: missing), arguments, new text, message]. */
const table: Array<[string, string | null, Record<string, unknown>, string, string]> = [
  ['appends a new block at EOF', 'a\nb\n', { block: 'x\ny' }, `a\nb\n${B}x\ny\n${E}`, 'Block inserted'],
  ['gives the last line its newline first', 'a\nb', { block: 'x' }, `a\nb\n${B}x\n${E}`, 'Block inserted'],
  ['replaces the block in place', `a\n${B}old\n${E}b\n`, { block: 'new' }, `a\n${B}new\n${E}b\n`, 'Block inserted'],
  ['leaves an identical block alone', `a\n${B}old\n${E}b\n`, { block: 'old' }, `a\n${B}old\n${E}b\n`, ''],
  ['removes the block and its markers', `a\n${B}old\n${E}b\n`, { state: 'absent' }, 'a\nb\n', 'Block removed'],
  ['an empty block removes it too', `a\n${B}old\n${E}`, { block: '' }, 'a\n', 'Block removed'],
  ['markers in reverse order: the span between them is replaced', `a\n${E}old\n${B}b\n`, { block: 'n' }, `a\n${B}n\n${E}b\n`, 'Block inserted'],
  ['absent without a block still ends the last line, as Ansible does', 'a\nb', { state: 'absent' }, 'a\nb\n', 'Block removed'],
  ['only a begin marker: a second block is added', `a\n${B}old\n`, { block: 'new' }, `a\n${B}old\n${B}new\n${E}`, 'Block inserted'],
  ['insertafter: after the last matching line', '[x]\nk=1\n[y]\nk=2\n[x]\n', { block: 'z=1', insertafter: '^\\[x\\]' }, `[x]\nk=1\n[y]\nk=2\n[x]\n${B}z=1\n${E}`, 'Block inserted'],
  ['insertafter: $ matches before the newline', 'a\nb\n', { block: 'x', insertafter: 'a$' }, `a\n${B}x\n${E}b\n`, 'Block inserted'],
  ['insertbefore: before the last matching line', '[x]\nk=1\n[y]\nk=2\n', { block: 'z=1', insertbefore: '^\\[y\\]' }, `[x]\nk=1\n${B}z=1\n${E}[y]\nk=2\n`, 'Block inserted'],
  ['insertbefore: BOF', 'a\n', { block: 'z', insertbefore: 'BOF' }, `${B}z\n${E}a\n`, 'Block inserted'],
  ['insertafter without a match: EOF', 'a\n', { block: 'z', insertafter: 'nomatch' }, `a\n${B}z\n${E}`, 'Block inserted'],
  ['(?m) matches across lines', 'SID =\n  (SID_LIST =\nx\n', { block: 'z', insertafter: '(?m)SID =\\n.*\\(SID_LIST =' }, `SID =\n  (SID_LIST =\n${B}z\n${E}x\n`, 'Block inserted'],
  ['(?m) ending on a newline skips a line, as Ansible counts', 'a\nb\n', { block: 'x', insertafter: '(?m)a\\n' }, `a\nb\n${B}x\n${E}`, 'Block inserted'],
  ['custom marker with marker_begin/end', 'a\n', { block: 'z', marker: '<!-- {mark} -->', marker_begin: 'B', marker_end: 'E' }, 'a\n<!-- B -->\nz\n<!-- E -->\n', 'Block inserted'],
  ['a lone \\r ends a line as Python splitlines reads it', 'a\rb\n', { block: 'x', insertafter: '^a' }, `a\r\n${B}x\n${E}b\n`, 'Block inserted'],
  ['create: a new file', null, { block: 'z', create: true }, `${B}z\n${E}`, 'File created'],
  ['create with no block: an empty file', null, { create: true }, '', 'File created'],
];

describe('modules/generic/blockinfile', () => {
  for (const [what, text, raw, want, msg] of table) {
    it(what, () => {
      const args = blockinfileModule.parse({ path: '/etc/x', ...raw }, loc);
      const r = blockEdit(text ?? '', text !== null, args);
      expect(r).to.deep.equal({ text: want, msg });
      // Idempotent, except where Ansible is not (a block without its end marker).
      if (!what.startsWith('only a begin')) expect(blockEdit(r.text, true, args).msg).to.equal('');
    });
  }

  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('edits on the host, keeps the mode, reports backup_file, then changes nothing', () => {
    const path = t.path('hosts');
    writeFileSync(path, '127.0.0.1 localhost\n', { mode: 0o640 });
    const raw = { path, block: '10.0.0.11 db1', marker: '# {mark} db1', backup: true };
    const r = apply(blockinfileModule, raw);
    expect(r.plan.changes).to.deep.equal([`${path}: Block inserted`]);
    expect(r.plan.diffs).to.deep.equal([{ path, before: '127.0.0.1 localhost\n', after: '127.0.0.1 localhost\n# BEGIN db1\n10.0.0.11 db1\n# END db1\n' }]);
    expect(r.after?.data?.backup_file).to.match(/hosts\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect(readFileSync(path, 'utf8')).to.equal('127.0.0.1 localhost\n# BEGIN db1\n10.0.0.11 db1\n# END db1\n');
    expect(statSync(path).mode & 0o777).to.equal(0o640);
    expect(apply(blockinfileModule, raw).plan.changes).to.deep.equal([]);
  });

  it('a missing file fails unless create, even for state=absent (as Ansible); create makes the parents', () => {
    const path = t.path('etc/sudoers.d/app');
    expect(planOnly(blockinfileModule, { path, block: 'x' }).failure).to.deep.equal({ msg: `Path ${path} does not exist !`, needs: [{ kind: 'path', path }] });
    expect(planOnly(blockinfileModule, { path, state: 'absent' }).failure?.msg).to.equal(`Path ${path} does not exist !`);
    expect(planOnly(blockinfileModule, { path, state: 'absent', create: true })).to.deep.include({ changes: [], data: { msg: `File ${path} not present` } });
    apply(blockinfileModule, { path, block: 'deploy ALL=(root) NOPASSWD: /bin/true', create: true, mode: '0440' });
    expect(readFileSync(path, 'utf8')).to.equal(`${B}deploy ALL=(root) NOPASSWD: /bin/true\n${E}`);
    expect(statSync(path).mode & 0o777).to.equal(0o440);
  });

  it('a symlink at path is replaced, never followed, unless follow: yes', () => {
    writeFileSync(t.path('real'), 'secret\n');
    symlinkSync('real', t.path('link'));
    const r = apply(blockinfileModule, { path: t.path('link'), block: 'b' });
    expect(JSON.stringify(r.plan)).not.to.contain('secret');
    expect(readFileSync(t.path('real'), 'utf8')).to.equal('secret\n');
    expect(lstatSync(t.path('link')).isFile()).to.equal(true);
    symlinkSync('real', t.path('link2'));
    apply(blockinfileModule, { path: t.path('link2'), block: 'b', follow: true });
    expect(readFileSync(t.path('real'), 'utf8')).to.equal(`secret\n${B}b\n${E}`);
  });

  it('refuses bad arguments before anything runs', () => {
    expect(() => blockinfileModule.parse({ block: 'x' }, loc)).to.throw(/'path' is required/);
    expect(() => blockinfileModule.parse({ path: '/x', insertafter: 'a', insertbefore: 'b' }, loc)).to.throw(/mutually exclusive/);
    expect(() => blockinfileModule.parse({ path: '/x', insertafter: '(' }, loc)).to.throw(/'insertafter' is not a valid regular expression/);
    expect(() => blockinfileModule.parse({ path: '/x', marker: '# {mark}\nmore' }, loc)).to.throw(/'marker' must be one line/);
    expect(() => blockinfileModule.parse({ path: '/x', blok: 'x' }, loc)).to.throw(/has no argument 'blok'/);
    expect(blockinfileModule.parse({ dest: '/x', content: 'y' }, loc)).to.deep.include({ path: '/x', block: 'y' });
  });
});
