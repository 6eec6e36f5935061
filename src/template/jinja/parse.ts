// Builds the statement tree of a Jinja2 template: text, outputs, if, for (recursive, with else and
// an `if` filter), set, with, filter, macro, call, include, import, from-import, extends, block.
// Expressions are parsed by src/expr, the parser `when` uses; the names a template makes callable
// (its macros and imports, `loop`, `caller`, `super`) are found first so `m(1)` parses as a call
// while an unknown function is still an error when the file loads.
import type { Node } from '../../expr/ast.js';
import { ExprSyntaxError } from '../../expr/lexer.js';
import { parseExpr, parseExprPrefix } from '../../expr/parser.js';
import { lex, problem, type Piece } from './lex.js';

/** Where an expression is written: its source and its offset in the template, for errors. */
export interface At {
  offset: number;
  src: string;
}

export interface Param {
  name: string;
  default?: Node;
  at: At;
}

export type MacroStmt = {
  kind: 'macro';
  name: string;
  params: Param[];
  body: Stmt[];
  /** Whether the body reads varargs / kwargs / caller: Jinja2 accepts extra arguments only then. */
  uses: { varargs: boolean; kwargs: boolean; caller: boolean };
  offset: number;
};

export type BlockStmt = { kind: 'block'; name: string; scoped: boolean; body: Stmt[]; offset: number };

export type Stmt =
  | { kind: 'text'; value: string }
  | ({ kind: 'output'; expr: Node } & At)
  | { kind: 'if'; branches: Array<{ test: Node; body: Stmt[] } & At>; otherwise: Stmt[] }
  | ({ kind: 'for'; targets: string[]; iter: Node; filter?: Node; recursive: boolean; body: Stmt[]; otherwise: Stmt[] } & At)
  /** `{% set x = v %}`, `{% set ns.attr = v %}` (attr), `{% set x %}...{% endset %}` (body). */
  | ({ kind: 'set'; target: string; attr?: string; expr?: Node; body?: Stmt[] } & At)
  | { kind: 'with'; assigns: Array<{ target: string; expr: Node } & At>; body: Stmt[] }
  /** `{% filter upper | trim %}`: `expr` filters the name FILTER_INPUT, bound to the body's text. */
  | ({ kind: 'filter'; expr: Node; body: Stmt[] } & At)
  | MacroStmt
  | ({ kind: 'call'; macro: MacroStmt; callee: Node & { kind: 'invoke' } } & At)
  | ({ kind: 'include'; template: Node; ignoreMissing: boolean; withContext: boolean } & At)
  | ({ kind: 'import'; template: Node; alias: string; withContext: boolean } & At)
  | ({ kind: 'from'; template: Node; names: Array<{ name: string; alias: string }>; withContext: boolean } & At)
  | ({ kind: 'extends'; template: Node } & At)
  | BlockStmt;

/** A parsed template: its statements and every `{% block %}` in it, by name (for extends). */
export interface ParsedTemplate {
  body: Stmt[];
  blocks: Map<string, BlockStmt>;
}

/** The name `{% filter %}` binds to its body's text (not a name a template can write). */
export const FILTER_INPUT = '__filter_body__';

const UNSUPPORTED = new Set(['do', 'autoescape', 'trans', 'pluralize', 'break', 'continue']);
const KNOWN = ['if', 'elif', 'else', 'endif', 'for', 'endfor', 'set', 'endset', 'raw', 'block', 'endblock', 'macro', 'endmacro', 'call', 'endcall',
  'include', 'import', 'from', 'extends', 'with', 'endwith', 'filter', 'endfilter'];
const NAME = /^[A-Za-z_]\w*$/;
const ALWAYS_CALLABLE = ['loop', 'caller', 'super'];

/** Names the template makes callable: macros, imports (`as m`, `import a, b as c`), joiners and cyclers. */
function callableNames(pieces: Piece[]): Set<string> {
  const names = new Set(ALWAYS_CALLABLE);
  for (const p of pieces) {
    if (p.kind !== 'statement') continue;
    const macro = /^\s*macro\s+(\w+)/.exec(p.src);
    if (macro) names.add(macro[1]!);
    // `{% set comma = joiner(',') %}`, `{% set row = cycler('a', 'b') %}`: called later.
    const made = /^\s*set\s+(\w+)\s*=\s*(joiner|cycler)\s*\(/.exec(p.src);
    if (made) names.add(made[1]!);
    const imp = /^\s*import\s+[\s\S]+\s+as\s+(\w+)(\s+(with|without)\s+context)?\s*$/.exec(p.src);
    if (imp) names.add(imp[1]!);
    const from = /^\s*from\s+[\s\S]+?\s+import\s+([\s\S]+?)(\s+(with|without)\s+context)?\s*$/.exec(p.src);
    if (from) for (const part of from[1]!.split(',')) names.add(part.trim().split(/\s+as\s+/).at(-1)!.trim());
  }
  return names;
}

/** `src` split at top-level commas (not inside brackets or quotes), each part with its offset in `src`. */
function splitTop(src: string): Array<{ part: string; at: number }> {
  const out: Array<{ part: string; at: number }> = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push({ part: src.slice(start, i), at: start });
      start = i + 1;
    }
  }
  if (src.slice(start).trim() !== '' || out.length > 0) out.push({ part: src.slice(start), at: start });
  return out.map(({ part, at }) => ({ part: part.trim(), at: at + (part.length - part.trimStart().length) }));
}

/** Walks statements and their expressions' sources: does any read `name`? */
function mentions(body: Stmt[], name: string): boolean {
  const re = new RegExp(`\\b${name}\\b`);
  const seen = (s: Stmt): boolean => {
    if ('src' in s && re.test(s.src)) return true;
    switch (s.kind) {
      case 'if':
        return s.branches.some((b) => re.test(b.src) || b.body.some(seen)) || s.otherwise.some(seen);
      case 'for':
        return s.body.some(seen) || s.otherwise.some(seen);
      case 'with':
        return s.assigns.some((a) => re.test(a.src)) || s.body.some(seen);
      case 'set':
      case 'filter':
      case 'block':
        return (s.body ?? []).some(seen);
      case 'call':
        return s.macro.body.some(seen);
      default:
        return false;
    }
  };
  return body.some(seen);
}

export function parseTemplate(text: string): ParsedTemplate {
  const pieces = lex(text);
  const callables = callableNames(pieces);
  const blocks = new Map<string, BlockStmt>();
  let i = 0;

  /** Parses `src` (at `offset` in the template), turning a syntax error into a positioned problem. */
  function expr(src: string, offset: number): Node {
    try {
      return parseExpr(src, { callables });
    } catch (err) {
      if (err instanceof ExprSyntaxError) throw problem(text, offset + err.pos, `template syntax error: ${err.message} in '${src.trim()}'`);
      throw err;
    }
  }

  /** Statements until one of `ends` (returned with its words), or the end of the template. */
  function block(ends: string[], opener?: { word: string; offset: number }): { body: Stmt[]; end?: { word: string; rest: string; offset: number } } {
    const body: Stmt[] = [];
    while (i < pieces.length) {
      const p = pieces[i++]!;
      if (p.kind === 'text') body.push({ kind: 'text', value: p.value });
      else if (p.kind === 'output') body.push({ kind: 'output', expr: expr(p.src, p.offset), offset: p.offset, src: p.src });
      else {
        const m = /^\s*(\w+)\s*([\s\S]*?)\s*$/.exec(p.src);
        if (!m) throw problem(text, p.offset, `template syntax error: empty or invalid statement '{%${p.src}%}'`);
        const [, word, rest] = m as unknown as [string, string, string];
        const restOffset = p.offset + p.src.indexOf(rest, p.src.indexOf(word) + word.length);
        if (ends.includes(word)) return { body, end: { word, rest, offset: restOffset } };
        body.push(statement(word, rest, restOffset, p.offset));
      }
    }
    if (opener) throw problem(text, opener.offset, `template syntax error: '{% ${opener.word} %}' is not closed (expected ${ends.map((e) => `{% ${e} %}`).join(' or ')})`);
    return { body };
  }

  /** `( a, b=1 )` of a macro or call block: names with optional defaults. */
  function params(src: string, offset: number): Param[] {
    return splitTop(src).map(({ part, at }) => {
      const m = /^(\w+)\s*(?:=\s*([\s\S]+))?$/.exec(part);
      if (!m || !NAME.test(m[1]!)) throw problem(text, offset + at, `template syntax error: expected a parameter name (or name=default), found '${part}'`);
      const dflt = m[2];
      const dAt = offset + at + part.indexOf(dflt ?? '', m[1]!.length);
      return { name: m[1]!, ...(dflt !== undefined ? { default: expr(dflt, dAt) } : {}), at: { offset: dAt, src: dflt ?? m[1]! } };
    });
  }

  function macroBody(name: string, ps: Param[], end: string, offset: number): MacroStmt {
    const body = block([end], { word: end.slice(3), offset }).body;
    const uses = { varargs: mentions(body, 'varargs'), kwargs: mentions(body, 'kwargs'), caller: mentions(body, 'caller') };
    return { kind: 'macro', name, params: ps, body, uses, offset };
  }

  /** A template name expression followed by keywords (`ignore missing`, `with context`, `as m`...). */
  function templateExpr(src: string, offset: number): Node {
    try {
      const head = parseExprPrefix(src, { condexpr: false, callables });
      if (head.rest < src.length) throw new ExprSyntaxError(`unexpected '${src.slice(head.rest).trim()}' after the template name`, head.rest);
      return head.node;
    } catch (err) {
      if (err instanceof ExprSyntaxError) throw problem(text, offset + err.pos, `template syntax error: ${err.message} in '${src.trim()}'`);
      throw err;
    }
  }

  /** Splits a trailing `with context` / `without context` off `rest`; `dflt` is the statement's own default. */
  function context(rest: string, dflt: boolean): { rest: string; withContext: boolean } {
    const m = /\s+(with|without)\s+context$/.exec(rest);
    return m ? { rest: rest.slice(0, m.index), withContext: m[1] === 'with' } : { rest, withContext: dflt };
  }

  function statement(word: string, rest: string, restOffset: number, offset: number): Stmt {
    const at = { offset: restOffset, src: rest };
    switch (word) {
      case 'if': {
        const branches: Array<{ test: Node; body: Stmt[] } & At> = [];
        let test = expr(rest, restOffset);
        let where: At = at;
        for (;;) {
          const { body, end } = block(['elif', 'else', 'endif'], { word: 'if', offset });
          branches.push({ test, body, ...where });
          if (end!.word === 'endif') return { kind: 'if', branches, otherwise: [] };
          if (end!.word === 'else') return { kind: 'if', branches, otherwise: block(['endif'], { word: 'if', offset }).body };
          test = expr(end!.rest, end!.offset);
          where = { offset: end!.offset, src: end!.rest };
        }
      }
      case 'for': {
        const rec = /\s+recursive$/.exec(rest);
        const head = rec ? rest.slice(0, rec.index) : rest;
        const m = /^([\w\s,()]+?)\s+in\s+([\s\S]+)$/.exec(head);
        if (!m) throw problem(text, restOffset, "template syntax error: expected '{% for NAME in EXPRESSION %}'");
        const targets = m[1]!.replace(/[()]/g, '').split(',').map((t) => t.trim());
        if (!targets.every((t) => NAME.test(t))) throw problem(text, restOffset, `template syntax error: a loop variable must be a name, found '${m[1]}'`);
        const iterSrc = m[2]!;
        const iterOffset = restOffset + head.indexOf(iterSrc, m[1]!.length);
        let iter: Node;
        let filter: Node | undefined;
        try {
          const h = parseExprPrefix(iterSrc, { condexpr: false, callables });
          iter = h.node;
          if (h.restWord === 'if') {
            const tail = iterSrc.slice(h.rest).replace(/^\s*if\b/, '');
            filter = expr(tail, iterOffset + iterSrc.length - tail.length);
          } else if (iterSrc.slice(h.rest).trim() !== '') throw new ExprSyntaxError(`unexpected '${iterSrc.slice(h.rest).trim()}' after the loop's list`, h.rest);
        } catch (err) {
          if (err instanceof ExprSyntaxError) throw problem(text, iterOffset + err.pos, `template syntax error: ${err.message} in '${iterSrc.trim()}'`);
          throw err;
        }
        const { body, end } = block(['else', 'endfor'], { word: 'for', offset });
        const otherwise = end!.word === 'else' ? block(['endfor'], { word: 'for', offset }).body : [];
        return { kind: 'for', targets, iter, filter, recursive: Boolean(rec), body, otherwise, offset: iterOffset, src: iterSrc };
      }
      case 'set': {
        const m = /^(\w+)(?:\.(\w+))?\s*(?:=\s*([\s\S]+))?$/.exec(rest);
        if (!m) throw problem(text, restOffset, "template syntax error: expected '{% set NAME = EXPRESSION %}'");
        const [, target, attr, value] = m as unknown as [string, string, string | undefined, string | undefined];
        if (value === undefined) {
          if (attr) throw problem(text, restOffset, "template syntax error: a block set takes a plain name ('{% set NAME %}')");
          return { kind: 'set', target, body: block(['endset'], { word: 'set', offset }).body, offset, src: rest };
        }
        const valueOffset = restOffset + rest.indexOf(value, target.length);
        return { kind: 'set', target, ...(attr ? { attr } : {}), expr: expr(value, valueOffset), offset: valueOffset, src: value };
      }
      case 'with': {
        const assigns = splitTop(rest).map(({ part, at: pAt }) => {
          const m = /^(\w+)\s*=\s*([\s\S]+)$/.exec(part);
          if (!m) throw problem(text, restOffset + pAt, `template syntax error: expected 'NAME = EXPRESSION' in '{% with %}', found '${part}'`);
          const vOffset = restOffset + pAt + part.indexOf(m[2]!, m[1]!.length);
          return { target: m[1]!, expr: expr(m[2]!, vOffset), offset: vOffset, src: m[2]! };
        });
        return { kind: 'with', assigns, body: block(['endwith'], { word: 'with', offset }).body };
      }
      case 'filter': {
        const prefix = `${FILTER_INPUT} | `;
        const chain = expr(prefix + rest, restOffset - prefix.length);
        return { kind: 'filter', expr: chain, body: block(['endfilter'], { word: 'filter', offset }).body, offset: restOffset - prefix.length, src: rest };
      }
      case 'macro': {
        const m = /^(\w+)\s*\(([\s\S]*)\)$/.exec(rest);
        if (!m) throw problem(text, restOffset, "template syntax error: expected '{% macro NAME(ARGS) %}'");
        return macroBody(m[1]!, params(m[2]!, restOffset + rest.indexOf('(') + 1), 'endmacro', offset);
      }
      case 'call': {
        let ps: Param[] = [];
        let callSrc = rest;
        let callOffset = restOffset;
        if (rest.startsWith('(')) {
          const close = splitClose(rest);
          ps = params(rest.slice(1, close), restOffset + 1);
          callSrc = rest.slice(close + 1).trimStart();
          callOffset = restOffset + rest.length - callSrc.length;
        }
        const callee = expr(callSrc, callOffset);
        if (callee.kind !== 'invoke') throw problem(text, callOffset, `template syntax error: '{% call %}' needs a macro call, found '${callSrc}'`);
        const macro = macroBody('caller', ps, 'endcall', offset);
        return { kind: 'call', macro, callee, offset: callOffset, src: callSrc };
      }
      case 'include': {
        const ctx = context(rest, true);
        const ign = /\s+ignore\s+missing$/.exec(ctx.rest);
        const name = ign ? ctx.rest.slice(0, ign.index) : ctx.rest;
        return { kind: 'include', template: templateExpr(name, restOffset), ignoreMissing: Boolean(ign), withContext: ctx.withContext, ...at };
      }
      case 'import': {
        const ctx = context(rest, false);
        const m = /^([\s\S]+?)\s+as\s+(\w+)$/.exec(ctx.rest);
        if (!m) throw problem(text, restOffset, "template syntax error: expected '{% import NAME as ALIAS %}'");
        return { kind: 'import', template: templateExpr(m[1]!, restOffset), alias: m[2]!, withContext: ctx.withContext, ...at };
      }
      case 'from': {
        const ctx = context(rest, false);
        const m = /^([\s\S]+?)\s+import\s+([\s\S]+)$/.exec(ctx.rest);
        if (!m) throw problem(text, restOffset, "template syntax error: expected '{% from NAME import A, B as C %}'");
        const names = splitTop(m[2]!).map(({ part }) => {
          const n = /^(\w+)(?:\s+as\s+(\w+))?$/.exec(part);
          if (!n) throw problem(text, restOffset, `template syntax error: expected 'NAME' or 'NAME as ALIAS' to import, found '${part}'`);
          if (n[1]!.startsWith('_')) throw problem(text, restOffset, `template syntax error: names starting with an underscore cannot be imported ('${n[1]}')`);
          return { name: n[1]!, alias: n[2] ?? n[1]! };
        });
        return { kind: 'from', template: templateExpr(m[1]!, restOffset), names, withContext: ctx.withContext, ...at };
      }
      case 'extends':
        return { kind: 'extends', template: templateExpr(rest, restOffset), ...at };
      case 'block': {
        const m = /^(\w+)(\s+scoped)?(\s+required)?$/.exec(rest);
        if (!m || !NAME.test(m[1]!)) throw problem(text, restOffset, "template syntax error: expected '{% block NAME %}'");
        if (blocks.has(m[1]!)) throw problem(text, restOffset, `template syntax error: block '${m[1]}' defined twice`);
        const { body, end } = block(['endblock'], { word: 'block', offset });
        if (end!.rest !== '' && end!.rest !== m[1]) throw problem(text, end!.offset, `template syntax error: '{% endblock ${end!.rest} %}' closes block '${m[1]}'`);
        const stmt: BlockStmt = { kind: 'block', name: m[1]!, scoped: Boolean(m[2]), body, offset };
        blocks.set(stmt.name, stmt);
        return stmt;
      }
      default: {
        if (UNSUPPORTED.has(word)) throw problem(text, offset, `'{% ${word} %}' is not supported in runbook's Jinja2 templates`, 'see docs/jinja2.md for what is');
        throw problem(text, offset, `template syntax error: unexpected '{% ${word} %}'${KNOWN.includes(word) ? ' here (no block is open for it)' : ''}`);
      }
    }
  }

  /** Index of the `)` closing the `(` at 0 of `src`. */
  function splitClose(src: string): number {
    let depth = 0;
    for (let k = 0; k < src.length; k++) {
      if (src[k] === '(') depth++;
      else if (src[k] === ')' && --depth === 0) return k;
    }
    throw problem(text, 0, "template syntax error: '(' of '{% call (...) %}' is not closed");
  }

  return { body: block([]).body, blocks };
}
