// Runs a parsed Jinja2 template with Jinja2's scoping: outputs as Python's str() writes them, loops
// with Jinja2's `loop`, `set` scoped to its loop, macro or with body, includes that see the
// includer's variables (unless `without context`), imports that do not (unless `with context`),
// and template inheritance where a child's blocks replace its parent's. Every expression goes
// through the evaluator `when` uses.
import type { Vars } from '../../core/types.js';
import { UnsafeText } from '../../core/unsafe.js';
import type { Kwarg, Node } from '../../expr/ast.js';
import { JinjaCallable, Namespace } from '../../expr/callable.js';
import { EvalProblem, FilterError } from '../../expr/errors.js';
import { evalNode, type Scope } from '../../expr/evaluate.js';
import type { EvalEnv } from '../../expr/filters.js';
import { isPlainObject, pyStr, truthy, typeName } from '../../expr/values.js';
import { tick } from '../limits.js';
import { locate } from '../problem.js';
import { FnCallable, LoopContext, Macro } from './callables.js';
import { problem } from './lex.js';
import { missingTemplate, type LoadedTemplate, type Loader } from './loader.js';
import { FILTER_INPUT, type BlockStmt, type MacroStmt, type ParsedTemplate, type Stmt } from './parse.js';

/** Includes, imports and extends nested deeper than this are a loop (a template including itself). */
export const MAX_NESTING = 32;
/** Macro calls nested deeper than this are runaway recursion. */
export const MAX_CALLS = 200;

/** Jinja2's text of a value; undefined (an `if` without else) is nothing. */
export function jinjaText(v: unknown): string {
  if (v === undefined) return '';
  if (v instanceof UnsafeText) return v.text;
  return pyStr(v);
}

const HIDDEN = Symbol('hidden');

export class Frame {
  private readonly names = new Map<string, unknown>();
  constructor(readonly parent?: Frame) {}
  get(name: string): { value: unknown } | undefined {
    for (let f: Frame | undefined = this; f; f = f.parent) {
      if (!f.names.has(name)) continue;
      const value = f.names.get(name);
      return value === HIDDEN ? undefined : { value };
    }
    return undefined;
  }
  /** Makes an outer frame's `name` invisible from here (an included template does not see the includer's `loop`). */
  hide(name: string): void {
    this.names.set(name, HIDDEN);
  }
  set(name: string, value: unknown): void {
    this.names.set(name, value);
  }
  /** The names bound in this frame itself (what an imported template exports). */
  own(): Array<[string, unknown]> {
    return [...this.names].filter(([, v]) => v !== HIDDEN);
  }
}

/** What one whole render shares, across the templates it includes and imports. */
export interface Shared {
  loader(): Loader | undefined;
  /** Files being rendered, outermost first (for the nesting error). */
  stack: string[];
  calls: number;
}

/** One template's run: its top-level frame, the block chains of its inheritance, its parent once it extends. */
export interface RenderCtx {
  root: Frame;
  blocks: Map<string, Array<{ block: BlockStmt; st: RenderState }>>;
  parent?: { name: unknown; offset: number; st: RenderState };
}

export interface RenderState {
  text: string;
  /** The file `text` came from; undefined for the value or template being rendered itself. */
  file?: string;
  vars: Vars;
  env: EvalEnv;
  ctx: RenderCtx;
  shared: Shared;
}

export function evaluateAt(node: Node, offset: number, src: string, frame: Frame, st: RenderState): unknown {
  const scope: Scope = { vars: st.vars, local: (n) => frame.get(n), env: st.env };
  try {
    return evalNode(node, scope);
  } catch (err) {
    if (err instanceof EvalProblem) throw problem(st.text, offset + err.pos, `${err.message} in '${src.trim()}'`, err.hint);
    throw err;
  }
}

function iterable(v: unknown, offset: number, st: RenderState): unknown[] {
  if (Array.isArray(v)) return v;
  if (isPlainObject(v)) return Object.keys(v);
  if (typeof v === 'string') return [...v];
  if (v instanceof UnsafeText) return [...v.text];
  throw problem(st.text, offset, `cannot loop over ${typeName(v)}`);
}

function bind(frame: Frame, targets: string[], item: unknown, offset: number, st: RenderState): void {
  if (targets.length === 1) return frame.set(targets[0]!, item);
  if (!Array.isArray(item) || item.length !== targets.length) throw problem(st.text, offset, `cannot unpack ${typeName(item)} into ${targets.length} loop variables (${targets.join(', ')})`);
  targets.forEach((t, k) => frame.set(t, item[k]));
}

/** Runs `fn`; a problem inside is claimed for `st`'s file (unless a template inside claimed it). */
function within<T>(st: RenderState, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw locate(err, st.file);
  }
}

function makeMacro(def: MacroStmt, closure: Frame, st: RenderState): Macro {
  const frameOf = (bound: Map<string, unknown>): Frame => {
    const f = new Frame(closure);
    for (const [k, v] of bound) f.set(k, v);
    return f;
  };
  return new Macro(
    def,
    (bound) =>
      within(st, () => {
        if (++st.shared.calls > MAX_CALLS) throw problem(st.text, def.offset, `macro '${def.name}' nested deeper than ${MAX_CALLS} calls (runaway recursion?)`);
        try {
          const out: string[] = [];
          run(def.body, frameOf(bound), st, out);
          return out.join('');
        } finally {
          st.shared.calls--;
        }
      }),
    (name, bound) =>
      within(st, () => {
        const p = def.params.find((x) => x.name === name)!;
        return evaluateAt(p.default!, p.at.offset, p.at.src, frameOf(bound), st);
      }),
  );
}

function kwargsAt(kwargs: Kwarg[], offset: number, src: string, frame: Frame, st: RenderState): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of kwargs) out[k.name] = evaluateAt(k.value, offset, src, frame, st);
  return out;
}

/** A template named by an include/import/extends: a string (host data is only ever a name), or a list to try in order. */
function templateNames(v: unknown, offset: number, st: RenderState): string[] {
  const one = (x: unknown): string => {
    if (typeof x === 'string') return x;
    if (x instanceof UnsafeText) return x.text;
    throw problem(st.text, offset, `a template name must be a string, got ${typeName(x)}`);
  };
  return Array.isArray(v) ? v.map(one) : [one(v)];
}

function load(names: string[], offset: number, st: RenderState, ignoreMissing = false): LoadedTemplate | undefined {
  const loader = st.shared.loader();
  if (!loader) throw problem(st.text, offset, `cannot load template '${names.join("', '")}' here: only a template file (or a value in a playbook file) has a search path`);
  for (const n of names) {
    const found = within(st, () => loader.load(n));
    if (found) return found;
  }
  if (ignoreMissing) return undefined;
  const { message, hint } = missingTemplate(names, loader);
  throw problem(st.text, offset, message, hint);
}

/** Renders `t` as a nested template (include, import, parent), guarding against a template that includes itself. */
function nested<T>(t: LoadedTemplate, offset: number, st: RenderState, fn: () => T): T {
  const { shared } = st;
  if (shared.stack.length >= MAX_NESTING) {
    const chain = [...shared.stack.slice(-4), t.file].join(' -> ');
    throw problem(st.text, offset, `templates nested deeper than ${MAX_NESTING} (... ${chain}): a template includes, imports or extends itself`, 'break the cycle, or guard the include with an {% if %}');
  }
  shared.stack.push(t.file);
  try {
    return fn();
  } catch (err) {
    throw locate(err, t.file);
  } finally {
    shared.stack.pop();
  }
}

function childState(t: LoadedTemplate, withContext: boolean, frame: Frame, st: RenderState): RenderState {
  const root = withContext ? new Frame(frame) : new Frame();
  root.hide('loop');
  return { text: t.text, file: t.file, vars: withContext ? st.vars : {}, env: st.env, ctx: { root, blocks: new Map() }, shared: st.shared };
}

/** An imported template's exports: its top-level macros and variables (not those starting with '_'). */
function importModule(s: Stmt & { kind: 'import' | 'from' }, frame: Frame, st: RenderState): { name: string; exports: Record<string, unknown> } {
  const names = templateNames(evaluateAt(s.template, s.offset, s.src, frame, st), s.offset, st);
  const t = load(names, s.offset, st)!;
  const cst = childState(t, s.withContext, frame, st);
  nested(t, s.offset, st, () => renderTemplate(t.tree, cst, []));
  const exports: Record<string, unknown> = {};
  for (const [k, v] of cst.ctx.root.own()) if (!k.startsWith('_')) exports[k] = v;
  return { name: names[0]!, exports };
}

function renderBlock(name: string, k: number, base: Frame, ctx: RenderCtx, out: string[]): void {
  const chain = ctx.blocks.get(name)!;
  const { block, st } = chain[k]!;
  const f = new Frame(base);
  f.set(
    'super',
    new FnCallable('super', () => {
      if (k + 1 >= chain.length) throw new FilterError(`there is no parent block called '${name}'`);
      const o: string[] = [];
      renderBlock(name, k + 1, base, ctx, o);
      return o.join('');
    }),
  );
  within(st, () => run(block.body, f, st, out));
}

function runFor(s: Stmt & { kind: 'for' }, value: unknown, depth: number, frame: Frame, st: RenderState): string {
  const out: string[] = [];
  let items = iterable(value, s.offset, st);
  if (s.filter) {
    const f = s.filter;
    items = items.filter((item) => {
      const inner = new Frame(frame);
      bind(inner, s.targets, item, s.offset, st);
      return truthy(evaluateAt(f, s.offset, s.src, inner, st));
    });
  }
  if (items.length === 0) run(s.otherwise, frame, st, out);
  const loop = new LoopContext(depth, s.recursive ? (next) => runFor(s, next, depth + 1, frame, st) : undefined);
  items.forEach((item, k) => {
    tick();
    const inner = new Frame(frame);
    bind(inner, s.targets, item, s.offset, st);
    loop.at(k, items);
    inner.set('loop', loop);
    run(s.body, inner, st, out);
  });
  return out.join('');
}

/** Runs a template's top level, then the templates it extends, with the block chains built child first. */
export function renderTemplate(tree: ParsedTemplate, st: RenderState, out: string[]): void {
  const { ctx } = st;
  const addBlocks = (t: ParsedTemplate, tst: RenderState): void => {
    for (const [name, block] of t.blocks) ctx.blocks.set(name, [...(ctx.blocks.get(name) ?? []), { block, st: tst }]);
  };
  addBlocks(tree, st);
  run(tree.body, ctx.root, st, out);
  while (ctx.parent) {
    const { name, offset, st: from } = ctx.parent;
    ctx.parent = undefined;
    const t = load(templateNames(name, offset, from), offset, from)!;
    const pst: RenderState = { ...from, text: t.text, file: t.file };
    addBlocks(t.tree, pst);
    nested(t, offset, from, () => run(t.tree.body, ctx.root, pst, out));
  }
}

export function run(body: Stmt[], frame: Frame, st: RenderState, out: string[]): void {
  // After `{% extends %}`, the rest of the template's output is dropped: its blocks fill the parent.
  let sink = out;
  for (const s of body) {
    switch (s.kind) {
      case 'text':
        sink.push(s.value);
        break;
      case 'output':
        sink.push(jinjaText(evaluateAt(s.expr, s.offset, s.src, frame, st)));
        break;
      case 'if': {
        const hit = s.branches.find((b) => truthy(evaluateAt(b.test, b.offset, b.src, frame, st)));
        run(hit ? hit.body : s.otherwise, frame, st, sink);
        break;
      }
      case 'for':
        sink.push(runFor(s, evaluateAt(s.iter, s.offset, s.src, frame, st), 1, frame, st));
        break;
      case 'set': {
        if (s.body) {
          const captured: string[] = [];
          run(s.body, new Frame(frame), st, captured);
          frame.set(s.target, captured.join(''));
          break;
        }
        const value = evaluateAt(s.expr!, s.offset, s.src, frame, st);
        if (s.attr === undefined) {
          frame.set(s.target, value);
          break;
        }
        const ns = frame.get(s.target)?.value ?? st.vars[s.target];
        if (!(ns instanceof Namespace)) throw problem(st.text, s.offset, `cannot assign attribute on non-namespace object '${s.target}' (${typeName(ns)})`, `create it with {% set ${s.target} = namespace() %}`);
        (ns as unknown as Record<string, unknown>)[s.attr] = value;
        break;
      }
      case 'with': {
        const inner = new Frame(frame);
        for (const a of s.assigns) inner.set(a.target, evaluateAt(a.expr, a.offset, a.src, frame, st));
        run(s.body, inner, st, sink);
        break;
      }
      case 'filter': {
        const captured: string[] = [];
        run(s.body, new Frame(frame), st, captured);
        const f = new Frame(frame);
        f.set(FILTER_INPUT, captured.join(''));
        sink.push(jinjaText(evaluateAt(s.expr, s.offset, s.src, f, st)));
        break;
      }
      case 'macro':
        frame.set(s.name, makeMacro(s, frame, st));
        break;
      case 'call': {
        const caller = makeMacro(s.macro, frame, st);
        const fn = evaluateAt(s.callee.callee, s.offset, s.src, frame, st);
        if (!(fn instanceof Macro)) throw problem(st.text, s.offset, `'{% call %}' needs a macro, got ${fn instanceof JinjaCallable ? fn.label : typeName(fn)}`);
        const args = s.callee.args.map((a) => evaluateAt(a, s.offset, s.src, frame, st));
        const kwargs = kwargsAt(s.callee.kwargs, s.offset, s.src, frame, st);
        try {
          sink.push(jinjaText(fn.call(args, kwargs, caller)));
        } catch (err) {
          if (err instanceof FilterError) throw problem(st.text, s.offset, err.message, err.hint);
          throw err;
        }
        break;
      }
      case 'include': {
        const names = templateNames(evaluateAt(s.template, s.offset, s.src, frame, st), s.offset, st);
        const t = load(names, s.offset, st, s.ignoreMissing);
        if (!t) break;
        const cst = childState(t, s.withContext, frame, st);
        nested(t, s.offset, st, () => renderTemplate(t.tree, cst, sink));
        break;
      }
      case 'import':
        frame.set(s.alias, importModule(s, frame, st).exports);
        break;
      case 'from': {
        const { name, exports } = importModule(s, frame, st);
        for (const n of s.names) {
          if (!Object.prototype.hasOwnProperty.call(exports, n.name)) throw problem(st.text, s.offset, `the template '${name}' does not export the requested name '${n.name}'`);
          frame.set(n.alias, exports[n.name]);
        }
        break;
      }
      case 'extends':
        if (st.ctx.parent) throw problem(st.text, s.offset, 'extended multiple times');
        st.ctx.parent = { name: evaluateAt(s.template, s.offset, s.src, frame, st), offset: s.offset, st };
        sink = [];
        break;
      case 'block':
        // A child's block is rendered where its parent places it, not here.
        if (!st.ctx.parent) renderBlock(s.name, 0, s.scoped ? frame : st.ctx.root, st.ctx, sink);
        break;
    }
  }
}
