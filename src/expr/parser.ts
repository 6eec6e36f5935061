// Hand-written recursive descent for the expression language shared by conditions (`when:`) and
// Jinja2 templates (grammar in docs/expressions.md): Jinja2's precedence, with filters, tests,
// methods and functions checked against their tables here, so a typo fails when the playbook loads
// (and under --syntax-check), not mid-run.
import { didYouMean } from '../core/suggest.js';
import type { BinaryOp, CompareOp, Kwarg, Node } from './ast.js';
import { FILTERS } from './filters.js';
import { FUNCTIONS } from './functions.js';
import { METHOD_NAMES } from './methods.js';
import { TESTS } from './tests.js';
import { ExprSyntaxError, tokenize, type Token } from './lexer.js';

const LITERALS: Record<string, unknown> = { true: true, True: true, false: false, False: false, none: null, None: null, null: null };
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else']);
const COMPARE = new Set(['==', '!=', '<', '<=', '>', '>=']);
/** Collections whose plugins are the builtin ones under another name (`ansible.builtin.to_json`). */
const NAMESPACES = /^(ansible\.builtin|ansible\.utils|ansible\.netcommon|community\.general)\./;

export interface ParseOptions {
  /** Allow the inline `a if c else b` at the top (a for loop's iterable does not: its `if` filters). */
  condexpr?: boolean;
}

/** What a template declares callable (its macros, imports, `loop`, `caller`, `super`); conditions declare nothing. */
export interface CallableNames {
  callables?: ReadonlySet<string>;
}

/** The name at the root of `a.b[c].d`, if the chain starts with one. */
function rootName(node: Node): string | undefined {
  let n = node;
  while (n.kind === 'member') n = n.object;
  return n.kind === 'name' ? n.name : undefined;
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly callables: ReadonlySet<string> = new Set(),
  ) {}

  get tok(): Token {
    return this.tokens[this.i]!;
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private isOp(value: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.value === value;
  }

  isWord(value: string, t: Token = this.tok): boolean {
    return t.kind === 'name' && t.value === value;
  }

  next(): Token {
    const t = this.tok;
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private expect(op: string, what: string): Token {
    if (!this.isOp(op)) throw this.unexpected(`expected '${op}' ${what}`);
    return this.next();
  }

  unexpected(expected: string): ExprSyntaxError {
    const t = this.tok;
    if (t.kind === 'end') return new ExprSyntaxError(`${expected}, but the expression ends`, t.pos);
    if (this.isOp('=')) return new ExprSyntaxError(`'=' is not a comparison; use '=='`, t.pos);
    const shown = t.kind === 'str' ? JSON.stringify(t.value) : String(t.value);
    return new ExprSyntaxError(`${expected}, found '${shown}'`, t.pos);
  }

  parse(): Node {
    const node = this.expression({ condexpr: true });
    if (this.tok.kind !== 'end') throw this.unexpected('expected an operator (and, or, ==, in, is, |)');
    return node;
  }

  expression(options: ParseOptions): Node {
    const node = this.orExpr();
    if (!options.condexpr || !this.isWord('if')) return node;
    const pos = this.next().pos;
    const test = this.orExpr();
    if (!this.isWord('else')) return { kind: 'cond', test, then: node, pos };
    this.next();
    return { kind: 'cond', test, then: node, otherwise: this.expression(options), pos };
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
    const first = this.math1();
    const rest: Array<{ op: CompareOp; right: Node; pos: number }> = [];
    for (let op = this.compareOp(); op; op = this.compareOp()) {
      const pos = this.next().pos;
      if (op === 'not in') this.next();
      rest.push({ op, right: this.math1(), pos });
    }
    return rest.length === 0 ? first : { kind: 'compare', first, rest, pos: first.pos };
  }

  /** One precedence level of binary operators, left-associative. */
  private binary(ops: string[], operand: () => Node): Node {
    let left = operand();
    while (this.tok.kind === 'op' && ops.includes(this.tok.value as string)) {
      const t = this.next();
      left = { kind: 'binary', op: t.value as BinaryOp, left, right: operand(), pos: t.pos };
    }
    return left;
  }

  // Jinja2's order, loosest first: + -, then ~, then * / // %, then **.
  private math1(): Node {
    return this.binary(['+', '-'], () => this.concat());
  }

  private concat(): Node {
    return this.binary(['~'], () => this.math2());
  }

  private math2(): Node {
    return this.binary(['*', '/', '//', '%'], () => this.pow());
  }

  private pow(): Node {
    return this.binary(['**'], () => this.unary());
  }

  /** As Jinja2: `-x | abs` filters `-x`; `-x.y` negates `x.y`. */
  private unary(withFilters = true): Node {
    let node: Node;
    if (this.isOp('-')) {
      const pos = this.next().pos;
      node = { kind: 'neg', operand: this.unary(false), pos };
    } else if (this.isOp('+')) {
      this.next();
      node = this.unary(false);
    } else {
      node = this.postfix(this.primary());
    }
    return withFilters ? this.filters(node) : node;
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
        if (this.isOp('(') && t.kind === 'name') {
          const name = t.value as string;
          const root = rootName(node);
          if (root !== undefined && this.callables.has(root)) {
            // `m.row(x)` of an imported template, `loop.cycle('a', 'b')`: decided when it runs
            // (a plain method still works there if the value turns out not to be callable).
            this.next();
            const { args, kwargs } = this.arguments(`'${name}'`, true);
            const callee: Node = { kind: 'member', object: node, key: { kind: 'literal', value: name, pos: t.pos }, pos: t.pos };
            node = { kind: 'invoke', callee, args, kwargs, pos: t.pos };
            continue;
          }
          if (!METHOD_NAMES.has(name)) {
            const hint = didYouMean(name, [...METHOD_NAMES]);
            throw new ExprSyntaxError(`unknown method '${name}'${hint ? ` (${hint})` : ''}; write a filter (x | name) or see docs/jinja2.md for the methods runbook knows`, t.pos);
          }
          this.next();
          const { args } = this.arguments(`'${name}'`, false);
          node = { kind: 'method', object: node, name, args, pos: t.pos };
        } else {
          node = { kind: 'member', object: node, key: { kind: 'literal', value: t.value, pos: t.pos }, pos: t.pos };
        }
      } else if (this.isOp('[')) {
        const pos = this.next().pos;
        const key = this.isOp(':') ? undefined : this.expression({ condexpr: true });
        if (this.isOp(':')) {
          node = this.slice(node, key, pos);
          continue;
        }
        this.expect(']', 'to close the index');
        node = { kind: 'member', object: node, key: key!, pos };
      } else if (this.isOp('(')) {
        throw new ExprSyntaxError('only functions (range, lookup, query) and methods (x.split()) can be called', this.tok.pos);
      } else {
        return node;
      }
    }
  }

  /** The rest of `x[start:stop:step]`, at the first ':'. */
  private slice(object: Node, start: Node | undefined, pos: number): Node {
    const part = (): Node | undefined => (this.isOp(':') || this.isOp(']') ? undefined : this.expression({ condexpr: true }));
    this.next();
    const stop = part();
    let step: Node | undefined;
    if (this.isOp(':')) {
      this.next();
      step = part();
    }
    this.expect(']', 'to close the slice');
    return { kind: 'slice', object, start, stop, step, pos };
  }

  /** Filters and tests after a value: `x | f(a) | g`, `x is defined`, in any order. */
  private filters(node: Node): Node {
    for (;;) {
      if (this.isOp('|')) {
        this.next();
        node = this.filter(node);
      } else if (this.isWord('is')) {
        this.next();
        node = this.test(node);
      } else {
        return node;
      }
    }
  }

  /** `(a, b, key=c)`, the `(` already consumed. */
  private arguments(what: string, kwargsAllowed: boolean): { args: Node[]; kwargs: Kwarg[] } {
    const args: Node[] = [];
    const kwargs: Kwarg[] = [];
    while (!this.isOp(')')) {
      if (this.tok.kind === 'name' && this.isOp('=', this.peek())) {
        const name = this.next().value as string;
        if (!kwargsAllowed) throw new ExprSyntaxError(`${what} takes no keyword arguments`, this.tok.pos);
        this.next();
        kwargs.push({ name, value: this.expression({ condexpr: true }) });
      } else {
        if (kwargs.length > 0) throw this.unexpected('a positional argument after a keyword argument');
        args.push(this.expression({ condexpr: true }));
      }
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expect(')', `to close the arguments of ${what}`);
    return { args, kwargs };
  }

  private dottedName(): string {
    let name = this.next().value as string;
    while (this.isOp('.') && this.peek().kind === 'name' && NAMESPACES.test(`${name}.`)) {
      this.next();
      name = `${name}.${this.next().value as string}`;
    }
    while (this.isOp('.') && this.peek().kind === 'name' && /^(ansible|community)(\.\w+)?$/.test(name)) {
      this.next();
      name = `${name}.${this.next().value as string}`;
    }
    return name.replace(NAMESPACES, '');
  }

  private filter(input: Node): Node {
    const t = this.tok;
    if (t.kind !== 'name') throw this.unexpected("expected a filter name after '|'");
    const name = this.dottedName();
    const spec = FILTERS[name];
    if (!spec) {
      const hint = didYouMean(name, Object.keys(FILTERS));
      throw new ExprSyntaxError(`unknown filter '${name}'${hint ? ` (${hint})` : ''}; the filters runbook knows are listed in docs/jinja2.md`, t.pos);
    }
    let args: Node[] = [];
    let kwargs: Kwarg[] = [];
    if (this.isOp('(')) {
      this.next();
      ({ args, kwargs } = this.arguments(`'${name}'`, true));
    }
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      const want = spec.maxArgs === Infinity ? `at least ${spec.minArgs}` : spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
      throw new ExprSyntaxError(`filter '${name}' takes ${want} argument(s), got ${args.length}`, t.pos);
    }
    for (const k of kwargs) {
      if (!spec.kwargs?.includes(k.name)) {
        throw new ExprSyntaxError(`filter '${name}' has no argument '${k.name}'${spec.kwargs?.length ? `; it takes ${spec.kwargs.join(', ')}` : ''}`, t.pos);
      }
    }
    return { kind: 'filter', input, name, args, kwargs, pos: t.pos };
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
    const name = this.dottedName();
    const spec = TESTS[name];
    if (!spec) {
      const hint = didYouMean(name, Object.keys(TESTS));
      throw new ExprSyntaxError(`unknown test '${name}'${hint ? ` (${hint})` : ''}; tests: ${Object.keys(TESTS).join(', ')}`, t.pos);
    }
    let args: Node[] = [];
    if (this.isOp('(')) {
      this.next();
      args = this.arguments(`'${name}'`, false).args;
    } else if (this.tok.kind === 'str' || this.tok.kind === 'num') {
      // Jinja2 allows one bare argument: `x is divisibleby 3`, `v is version '2.0'`... but only a literal here.
      args = [this.primary()];
    }
    const min = spec.minArgs ?? 0;
    const max = spec.maxArgs ?? 0;
    if (args.length < min || args.length > max) {
      throw new ExprSyntaxError(`test '${name}' takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`, t.pos);
    }
    return { kind: 'test', operand, name, negated, args, pos: t.pos };
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
        if (this.isOp('(') && this.callables.has(word)) {
          this.next();
          const { args, kwargs } = this.arguments(`'${word}'`, true);
          return { kind: 'invoke', callee: { kind: 'name', name: word, pos: t.pos }, args, kwargs, pos: t.pos };
        }
        if (this.isOp('(')) {
          const spec = FUNCTIONS[word];
          if (!spec) {
            const hint = didYouMean(word, Object.keys(FUNCTIONS));
            throw new ExprSyntaxError(`unknown function '${word}'${hint ? ` (${hint})` : ''}; functions: ${Object.keys(FUNCTIONS).join(', ')}; otherwise use a filter (x | name)`, t.pos);
          }
          this.next();
          const { args, kwargs } = this.arguments(`'${word}'`, true);
          if (args.length < spec.minArgs || args.length > spec.maxArgs) throw new ExprSyntaxError(`function '${word}' takes ${spec.minArgs} to ${spec.maxArgs} argument(s), got ${args.length}`, t.pos);
          return { kind: 'call', name: word, args, kwargs, pos: t.pos };
        }
        return { kind: 'name', name: word, pos: t.pos };
      }
      case 'op':
        if (t.value === '(') {
          this.next();
          const inner = this.expression({ condexpr: true });
          if (this.isOp(',')) {
            // A tuple: Python's (a, b), a list here.
            const items = [inner];
            while (this.isOp(',')) {
              this.next();
              if (this.isOp(')')) break;
              items.push(this.expression({ condexpr: true }));
            }
            this.expect(')', 'to close the tuple');
            return { kind: 'list', items, pos: t.pos };
          }
          this.expect(')', 'to close the parenthesis');
          return inner;
        }
        if (t.value === '[') {
          this.next();
          const items: Node[] = [];
          while (!this.isOp(']')) {
            items.push(this.expression({ condexpr: true }));
            if (!this.isOp(',')) break;
            this.next();
          }
          this.expect(']', 'to close the list');
          return { kind: 'list', items, pos: t.pos };
        }
        if (t.value === '{') {
          this.next();
          const entries: Array<{ key: Node; value: Node }> = [];
          while (!this.isOp('}')) {
            const key = this.expression({ condexpr: true });
            this.expect(':', 'between a key and its value');
            entries.push({ key, value: this.expression({ condexpr: true }) });
            if (!this.isOp(',')) break;
            this.next();
          }
          this.expect('}', 'to close the dict');
          return { kind: 'dict', entries, pos: t.pos };
        }
        throw this.unexpected('expected a value');
      default:
        throw this.unexpected('expected a value');
    }
  }
}

/** Parses an expression; throws ExprSyntaxError with the 0-based position of the problem. */
export function parseExpr(src: string, names: CallableNames = {}): Node {
  return new Parser(tokenize(src), names.callables).parse();
}

/**
 * Parses an expression at the start of `src` and says where it stopped, for template statements
 * (`for x in xs if x.on`, `set a = b`): `rest` is the offset of the first token not consumed.
 */
export function parseExprPrefix(src: string, options: ParseOptions & CallableNames = { condexpr: true }): { node: Node; rest: number; restWord?: string } {
  const p = new Parser(tokenize(src), options.callables);
  const node = p.expression(options);
  const t = p.tok;
  return { node, rest: t.kind === 'end' ? src.length : t.pos, restWord: t.kind === 'name' ? String(t.value) : undefined };
}
