// Runs a parsed Jinja2 template: outputs as Python's str() writes them, loops with Jinja2's `loop`
// variable, `set` scoped to its loop body, and every expression through the evaluator `when` uses.
import type { Vars } from '../../core/types.js';
import { UnsafeText } from '../../core/unsafe.js';
import { EvalProblem } from '../../expr/errors.js';
import { evalNode, type Scope } from '../../expr/evaluate.js';
import type { EvalEnv } from '../../expr/filters.js';
import type { Node } from '../../expr/ast.js';
import { isPlainObject, pyStr, truthy, typeName } from '../../expr/values.js';
import { tick } from '../limits.js';
import { problem } from './lex.js';
import type { Stmt } from './parse.js';

/** Jinja2's text of a value; undefined (an `if` without else) is nothing. */
export function jinjaText(v: unknown): string {
  if (v === undefined) return '';
  if (v instanceof UnsafeText) return v.text;
  return pyStr(v);
}

export class Frame {
  private readonly names = new Map<string, unknown>();
  constructor(readonly parent?: Frame) {}
  get(name: string): { value: unknown } | undefined {
    for (let f: Frame | undefined = this; f; f = f.parent) if (f.names.has(name)) return { value: f.names.get(name) };
    return undefined;
  }
  set(name: string, value: unknown): void {
    this.names.set(name, value);
  }
}

export interface RenderState {
  text: string;
  vars: Vars;
  env: EvalEnv;
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

export function run(body: Stmt[], frame: Frame, st: RenderState, out: string[]): void {
  for (const s of body) {
    switch (s.kind) {
      case 'text':
        out.push(s.value);
        break;
      case 'output':
        out.push(jinjaText(evaluateAt(s.expr, s.offset, s.src, frame, st)));
        break;
      case 'if': {
        const hit = s.branches.find((b) => truthy(evaluateAt(b.test, b.offset, b.src, frame, st)));
        run(hit ? hit.body : s.otherwise, frame, st, out);
        break;
      }
      case 'for': {
        let items = iterable(evaluateAt(s.iter, s.offset, s.src, frame, st), s.offset, st);
        if (s.filter) {
          const f = s.filter;
          items = items.filter((item) => {
            const inner = new Frame(frame);
            bind(inner, s.targets, item, s.offset, st);
            return truthy(evaluateAt(f, s.offset, s.src, inner, st));
          });
        }
        if (items.length === 0) run(s.otherwise, frame, st, out);
        items.forEach((item, k) => {
          tick();
          const inner = new Frame(frame);
          bind(inner, s.targets, item, s.offset, st);
          const n = items.length;
          inner.set('loop', {
            index: k + 1, index0: k, revindex: n - k, revindex0: n - k - 1, first: k === 0, last: k === n - 1, length: n,
            previtem: k > 0 ? items[k - 1] : undefined, nextitem: k < n - 1 ? items[k + 1] : undefined, depth: 1, depth0: 0,
          });
          run(s.body, inner, st, out);
        });
        break;
      }
      case 'group':
        run(s.body, frame, st, out);
        break;
      case 'set': {
        if (s.expr) frame.set(s.target, evaluateAt(s.expr, s.offset, s.src, frame, st));
        else {
          const captured: string[] = [];
          run(s.body!, new Frame(frame), st, captured);
          frame.set(s.target, captured.join(''));
        }
        break;
      }
    }
  }
}
