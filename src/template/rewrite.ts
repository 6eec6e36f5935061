// Rewrites a parsed template so undefined variables are errors except where asking about them is
// the point (if, unless, default, defined). Handlebars' own `strict` mode cannot make that
// distinction: it breaks `{{#if maybe}}` and `{{default x "y"}}`. Each strict path `a.b` becomes
// `(__rb_require a.b "meta")`, and each `{{...}}` writes through one output helper.
import { didYouMean } from '../core/suggest.js';
import { problemAt } from './problem.js';
import type { PathMeta } from './paths.js';
import { CAPTURE, OUT, REQUIRE } from './register.js';

type AnyNode = hbs.AST.Node;
type Expression = hbs.AST.Expression;
type PathExpression = hbs.AST.PathExpression;

interface Ctx {
  helpers: Set<string>;
  tolerant: Set<string>;
  /** Block parameter names in scope (`{{#each xs as |x|}}`), innermost last. */
  blockParams: string[];
}

function isPath(node: AnyNode): node is PathExpression {
  return node.type === 'PathExpression';
}

function helperPath(name: string, loc: hbs.AST.SourceLocation): PathExpression {
  return { type: 'PathExpression', data: false, depth: 0, parts: [name], original: name, loc } as PathExpression;
}

function subExpr(path: PathExpression, params: Expression[], hash: hbs.AST.Hash | undefined, loc: hbs.AST.SourceLocation): hbs.AST.SubExpression {
  return { type: 'SubExpression', path, params, hash, loc } as unknown as hbs.AST.SubExpression;
}

function stringLiteral(value: string, loc: hbs.AST.SourceLocation): hbs.AST.StringLiteral {
  return { type: 'StringLiteral', value, original: value, loc } as hbs.AST.StringLiteral;
}

/** A path naming a helper (`{{now}}`), as opposed to a variable. */
function helperName(path: PathExpression, ctx: Ctx): string | undefined {
  const name = path.parts[0];
  if (path.data || path.depth !== 0 || path.parts.length !== 1 || name === undefined) return undefined;
  if (/^(this|\.)([./]|$)/.test(path.original) || ctx.blockParams.includes(name)) return undefined;
  return ctx.helpers.has(name) ? name : undefined;
}

function unknownHelper(path: AnyNode, ctx: Ctx): Error {
  const name = isPath(path) ? path.original : String((path as hbs.AST.StringLiteral).original);
  const hint = didYouMean(name, ctx.helpers);
  return problemAt(`unknown helper '${name}'`, path.loc, hint ?? `helpers: ${[...ctx.helpers].sort().join(', ')} (docs/templates.md)`);
}

function requirePath(path: PathExpression, ctx: Ctx): Expression {
  if (path.data || path.parts.length === 0) return path;
  const first = path.parts[0]!;
  const meta: PathMeta = { name: path.original, parts: path.parts, walk: path.depth === 0 && !ctx.blockParams.includes(first) };
  return subExpr(helperPath(REQUIRE, path.loc), [path, stringLiteral(JSON.stringify(meta), path.loc)], undefined, path.loc);
}

function param(node: Expression, tolerant: boolean, ctx: Ctx): Expression {
  if (isPath(node)) return tolerant ? node : requirePath(node, ctx);
  if (node.type === 'SubExpression') return call(node as hbs.AST.SubExpression, ctx);
  return node;
}

function hash(h: hbs.AST.Hash | undefined, tolerant: boolean, ctx: Ctx): hbs.AST.Hash | undefined {
  if (!h) return h;
  return { ...h, pairs: h.pairs.map((p) => ({ ...p, value: param(p.value, tolerant, ctx) })) };
}

/** A helper call (sub-expression): its path must be a helper; its arguments become strict. */
function call(node: hbs.AST.SubExpression, ctx: Ctx): hbs.AST.SubExpression {
  const name = helperName(node.path, ctx);
  if (!name) throw unknownHelper(node.path, ctx);
  const tolerant = ctx.tolerant.has(name);
  return { ...node, params: node.params.map((p) => param(p, tolerant, ctx)), hash: hash(node.hash, tolerant, ctx) } as hbs.AST.SubExpression;
}

/** What a `{{...}}` evaluates to, as one expression. */
function mustacheValue(m: hbs.AST.MustacheStatement, ctx: Ctx): Expression {
  const hasArgs = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
  if (!isPath(m.path)) {
    if (hasArgs) throw unknownHelper(m.path, ctx);
    return m.path;
  }
  if (hasArgs || helperName(m.path, ctx)) return call(subExpr(m.path, m.params, m.hash, m.loc), ctx);
  return requirePath(m.path, ctx);
}

function statement(node: hbs.AST.Statement, ctx: Ctx): hbs.AST.Statement {
  switch (node.type) {
    case 'MustacheStatement': {
      const m = node as hbs.AST.MustacheStatement;
      return { ...m, path: helperPath(OUT, m.loc), params: [mustacheValue(m, ctx)], hash: undefined } as unknown as hbs.AST.Statement;
    }
    case 'BlockStatement': {
      const b = node as hbs.AST.BlockStatement;
      const hasArgs = b.params.length > 0 || (b.hash?.pairs.length ?? 0) > 0;
      const name = helperName(b.path, ctx);
      // `{{#section}}...{{/section}}` without arguments is a Mustache section over a variable; left as Handlebars has it.
      if (!name && hasArgs) throw unknownHelper(b.path, ctx);
      const tolerant = name ? ctx.tolerant.has(name) : true;
      const inner: Ctx = { ...ctx, blockParams: [...ctx.blockParams, ...(b.program?.blockParams ?? [])] };
      return {
        ...b,
        params: b.params.map((p) => param(p, tolerant, ctx)),
        hash: hash(b.hash, tolerant, ctx),
        program: b.program && program(b.program, inner),
        inverse: b.inverse && program(b.inverse, ctx),
      } as hbs.AST.BlockStatement;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement':
      throw problemAt('partials ({{> name}}) are not supported in runbook templates', node.loc, 'use a separate template task, or a variable holding the shared text');
    case 'DecoratorBlock':
    case 'Decorator':
      throw problemAt('decorators ({{* name}}) are not supported in runbook templates', node.loc);
    default:
      return node;
  }
}

function program(p: hbs.AST.Program, ctx: Ctx): hbs.AST.Program {
  return { ...p, body: p.body.map((s) => statement(s, ctx)) };
}

/** Rewrites for text output. */
export function rewriteText(ast: hbs.AST.Program, helpers: Set<string>, tolerant: Set<string>): hbs.AST.Program {
  return program(ast, { helpers, tolerant, blockParams: [] });
}

/** The template is exactly one `{{...}}`: its value can keep its type (a list stays a list). */
export function isSingleMustache(ast: hbs.AST.Program): boolean {
  return ast.body.length === 1 && ast.body[0]!.type === 'MustacheStatement';
}

/** Rewrites a single-mustache template so that rendering captures the value instead of writing it. */
export function rewriteValue(ast: hbs.AST.Program, helpers: Set<string>, tolerant: Set<string>): hbs.AST.Program {
  const rewritten = rewriteText(ast, helpers, tolerant);
  const m = rewritten.body[0] as hbs.AST.MustacheStatement;
  return { ...rewritten, body: [{ ...m, path: helperPath(CAPTURE, m.loc) } as unknown as hbs.AST.Statement] };
}
