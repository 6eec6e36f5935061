// Builds the statement tree of a Jinja2 template: text, outputs, if/elif/else, for (with else and an
// `if` filter), set (inline and block). Expressions are parsed by src/expr, the parser `when` uses.
import type { Node } from '../../expr/ast.js';
import { ExprSyntaxError } from '../../expr/lexer.js';
import { parseExpr, parseExprPrefix } from '../../expr/parser.js';
import { lex, problem } from './lex.js';

export type Stmt =
  | { kind: 'text'; value: string }
  | { kind: 'output'; expr: Node; offset: number; src: string }
  | { kind: 'if'; branches: Array<{ test: Node; body: Stmt[]; offset: number; src: string }>; otherwise: Stmt[] }
  | { kind: 'for'; targets: string[]; iter: Node; filter?: Node; body: Stmt[]; otherwise: Stmt[]; offset: number; src: string }
  | { kind: 'set'; target: string; expr?: Node; body?: Stmt[]; offset: number; src: string }
  /** `{% block name %}` in a template that extends nothing: its body, in place (as Jinja2 renders it). */
  | { kind: 'group'; body: Stmt[] };

const UNSUPPORTED = new Set(['macro', 'call', 'include', 'import', 'from', 'extends', 'filter', 'with', 'do', 'autoescape']);
const NAME = /^[A-Za-z_]\w*$/;

/** Parses `src`, turning an expression's syntax error into a problem at its place in the template. */
function expr(text: string, src: string, offset: number): Node {
  try {
    return parseExpr(src);
  } catch (err) {
    if (err instanceof ExprSyntaxError) throw problem(text, offset + err.pos, `template syntax error: ${err.message} in '${src.trim()}'`);
    throw err;
  }
}

export function parseTemplate(text: string): Stmt[] {
  const pieces = lex(text);
  let i = 0;

  /** Statements until one of `ends` (returned with its words), or the end of the template. */
  function block(ends: string[], opener?: { word: string; offset: number }): { body: Stmt[]; end?: { word: string; rest: string; offset: number; src: string } } {
    const body: Stmt[] = [];
    while (i < pieces.length) {
      const p = pieces[i++]!;
      if (p.kind === 'text') body.push({ kind: 'text', value: p.value });
      else if (p.kind === 'output') body.push({ kind: 'output', expr: expr(text, p.src, p.offset), offset: p.offset, src: p.src });
      else {
        const m = /^\s*(\w+)\s*([\s\S]*?)\s*$/.exec(p.src);
        if (!m) throw problem(text, p.offset, `template syntax error: empty or invalid statement '{%${p.src}%}'`);
        const [, word, rest] = m as unknown as [string, string, string];
        const restOffset = p.offset + p.src.indexOf(rest, p.src.indexOf(word) + word.length);
        if (ends.includes(word)) return { body, end: { word, rest, offset: restOffset, src: p.src } };
        body.push(statement(word, rest, restOffset, p.offset, p.src));
      }
    }
    if (opener) throw problem(text, opener.offset, `template syntax error: '{% ${opener.word} %}' is not closed (expected ${ends.map((e) => `{% ${e} %}`).join(' or ')})`);
    return { body };
  }

  function statement(word: string, rest: string, restOffset: number, offset: number, src: string): Stmt {
    switch (word) {
      case 'if': {
        const branches: Array<{ test: Node; body: Stmt[]; offset: number; src: string }> = [];
        let test = expr(text, rest, restOffset);
        let at = { offset: restOffset, src: rest };
        for (;;) {
          const { body, end } = block(['elif', 'else', 'endif'], { word: 'if', offset });
          branches.push({ test, body, ...at });
          if (end!.word === 'endif') return { kind: 'if', branches, otherwise: [] };
          if (end!.word === 'else') {
            const tail = block(['endif'], { word: 'if', offset });
            return { kind: 'if', branches, otherwise: tail.body };
          }
          test = expr(text, end!.rest, end!.offset);
          at = { offset: end!.offset, src: end!.rest };
        }
      }
      case 'for': {
        const m = /^([\w\s,()]+?)\s+in\s+([\s\S]+)$/.exec(rest);
        if (!m) throw problem(text, restOffset, "template syntax error: expected '{% for NAME in EXPRESSION %}'");
        const targets = m[1]!.replace(/[()]/g, '').split(',').map((t) => t.trim());
        if (!targets.every((t) => NAME.test(t))) throw problem(text, restOffset, `template syntax error: a loop variable must be a name, found '${m[1]}'`);
        const iterSrc = m[2]!;
        const iterOffset = restOffset + rest.indexOf(iterSrc, m[1]!.length);
        let iter: Node;
        let filter: Node | undefined;
        try {
          const head = parseExprPrefix(iterSrc, { condexpr: false });
          iter = head.node;
          let tail = iterSrc.slice(head.rest).trim();
          if (tail.endsWith('recursive')) throw problem(text, iterOffset + head.rest, 'recursive loops are not supported in runbook templates');
          if (head.restWord === 'if') {
            tail = iterSrc.slice(head.rest).replace(/^\s*if\b/, '');
            filter = expr(text, tail, iterOffset + iterSrc.length - tail.length);
          } else if (tail !== '') throw new ExprSyntaxError(`unexpected '${tail}' after the loop's list`, head.rest);
        } catch (err) {
          if (err instanceof ExprSyntaxError) throw problem(text, iterOffset + err.pos, `template syntax error: ${err.message} in '${iterSrc.trim()}'`);
          throw err;
        }
        const { body, end } = block(['else', 'endfor'], { word: 'for', offset });
        const otherwise = end!.word === 'else' ? block(['endfor'], { word: 'for', offset }).body : [];
        return { kind: 'for', targets, iter, filter, body, otherwise, offset: iterOffset, src: iterSrc };
      }
      case 'set': {
        const m = /^(\w+)\s*(?:=\s*([\s\S]+))?$/.exec(rest);
        if (!m) throw problem(text, restOffset, "template syntax error: expected '{% set NAME = EXPRESSION %}'");
        if (m[2] === undefined) return { kind: 'set', target: m[1]!, body: block(['endset'], { word: 'set', offset }).body, offset, src };
        const valueOffset = restOffset + rest.indexOf(m[2], m[1]!.length);
        return { kind: 'set', target: m[1]!, expr: expr(text, m[2], valueOffset), offset: valueOffset, src: m[2] };
      }
      case 'block': {
        if (!NAME.test(rest.replace(/\s+scoped$/, ''))) throw problem(text, restOffset, "template syntax error: expected '{% block NAME %}'");
        return { kind: 'group', body: block(['endblock'], { word: 'block', offset }).body };
      }
      default: {
        if (UNSUPPORTED.has(word)) throw problem(text, offset, `'{% ${word} %}' is not supported in runbook's Jinja2 templates`, 'see docs/jinja2.md for what is');
        const known = ['if', 'elif', 'else', 'endif', 'for', 'endfor', 'set', 'endset', 'raw', 'block', 'endblock'];
        throw problem(text, offset, `template syntax error: unexpected '{% ${word} %}'${known.includes(word) ? ' here (no block is open for it)' : ''}`);
      }
    }
  }

  const { body } = block([]);
  return body;
}
