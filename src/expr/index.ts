// The condition language of when / changed_when / failed_when / until / assert: compile once, evaluate
// per host. A small parser and tree walker, never JavaScript eval (grammar: docs/expressions.md).
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import type { Node } from './ast.js';
import { evaluateNode } from './evaluate.js';
import type { EvalEnv } from './filters.js';
import { ExprSyntaxError } from './lexer.js';
import { parseExpr } from './parser.js';

export { truthy } from './values.js';

export interface Expr {
  /** The expression as evaluated (any wrapping `{{ }}` removed). */
  readonly source: string;
  readonly loc?: SourceLoc;
  readonly ast: Node;
}

const MAX_CACHE = 5000;
const cache = new Map<string, Node>();

/** Ansible users often write `when: "{{ x }}"`; the braces add nothing, so they are dropped. */
function stripBraces(src: string): string {
  const m = /^\{\{(.*)\}\}$/s.exec(src.trim());
  return m && !m[1]!.includes('{{') && !m[1]!.includes('}}') ? m[1]!.trim() : src.trim();
}

function syntaxError(source: string, err: ExprSyntaxError, loc?: SourceLoc): InputError {
  const caret = `${' '.repeat(err.pos)}^`;
  return new InputError(`invalid expression at column ${err.pos + 1}: ${err.message}\n    ${source}\n    ${caret}`, loc);
}

/** Parses `src` (cached by text); a syntax error is an InputError naming loc and the column in the expression. */
export function compileExpr(src: string, loc?: SourceLoc): Expr {
  const source = stripBraces(String(src));
  let ast = cache.get(source);
  if (!ast) {
    if (source === '') throw new InputError('empty condition', loc, 'write an expression such as `x is defined` or `result.rc == 0`');
    try {
      ast = parseExpr(source);
    } catch (err) {
      if (err instanceof ExprSyntaxError) throw syntaxError(source, err, loc);
      throw err;
    }
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(source, ast);
  }
  return { source, loc, ast };
}

/** The expression's value; an undefined variable (outside `is defined` / `default`) is an InputError naming it. */
export function evaluate(expr: Expr, vars: Vars, env?: EvalEnv): unknown {
  return evaluateNode(expr.ast, vars, expr.source, expr.loc, env);
}
