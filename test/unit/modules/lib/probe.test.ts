// Probe scripts executed for real: sections survive odd output, file facts are read correctly.
import { expect } from 'chai';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { shQuote } from '../../../../src/core/shell.js';
import { fileStateSections, parseFileState } from '../../../../src/modules/lib/file-state.js';
import { keyValues, parseSections, sectionsScript } from '../../../../src/modules/lib/sections.js';
import { sh, tempDir } from './local.js';

describe('modules/lib/sections and file-state (probe scripts run with /bin/sh)', () => {
  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('returns each section exactly, even output without a final newline', () => {
    const r = sh(sectionsScript({ a: 'printf x', b: 'echo "k=v"; echo "z=1=2"', c: '' }));
    const parsed = parseSections(r);
    expect(parsed).to.deep.equal({ sections: { a: 'x', b: 'k=v\nz=1=2\n', c: '' } });
    if ('sections' in parsed) expect(keyValues(parsed.sections.b)).to.deep.equal({ k: 'v', z: '1=2' });
  });

  it('reports a probe that died before its end', () => {
    const r = sh(sectionsScript({ a: 'echo partial; echo oops >&2; exit 5' }));
    expect(parseSections(r)).to.deep.equal({ error: "could not read the host's state: oops" });
  });

  const probe = (path: string, opts: Parameters<typeof fileStateSections>[2] = {}) => {
    const parsed = parseSections(sh(sectionsScript(fileStateSections('f', path, opts))));
    if ('error' in parsed) throw new Error(parsed.error);
    return parseFileState(parsed.sections, 'f', path);
  };

  it('reads a file with mode, sha1 and content; a name with quotes and spaces is safe', () => {
    const path = t.path(`it's a "file"`);
    writeFileSync(path, 'abc');
    chmodSync(path, 0o4751);
    const st = probe(path, { content: 'always' });
    expect(st).to.deep.include({ exists: true, type: 'file', mode: 0o4751, size: 3, sha1: 'a9993e364706816aba3e25717850c26c9cd0d89d', parent: 'dir', readable: true });
    expect(st.content?.toString()).to.equal('abc');
    expect(probe(path).content).to.equal(undefined);
  });

  it('reads facts and content in one walk; the next section still sees the directory the probe started in', () => {
    mkdirSync(t.path('d'));
    writeFileSync(t.path('d/f'), 'hello\n');
    const parsed = parseSections(sh(`cd ${shQuote(t.path('d'))}\n${sectionsScript({ ...fileStateSections('f', t.path('d/f'), { content: 'always' }), here: 'pwd -P' })}`));
    if ('error' in parsed) throw new Error(parsed.error);
    const st = parseFileState(parsed.sections, 'f', t.path('d/f'));
    expect(st.content?.toString()).to.equal('hello\n');
    expect(st.sha1).to.equal('f572d396fae9206628714fb2ce00f72e94f2258f');
    expect(parsed.sections.here.trim()).to.equal(t.path('d'));
  });

  it('a link text that mimics the content marker is not taken for content', () => {
    symlinkSync('x\n@content\nread\naGk=', t.path('l'));
    const st = probe(t.path('l'), { content: 'always' });
    expect(st.content).to.equal(undefined);
    expect(st.type).to.equal('link');
  });

  it('empty file content is an empty buffer, not missing', () => {
    writeFileSync(t.path('empty'), '');
    expect(probe(t.path('empty'), { content: 'small' }).content).to.deep.equal(Buffer.alloc(0));
  });

  it('missing paths say whether the parent exists', () => {
    expect(probe(t.path('x'))).to.deep.equal({ path: t.path('x'), exists: false, parent: 'dir' });
    expect(probe(t.path('no/x')).parent).to.equal('missing');
    writeFileSync(t.path('file'), '');
    expect(probe(t.path('file/x')).parent).to.equal('other');
  });

  it('links: lstat by default, target with follow, dangling noticed', () => {
    mkdirSync(t.path('dir'));
    symlinkSync('dir', t.path('l'));
    symlinkSync('nothing', t.path('dangling'));
    expect(probe(t.path('l'))).to.deep.include({ type: 'link', linkTarget: 'dir' });
    expect(probe(t.path('l'), { follow: true })).to.deep.include({ type: 'directory', linkTarget: 'dir' });
    expect(probe(t.path('dangling'), { follow: true })).to.deep.include({ exists: false, dangling: true, linkTarget: 'nothing' });
  });
});
