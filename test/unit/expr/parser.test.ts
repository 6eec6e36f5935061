import { expect } from 'chai';
import type { Node } from '../../../src/expr/ast.js';
import { ExprSyntaxError } from '../../../src/expr/lexer.js';
import { parseExpr } from '../../../src/expr/parser.js';

/** A compact Lisp-like rendering of the tree, so precedence is visible in one string. */
function show(n: Node): string {
  switch (n.kind) {
    case 'literal':
      return JSON.stringify(n.value);
    case 'list':
      return `[${n.items.map(show).join(' ')}]`;
    case 'name':
      return n.name;
    case 'member':
      return `(. ${show(n.object)} ${show(n.key)})`;
    case 'not':
      return `(not ${show(n.operand)})`;
    case 'neg':
      return `(- ${show(n.operand)})`;
    case 'and':
    case 'or':
      return `(${n.kind} ${show(n.left)} ${show(n.right)})`;
    case 'compare':
      return `(cmp ${show(n.first)}${n.rest.map((r) => ` ${r.op} ${show(r.right)}`).join('')})`;
    case 'filter':
      return `(| ${show(n.input)} ${n.name}${n.args.map((a) => ` ${show(a)}`).join('')})`;
    case 'test':
      return `(is${n.negated ? '-not' : ''} ${show(n.operand)} ${n.name}${n.args.map((a) => ` ${show(a)}`).join('')})`;
    case 'dict':
      return `{${n.entries.map((e) => `${show(e.key)}: ${show(e.value)}`).join(' ')}}`;
    case 'binary':
      return `(${n.op} ${show(n.left)} ${show(n.right)})`;
    case 'cond':
      return `(if ${show(n.test)} ${show(n.then)}${n.otherwise ? ` ${show(n.otherwise)}` : ''})`;
    case 'method':
      return `(.${n.name}() ${show(n.object)}${n.args.map((a) => ` ${show(a)}`).join('')})`;
    case 'call':
      return `(${n.name}${n.args.map((a) => ` ${show(a)}`).join('')})`;
    case 'invoke':
      return `(call ${show(n.callee)}${n.args.map((a) => ` ${show(a)}`).join('')})`;
    case 'slice':
      return `(slice ${show(n.object)} ${[n.start, n.stop, n.step].map((x) => (x ? show(x) : '_')).join(' ')})`;
  }
}

function syntaxErrorOf(src: string): ExprSyntaxError {
  try {
    parseExpr(src);
  } catch (err) {
    if (err instanceof ExprSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected a syntax error for ${src}`);
}

describe('expr/parser', () => {
  it('binds or looser than and, and and looser than not', () => {
    expect(show(parseExpr('a or b and c'))).to.equal('(or a (and b c))');
    expect(show(parseExpr('a and b or c'))).to.equal('(or (and a b) c)');
    expect(show(parseExpr('not a and b'))).to.equal('(and (not a) b)');
    expect(show(parseExpr('not not a'))).to.equal('(not (not a))');
  });

  it('binds comparisons tighter than not, and tests and filters tighter than comparisons', () => {
    expect(show(parseExpr('not a == 1'))).to.equal('(not (cmp a == 1))');
    expect(show(parseExpr('not x is defined'))).to.equal('(not (is x defined))');
    expect(show(parseExpr('x | length > 0'))).to.equal('(cmp (| x length) > 0)');
    expect(show(parseExpr('x | default(1) | int'))).to.equal('(| (| x default 1) int)');
  });

  it('parses parentheses, chained comparisons and in / not in', () => {
    expect(show(parseExpr('(a or b) and c'))).to.equal('(and (or a b) c)');
    expect(show(parseExpr('1 < x <= 3'))).to.equal('(cmp 1 < x <= 3)');
    expect(show(parseExpr("'a' in xs"))).to.equal('(cmp "a" in xs)');
    expect(show(parseExpr('rc not in [0, 1]'))).to.equal('(cmp rc not in [0 1])');
  });

  it('parses attribute, index and key access', () => {
    expect(show(parseExpr('a.b[0]["k"]'))).to.equal('(. (. (. a "b") 0) "k")');
    expect(show(parseExpr('xs.0'))).to.equal('(. xs 0)');
    expect(show(parseExpr('hostvars[h].ansible_host'))).to.equal('(. (. hostvars h) "ansible_host")');
    expect(show(parseExpr('xs[-1]'))).to.equal('(. xs (- 1))');
  });

  it('parses literals of every kind', () => {
    expect(show(parseExpr('[1, 2.5, "d", \'s\', true, False, none, None, null]'))).to.equal('[1 2.5 "d" "s" true false null null null]');
    expect(show(parseExpr("'it\\'s'"))).to.equal('"it\'s"');
    expect(show(parseExpr('[1, 2,]'))).to.equal('[1 2]');
  });

  it('parses tests with is and is not, including the literal-looking names', () => {
    expect(show(parseExpr('r is not failed'))).to.equal('(is-not r failed)');
    expect(show(parseExpr('x is none'))).to.equal('(is x none)');
    expect(show(parseExpr('x is true'))).to.equal('(is x true)');
  });

  it('reports the position of syntax errors', () => {
    expect(syntaxErrorOf('x ==').pos).to.equal(4);
    expect(syntaxErrorOf('x == 1 )').pos).to.equal(7);
    expect(syntaxErrorOf('(x').pos).to.equal(2);
    expect(syntaxErrorOf('"abc').pos).to.equal(0);
    expect(syntaxErrorOf('a = 1').message).to.contain("use '=='");
  });

  it('rejects unknown filters and tests with a did-you-mean, and wrong filter arity', () => {
    const f = syntaxErrorOf('xs | lenght');
    expect(f.message).to.contain("unknown filter 'lenght'").and.contain("did you mean 'length'?");
    expect(f.pos).to.equal(5);
    expect(syntaxErrorOf('r is chnged').message).to.contain("did you mean 'changed'?");
    expect(syntaxErrorOf('x | join(1, 2)').message).to.contain("filter 'join' takes 0 to 1 argument(s), got 2");
  });

  it('refuses unknown functions and methods, with a did-you-mean', () => {
    expect(syntaxErrorOf("x.startwith('a')").message).to.contain("unknown method 'startwith'").and.contain("did you mean 'startswith'?");
    expect(syntaxErrorOf('len(x)').message).to.contain("unknown function 'len'");
    expect(syntaxErrorOf('x | nosuchfilter').message).to.contain("unknown filter 'nosuchfilter'");
  });

  it("parses Jinja2's operators with its precedence", () => {
    const table: Array<[string, string]> = [
      ['a + b * c', '(+ a (* b c))'],
      ['a ~ b + c', '(+ (~ a b) c)'],
      ['-x | abs', '(| (- x) abs)'],
      ['a + b | int', '(+ a (| b int))'],
      ["'a' if c else 'b'", '(if c "a" "b")'],
      ['x if c', '(if c x)'],
      ["x.split('.')[0]", '(. (.split() x ".") 0)'],
      ["d.items()", '(.items() d)'],
      ['range(1, 3)', '(range 1 3)'],
      ["{'a': 1}", '{"a": 1}'],
      ["v is version('1.2', '>=')", '(is v version "1.2" ">=")'],
      ["x is divisibleby 3", '(is x divisibleby 3)'],
      ['(1, 2)', '[1 2]'],
      ["hostvars[h]['k']", '(. (. hostvars h) "k")'],
      ['a // b % c', '(% (// a b) c)'],
    ];
    for (const [src, want] of table) expect(show(parseExpr(src)), src).to.equal(want);
  });
});
