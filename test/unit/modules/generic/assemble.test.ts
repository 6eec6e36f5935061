// assemble: Ansible's joining of fragments as a table, then for real here from a host directory
// and from a controller directory (remote_src: no).
import { expect } from 'chai';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { assembleFragments, assembleModule, escapeDecode, parseFragments, fragmentsScript } from '../../../../src/modules/generic/assemble.js';
import { apply, fakeCtx, loc, planOnly, sh, tempDir } from '../lib/local.js';

const f = (name: string, text: string) => ({ name, content: Buffer.from(text) });

const table: Array<[string, Array<{ name: string; content: Buffer }>, Record<string, unknown>, string]> = [
  ['in name order', [f('b', 'B\n'), f('a', 'A\n')], {}, 'A\nB\n'],
  ['a newline after a fragment without one', [f('a', 'A'), f('b', 'B')], {}, 'A\nB'],
  ['the delimiter between fragments, with its newline', [f('a', 'A\n'), f('b', 'B\n'), f('c', 'C\n')], { delimiter: '# --' }, 'A\n# --\nB\n# --\nC\n'],
  ['escapes in the delimiter', [f('a', 'A\n'), f('b', 'B\n')], { delimiter: '\\n#\\t-\\n' }, 'A\n\n#\t-\nB\n'],
  ['regexp selects by name (search, not match)', [f('10-a.conf', 'A\n'), f('20-b.bak', 'B\n')], { regexp: '\\.conf$' }, 'A\n'],
  ['ignore_hidden', [f('.x', 'X\n'), f('a', 'A\n')], { ignore_hidden: true }, 'A\n'],
  ['hidden files count by default', [f('.x', 'X\n'), f('a', 'A\n')], {}, 'X\nA\n'],
  ['no fragments: an empty file', [], {}, ''],
];

describe('modules/generic/assemble', () => {
  for (const [what, fragments, raw, want] of table) {
    it(what, () => {
      const args = assembleModule.parse({ src: '/s', dest: '/d', ...raw }, loc);
      expect(assembleFragments(fragments, args).toString()).to.equal(want);
    });
  }

  it("decodes the delimiter's escapes as Python's codecs.escape_decode", () => {
    expect(escapeDecode('a\\x41\\101\\q\\\\')).to.deep.equal(Buffer.from('aAA\\q\\'));
  });

  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('reads the host directory in one probe: regular files and links to them, names of any kind', () => {
    mkdirSync(t.path('parts'));
    writeFileSync(t.path('parts/a b'), 'A\n');
    writeFileSync(t.path('parts/.h'), '');
    mkdirSync(t.path('parts/sub'));
    symlinkSync('a b', t.path('parts/link'));
    const parsed = parseFragments(sh(fragmentsScript(t.path('parts'))).stdout);
    expect(parsed.state).to.equal('dir');
    expect(parsed.fragments.map((x) => [x.name, x.content.toString()]).sort()).to.deep.equal([['.h', ''], ['a b', 'A\n'], ['link', 'A\n']]);
    expect(parseFragments(sh(fragmentsScript(t.path('none'))).stdout).state).to.equal('missing');
    expect(parseFragments(sh(fragmentsScript(t.path('parts/a b'))).stdout).state).to.equal('notdir');
  });

  it('assembles on the host with owner mode kept, then changes nothing; check mode writes nothing', () => {
    mkdirSync(t.path('parts'));
    writeFileSync(t.path('parts/10-main'), 'main = 1\n');
    writeFileSync(t.path('parts/20-extra'), 'extra = 2');
    const dest = t.path('app.conf');
    const raw = { src: t.path('parts'), dest, mode: '0640' };
    expect(planOnly(assembleModule, raw).changes).to.deep.equal([`create ${dest}`]);
    const r = apply(assembleModule, raw);
    expect(r.plan.diffs?.[0]).to.deep.include({ before: '', after: 'main = 1\nextra = 2' });
    expect(r.plan.data).to.deep.include({ src: t.path('parts'), dest, size: 18 });
    expect(readFileSync(dest, 'utf8')).to.equal('main = 1\nextra = 2');
    expect(statSync(dest).mode & 0o777).to.equal(0o640);
    expect(apply(assembleModule, raw).plan.changes).to.deep.equal([]);
    writeFileSync(t.path('parts/30-more'), 'more\n');
    expect(apply(assembleModule, raw).plan.changes).to.deep.equal([`update ${dest}`]);
    expect(readFileSync(dest, 'utf8')).to.equal('main = 1\nextra = 2\nmore\n');
  });

  it('remote_src: no takes the fragments from the controller; a vault-encrypted one is refused', () => {
    const dest = t.path('out.conf');
    const ctx = fakeCtx({ readDirectory: (p) => ({ dir: `/roles/app/files/${p}`, files: [f('b', 'B\n'), f('a', 'A\n')] }) });
    apply(assembleModule, { src: 'conf.d', remote_src: false, dest }, ctx);
    expect(readFileSync(dest, 'utf8')).to.equal('A\nB\n');
    const vault = fakeCtx({ readDirectory: () => ({ dir: '/f', files: [f('s', '$ANSIBLE_VAULT;1.1;AES256\n6162\n')] }) });
    expect(planOnly(assembleModule, { src: 'x', remote_src: false, dest }, vault).failure?.msg).to.equal("/f/s is vault-encrypted: runbook's assemble does not decrypt fragments");
  });

  it('a missing source fails, needing it; a file is not a directory', () => {
    expect(planOnly(assembleModule, { src: t.path('none'), dest: t.path('d') }).failure).to.deep.equal({ msg: `Source (${t.path('none')}) does not exist`, needs: [{ kind: 'path', path: t.path('none') }] });
    writeFileSync(t.path('file'), 'x');
    expect(planOnly(assembleModule, { src: t.path('file'), dest: t.path('d') }).failure?.msg).to.equal(`Source (${t.path('file')}) is not a directory`);
  });

  it('refuses bad arguments', () => {
    expect(() => assembleModule.parse({ src: '/s' }, loc)).to.throw(/'dest' is required/);
    expect(() => assembleModule.parse({ src: '/s', dest: '/d', regexp: '(' }, loc)).to.throw(/Invalid Regexp/);
    expect(() => assembleModule.parse({ src: '/s', dest: '/d', delimeter: 'x' }, loc)).to.throw(/has no argument 'delimeter'/);
  });
});
