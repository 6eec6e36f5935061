// Parses, rewrites and compiles template sources once per distinct text: rendering is hot (every
// string of every task on every host), compiling is not. Strings made only of text and plain
// `{{ var.path }}` skip Handlebars at run time: its per-call setup costs more than the lookup.
import type HandlebarsNs from 'handlebars';
import type { PathMeta } from './paths.js';
import { TemplateProblem, type HbsLoc } from './problem.js';
import { TOLERANT, userHelperNames, CAPTURE, OUT, REQUIRE } from './register.js';
import { isSingleMustache, rewriteText, rewriteValue } from './rewrite.js';

type Env = typeof HandlebarsNs;
type Delegate = HandlebarsNs.TemplateDelegate;

export interface PathRef {
  meta: PathMeta;
  loc: HbsLoc;
}

export type Compiled =
  /** One `{{...}}` whose value keeps its type, rendered by Handlebars with a capturing helper. */
  | { kind: 'value'; fn: Delegate }
  /** Renders to a string through Handlebars. */
  | { kind: 'text'; fn: Delegate }
  /** Exactly `{{ a.b }}`: the value itself. */
  | { kind: 'path'; ref: PathRef }
  /** Text and plain variables only. */
  | { kind: 'segments'; segments: Array<string | PathRef> };

const MAX_ENTRIES = 10000;

/** Turns Handlebars' own exceptions (parse errors, mismatched blocks) into a positioned TemplateProblem. */
export function fromHandlebarsError(err: unknown): TemplateProblem {
  if (err instanceof TemplateProblem) return err;
  const e = err as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? err);
  const parse = /^Parse error on line (\d+):\n([\s\S]*)$/.exec(message);
  if (parse) {
    const [context = '', caret = '', expecting = ''] = parse[2]!.split('\n');
    const got = /got '(\w+)'/.exec(expecting)?.[1];
    const what =
      got === 'EOF' ? 'the template ends inside an open {{ or {{#block}}' : got === 'INVALID' ? 'a {{ is not closed by }} or holds an invalid character' : `unexpected ${got ?? 'token'}`;
    return new TemplateProblem(`template syntax error: ${what}\n    ${context}\n    ${caret}`, Number(parse[1]), undefined, 'write a literal {{ as \\{{');
  }
  const cleaned = message.replace(/ - \d+:\d+$/, '');
  return new TemplateProblem(`template error: ${cleaned}`, e.lineNumber, e.column === undefined ? undefined : e.column + 1);
}

export class TemplateCompiler {
  private readonly helpers: Set<string>;
  private readonly knownHelpers: Record<string, boolean>;
  private readonly cache = { value: new Map<string, Compiled>(), text: new Map<string, Compiled>() };

  constructor(private readonly env: Env) {
    this.helpers = userHelperNames(env);
    this.knownHelpers = Object.fromEntries([...this.helpers, REQUIRE, OUT, CAPTURE].map((n) => [n, true]));
  }

  /** A `{{ a.b }}` with no helper, arguments, data variable or whitespace control. */
  private plainPath(node: hbs.AST.Statement): PathRef | undefined {
    if (node.type !== 'MustacheStatement') return undefined;
    const m = node as hbs.AST.MustacheStatement;
    const path = m.path;
    if (path.type !== 'PathExpression' || m.params.length > 0 || m.hash || m.strip.open || m.strip.close) return undefined;
    const p = path as hbs.AST.PathExpression;
    if (p.data || p.depth !== 0 || p.parts.length === 0) return undefined;
    if (p.parts.length === 1 && this.helpers.has(p.parts[0]!) && !/^(this|\.)[./]/.test(p.original)) return undefined;
    return { meta: { name: p.original, parts: p.parts, walk: true }, loc: p.loc };
  }

  private fast(ast: hbs.AST.Program, asValue: boolean): Compiled | undefined {
    if (asValue && ast.body.length === 1) {
      const ref = this.plainPath(ast.body[0]!);
      return ref ? { kind: 'path', ref } : undefined;
    }
    const segments: Array<string | PathRef> = [];
    for (const node of ast.body) {
      if (node.type === 'ContentStatement') segments.push((node as hbs.AST.ContentStatement).value);
      else {
        const ref = this.plainPath(node);
        if (!ref) return undefined;
        segments.push(ref);
      }
    }
    return { kind: 'segments', segments };
  }

  private slow(ast: hbs.AST.Program, asValue: boolean): Compiled {
    const options = { noEscape: true, strict: false, knownHelpers: this.knownHelpers, preventIndent: true };
    if (asValue && isSingleMustache(ast)) return { kind: 'value', fn: this.env.compile(rewriteValue(ast, this.helpers, TOLERANT), options) };
    return { kind: 'text', fn: this.env.compile(rewriteText(ast, this.helpers, TOLERANT), options) };
  }

  /** `asValue`: a single `{{...}}` keeps its type (playbook values); template files always render text. */
  compile(source: string, asValue: boolean): Compiled {
    const cache = asValue ? this.cache.value : this.cache.text;
    let entry = cache.get(source);
    if (entry) return entry;
    let ast: hbs.AST.Program;
    try {
      ast = this.env.parseWithoutProcessing(source);
    } catch (err) {
      throw fromHandlebarsError(err);
    }
    entry = this.fast(ast, asValue) ?? this.slow(ast, asValue);
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(source, entry);
    return entry;
  }
}
