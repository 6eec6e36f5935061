// Hand-written recursive descent for the condition language (grammar in docs/expressions.md);
// filters and tests are checked here, so a typo fails when the playbook loads, not mid-run.
import { didYouMean } from '../core/suggest.js';
import type { CompareOp, Node } from './ast.js';
import { FILTERS } from './filters.js';
import { TESTS } from './tests.js';
import { ExprSyntaxError, tokenize, type Token } from './lexer.js';

const LITERALS: Record<string, unknown> = { true: true, True: true, false: false, False: false, none: null, None: null, null: null };
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is']);
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.i]!;
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private isOp(value: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.value === value;
  }

  private isWord(value: string, t: Token = this.tok): boolean {
    return t.kind === 'name' && t.value === value;
  }

  private next(): Token {
    const t = this.tok;
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private expect(op: string, what: string): Token {
    if (!this.isOp(op)) throw this.unexpected(`expected '${op}' ${what}`);
    return this.next();
  }

  private unexpected(expected: string): ExprSyntaxError {
    const t = this.tok;
    if (t.kind === 'end') return new ExprSyntaxError(`${expected}, but the expression ends`, t.pos);
    if (this.isOp('=')) return new ExprSyntaxError(`'=' is not a comparison; use '=='`, t.pos);
    const shown = t.kind === 'str' ? JSON.stringify(t.value) : String(t.value);
    return new ExprSyntaxError(`${expected}, found '${shown}'`, t.pos);
  }

  parse(): Node {
    const node = this.orExpr();
    if (this.tok.kind !== 'end') throw this.unexpected('expected an operator (and, or, ==, in, is, |)');
    return node;
  }

  private orExpr(): Node {
    let left = this.andExpr();
    while (this.isWord('or')) {
      const pos = this.next().pos;
      left = { kind: 'or', left, right: this.andExpr(), pos };
    }
    return left;
  }

  private andExpr(): Node {
    let left = this.notExpr();
    while (this.isWord('and')) {
      const pos = this.next().pos;
      left = { kind: 'and', left, right: this.notExpr(), pos };
    }
    return left;
  }

  private notExpr(): Node {
    if (this.isWord('not')) {
      const pos = this.next().pos;
      return { kind: 'not', operand: this.notExpr(), pos };
    }
    return this.comparison();
  }

  private compareOp(): CompareOp | undefined {
    const t = this.tok;
    if (t.kind === 'op' && COMPARE.has(t.value as string)) return t.value as CompareOp;
    if (this.isWord('in')) return 'in';
    if (this.isWord('not') && this.isWord('in', this.peek())) return 'not in';
    return undefined;
  }

  private comparison(): Node {
    const first = this.unary();
    const rest: Array<{ op: CompareOp; right: Node; pos: number }> = [];
    for (let op = this.compareOp(); op; op = this.compareOp()) {
      const pos = this.next().pos;
      if (op === 'not in') this.next();
      rest.push({ op, right: this.unary(), pos });
    }
    return rest.length === 0 ? first : { kind: 'compare', first, rest, pos: first.pos };
  }

  private unary(): Node {
    if (this.isOp('-')) {
      const pos = this.next().pos;
      return { kind: 'neg', operand: this.unary(), pos };
    }
    return this.postfix(this.primary());
  }

  private postfix(node: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.kind !== 'name' && t.kind !== 'num') {
          this.i--;
          throw this.unexpected("expected an attribute name after '.'");
        }
        if (this.isOp('(')) throw new ExprSyntaxError(`method calls are not supported: use a filter (x | ${String(t.value)}) or an operator`, t.pos);
        node = { kind: 'member', object: node, key: { kind: 'literal', value: t.value, pos: t.pos }, pos: t.pos };
      } else if (this.isOp('[')) {
        const pos = this.next().pos;
        const key = this.orExpr();
        this.expect(']', 'to close the index');
        node = { kind: 'member', object: node, key, pos };
      } else if (this.isOp('|')) {
        this.next();
        node = this.filter(node);
      } else if (this.isWord('is')) {
        this.next();
        node = this.test(node);
      } else if (this.isOp('(')) {
        throw new ExprSyntaxError('function calls are not supported: use a filter (x | name) instead', this.tok.pos);
      } else {
        return node;
      }
    }
  }

  private filter(input: Node): Node {
    const t = this.tok;
    if (t.kind !== 'name') throw this.unexpected("expected a filter name after '|'");
    this.next();
    const name = t.value as string;
    const spec = FILTERS[name];
    if (!spec) {
      const hint = didYouMean(name, Object.keys(FILTERS));
      throw new ExprSyntaxError(`unknown filter '${name}'${hint ? ` (${hint})` : ''}; filters: ${Object.keys(FILTERS).join(', ')}`, t.pos);
    }
    const args: Node[] = [];
    if (this.isOp('(')) {
      this.next();
      while (!this.isOp(')')) {
        args.push(this.orExpr());
        if (!this.isOp(',')) break;
        this.next();
      }
      this.expect(')', `to close the arguments of '${name}'`);
    }
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const want = spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
      throw new ExprSyntaxError(`filter '${name}' takes ${want} argument(s), got ${args.length}`, t.pos);
    }
    return { kind: 'filter', input, name, args, pos: t.pos };
  }

  private test(operand: Node): Node {
    let negated = false;
    if (this.isWord('not')) {
      this.next();
      negated = true;
    }
    const t = this.tok;
    // `none`, `true` and `false` are literals elsewhere but test names after `is`.
    if (t.kind !== 'name') throw this.unexpected("expected a test name after 'is' (defined, changed, failed, ...)");
    const name = t.value as string;
    if (!TESTS[name]) {
      const hint = didYouMean(name, Object.keys(TESTS));
      throw new ExprSyntaxError(`unknown test '${name}'${hint ? ` (${hint})` : ''}; tests: ${Object.keys(TESTS).join(', ')}`, t.pos);
    }
    this.next();
    return { kind: 'test', operand, name, negated, pos: t.pos };
  }

  private primary(): Node {
    const t = this.tok;
    switch (t.kind) {
      case 'num':
      case 'str':
        this.next();
        return { kind: 'literal', value: t.value, pos: t.pos };
      case 'name': {
        const word = t.value as string;
        if (Object.prototype.hasOwnProperty.call(LITERALS, word)) {
          this.next();
          return { kind: 'literal', value: LITERALS[word], pos: t.pos };
        }
        if (KEYWORDS.has(word)) throw this.unexpected('expected a value');
        this.next();
        return { kind: 'name', name: word, pos: t.pos };
      }
      case 'op':
        if (t.value === '(') {
          this.next();
          const inner = this.orExpr();
          this.expect(')', 'to close the parenthesis');
          return inner;
        }
        if (t.value === '[') {
          this.next();
          const items: Node[] = [];
          while (!this.isOp(']')) {
            items.push(this.orExpr());
            if (!this.isOp(',')) break;
            this.next();
          }
          this.expect(']', 'to close the list');
          return { kind: 'list', items, pos: t.pos };
        }
        throw this.unexpected('expected a value');
      default:
        throw this.unexpected('expected a value');
    }
  }
}

/** Parses an expression; throws ExprSyntaxError with the 0-based position of the problem. */
export function parseExpr(src: string): Node {
  return new Parser(tokenize(src)).parse();
}
