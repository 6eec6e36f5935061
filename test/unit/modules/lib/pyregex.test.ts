// pyCompile/pySubn against Python's re.subn: each row's expected text and count came from Python 3.11.
import { expect } from 'chai';
import { pyCompile, pySubn } from '../../../../src/modules/lib/pyregex.js';

/** [pattern, flags, replacement, text, Python's text, Python's count]. */
const table: Array<[string, { multiline?: boolean; dotall?: boolean }, string, string, string, number]> = [
  ['$', { multiline: true }, '!', 'a\nb', 'a!\nb!', 2],
  ['^', { multiline: true }, '> ', 'a\r\nb\n', '> a\r\n> b\n> ', 3],
  ['.', { multiline: true }, '_', 'a\r\n', '__\n', 2],
  ['\\Aa', { multiline: true }, 'A', 'a\na', 'A\na', 1],
  ['\\Z', { multiline: true }, 'END', 'a\n', 'a\nEND', 1],
  ['foo$', {}, 'F', 'foo\n', 'F\n', 1],
  ['.+', { dotall: true }, 'L', 'a\nb', 'L', 1],
  ['[]=]', {}, '#', 'a=]', 'a##', 2],
  ['(?i)A', {}, 'Q', 'aA', 'QQ', 2],
  ['(?x) a \\= # comment\n', {}, 'A=', 'a=1', 'A=1', 1],
  ['(?P<k>\\w+)=(?P=k)', {}, '\\g<k>', 'x=x y=z', 'x y=z', 1],
  ['x*', {}, '-', 'abxd', '-a-b--d-', 5],
];

describe('modules/lib/pyregex (Python re semantics)', () => {
  for (const [pattern, flags, repl, text, want, count] of table) {
    it(`${JSON.stringify(pattern)} ${JSON.stringify(flags)} on ${JSON.stringify(text)}`, () => {
      expect(pySubn(pyCompile(pattern, flags).re, repl, text)).to.deep.equal({ text: want, count });
    });
  }

  it('reports the inline flags it found, and refuses what is not a pattern', () => {
    expect(pyCompile('(?m)^a').flags).to.deep.include({ multiline: true, dotall: false });
    expect(() => pyCompile('[a')).to.throw(/unterminated/);
    expect(() => pyCompile('(')).to.throw();
  });
});
