import { expect } from 'chai';
import { keyLocOf, loadYamlFile, locOf, parseYaml } from '../../../src/yaml/load.js';
import { VaultText } from '../../../src/yaml/scalars.js';
import { octalSourceOf } from '../../../src/yaml/locs.js';
import { UnsafeText } from '../../../src/core/unsafe.js';
import { expectInputError, fixture, inputError } from './helpers.js';

describe('yaml/load', () => {
  it('reads yes/no/on/off in every case as booleans, as Ansible does', () => {
    const v = parseYaml('a: yes\nb: No\nc: ON\nd: off\ne: True\nf: FALSE\ng: y\nh: n\n', 'f.yml');
    expect(v).to.deep.equal({ a: true, b: false, c: true, d: false, e: true, f: false, g: 'y', h: 'n' });
  });

  it('keeps YAML 1.2 numbers and never reads 1:20 as sexagesimal', () => {
    const v = parseYaml('port: 6379\nratio: 0.5\ntime: 1:20\nnull1: ~\nhex: 0x1F\nquoted: "0644"\nzero: 0\nplain: 0899\n', 'f.yml');
    expect(v).to.deep.equal({ port: 6379, ratio: 0.5, time: '1:20', null1: null, hex: 31, quoted: '0644', zero: 0, plain: '0899' });
  });

  it('keeps quoted yes and tagged strings as strings', () => {
    expect(parseYaml('a: "yes"\nb: !!str no\n', 'f.yml')).to.deep.equal({ a: 'yes', b: 'no' });
  });

  it('reads an unquoted leading-zero number as YAML 1.1 octal, as Ansible does, and remembers how it was written', () => {
    const v = parseYaml('file:\n  mode: 0644\n  size: 644\n  quoted: "0644"\n', 'f.yml') as { file: Record<string, unknown> };
    expect(v.file).to.deep.equal({ mode: 420, size: 644, quoted: '0644' });
    expect(octalSourceOf(v.file, 'mode')).to.equal('0644');
    expect(octalSourceOf(v.file, 'size')).to.equal(undefined);
    expect(octalSourceOf(v.file, 'quoted')).to.equal(undefined);
  });

  it('reads an octal number in a list too', () => {
    expect(parseYaml('modes:\n  - "0600"\n  - 0755\n', 'f.yml')).to.deep.equal({ modes: ['0600', 0o755] });
  });

  it('refuses a duplicate key at the second key, naming the first line', () => {
    const e = expectInputError(() => parseYaml('a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\n', 'f.yml'), 'f.yml', 5, 3, "duplicate key 'c'");
    expect(e.message).to.contain('first at line 3');
  });

  it('reports a syntax error with file:line:col and the parser message', () => {
    const e = expectInputError(() => parseYaml('a:\n  - b\n c: d\n', 'f.yml'), 'f.yml', 3, 1, 'YAML syntax error');
    expect(e.message.length).to.be.greaterThan('YAML syntax error: '.length);
  });

  it('explains an unquoted {{ }} value', () => {
    const e = expectInputError(() => parseYaml('msg: {{ name }}\n', 'f.yml'), 'f.yml', 1, 7, 'mapping key');
    expect(e.hint).to.contain('must be quoted');
  });

  it('refuses several documents in one file', () => {
    const e = inputError(() => parseYaml('a: 1\n---\nb: 2\n', 'f.yml'));
    expect(e.loc?.line).to.equal(2);
    expect(e.hint).to.contain('one YAML document');
  });

  it('records locations of containers, values and keys', () => {
    const v = parseYaml('# comment\nplay:\n  hosts: web\n  tasks:\n    - name: one\n    - name: two\n', 'f.yml') as any;
    expect(locOf(v)).to.deep.equal({ file: 'f.yml', line: 2, col: 1 });
    expect(locOf(v.play, 'hosts')).to.deep.equal({ file: 'f.yml', line: 3, col: 10 });
    expect(keyLocOf(v.play, 'hosts')).to.deep.equal({ file: 'f.yml', line: 3, col: 3 });
    expect(locOf(v.play.tasks)).to.deep.equal({ file: 'f.yml', line: 5, col: 5 });
    expect(locOf(v.play.tasks, 1)).to.deep.equal({ file: 'f.yml', line: 6, col: 7 });
    expect(locOf(v.play.tasks[1], 'name')).to.deep.equal({ file: 'f.yml', line: 6, col: 13 });
  });

  it('points an empty value at its key', () => {
    const v = parseYaml('a:\nb: 1\n', 'f.yml') as any;
    expect(v.a).to.equal(null);
    expect(locOf(v, 'a')).to.deep.equal({ file: 'f.yml', line: 1, col: 1 });
  });

  it('supports anchors, aliases and merge keys with explicit keys winning', () => {
    const v = parseYaml('base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\nref: *b\n', 'f.yml') as any;
    expect(v.other).to.deep.equal({ y: 3, x: 1 });
    expect(v.ref).to.deep.equal({ x: 1, y: 2 });
  });

  it('keeps !vault values for the secrets layer and !unsafe as text', () => {
    const v = parseYaml('secret: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\nraw: !unsafe "{{ not a template }}"\n', 'f.yml') as any;
    expect(v.secret).to.be.instanceOf(VaultText);
    expect(v.secret.ciphertext).to.equal('$ANSIBLE_VAULT;1.1;AES256\n6162\n');
    expect(v.raw).to.be.instanceOf(UnsafeText);
    expect(v.raw.text).to.equal('{{ not a template }}');
  });

  it('refuses unknown tags', () => {
    expectInputError(() => parseYaml('a: !foo x\n', 'f.yml'), 'f.yml', 1, 9, 'unsupported YAML tag !foo');
  });

  it('reads an empty document as null', () => {
    expect(parseYaml('', 'f.yml')).to.equal(null);
    expect(parseYaml('# only a comment\n', 'f.yml')).to.equal(null);
  });

  it('loads files and names them in errors', () => {
    const file = fixture('yaml', 'octal.yml');
    expect(loadYamlFile(file)).to.deep.equal({ dirs: [{ path: '/etc/app', mode: 0o755 }] });
    const missing = fixture('yaml', 'missing.yml');
    const e = inputError(() => loadYamlFile(missing, { file: 'site.yml', line: 3, col: 5 }));
    expect(e.message).to.contain('file not found');
    expect(e.loc).to.deep.equal({ file: 'site.yml', line: 3, col: 5 });
  });
});
