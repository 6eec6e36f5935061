// Walks a parsed expression against variables: the one evaluator for conditions and Jinja2
// templates, so `when: x | length > 0` and `{% if x | length > 0 %}` cannot disagree. Undefined
// names are errors (they are usually typos) except where the expression asks about them:
// `is defined`, `is undefined`, `| default(...)`, `| mandatory`.
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { UnsafeText } from '../core/unsafe.js';
import { pathText, type BinaryOp, type CompareOp, type Kwarg, type Node } from './ast.js';
import { EvalProblem, FilterError } from './errors.js';
import { FILTERS, type EvalEnv } from './filters.js';
import { FUNCTIONS } from './functions.js';
import { JinjaCallable } from './callable.js';
import { callMethod, METHOD_NAMES } from './methods.js';
import { TESTS } from './tests.js';
import { contains, equals, pyStr, truthy, typeName } from './values.js';

export interface Scope {
  vars: Vars;
  /** Names bound by the template itself (loop variables, set), looked up before `vars`. */
  local?: (name: string) => { value: unknown } | undefined;
  env?: EvalEnv;
}

function fail(pos: number, message: string, hint?: string): never {
  throw new EvalProblem(message, pos, hint);
}

function own(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/** Host data keeps its wrapper in variables; inside an expression it is the plain string. */
function plain(v: unknown): unknown {
  return v instanceof UnsafeText ? v.text : v;
}

/** One step of `a.b` / `a[k]`; undefined when there is no such element. Never reaches prototypes. */
function member(object: unknown, key: unknown): unknown {
  if (Array.isArray(object) || typeof object === 'string') {
    const n = typeof key === 'number' ? key : typeof key === 'string' && /^-?\d+$/.test(key) ? Number(key) : NaN;
    if (!Number.isInteger(n)) return undefined;
    const idx = n < 0 ? object.length + n : n;
    return idx >= 0 && idx < object.length ? object[idx] : undefined;
  }
  if (object !== null && typeof object === 'object') {
    const k = String(key);
    return own(object, k) ? (object as Vars)[k] : undefined;
  }
  return undefined;
}

function lookup(node: Node & { kind: 'member' }, scope: Scope, tolerant: boolean): unknown {
  const object = evalNode(node.object, scope, tolerant);
  if (object === undefined || object === null) {
    if (tolerant) return undefined;
    fail(node.pos, `'${pathText(node.object)}' is none, so '${pathText(node)}' is undefined`);
  }
  const key = evalNode(node.key, scope, false);
  const value = plain(member(object, key));
  if (value === undefined && !tolerant) {
    const keys = object !== null && typeof object === 'object' && !Array.isArray(object) ? Object.keys(object) : [];
    const what = Array.isArray(object) || typeof object === 'string' ? `index ${JSON.stringify(key)} is out of range` : `has no key ${JSON.stringify(key)}`;
    fail(node.pos, `undefined variable '${pathText(node)}' ('${pathText(node.object)}' ${what})`, typeof key === 'string' ? didYouMean(key, keys) : undefined);
  }
  return value;
}

function orderable(a: unknown, b: unknown): boolean {
  return (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
}

function compare(op: CompareOp, a: unknown, b: unknown, pos: number): boolean {
  switch (op) {
    case '==':
      return equals(a, b);
    case '!=':
      return !equals(a, b);
    case 'in':
    case 'not in': {
      const found = contains(b, a);
      if (found === undefined) fail(pos, `'${op}' needs a list, string or dict on its right, got ${typeName(b)}${typeof b === 'string' ? ` with a ${typeName(a)} on its left` : ''}`);
      return op === 'in' ? found : !found;
    }
    default: {
      if (!orderable(a, b)) fail(pos, `cannot compare ${typeName(a)} with ${typeName(b)} using '${op}'`, typeof a === 'string' || typeof b === 'string' ? "convert with '| int' or '| float' first" : undefined);
      const x = a as number | string;
      const y = b as number | string;
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  }
}

function num(v: unknown, op: string, pos: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return fail(pos, `'${op}' needs numbers, got ${typeName(v)}`, typeof v === 'string' ? "convert with '| int' or '| float' first" : undefined);
}

/** Python's arithmetic: `+` also joins strings and lists, `*` repeats them; `~` joins anything as text. */
function binary(op: BinaryOp, a: unknown, b: unknown, pos: number): unknown {
  switch (op) {
    case '~':
      return pyStr(a) + pyStr(b);
    case '+':
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      if (typeof a === 'string' || typeof b === 'string') fail(pos, `cannot add ${typeName(a)} and ${typeName(b)}`, "join text with '~' (it converts), or convert with '| int' first");
      return num(a, op, pos) + num(b, op, pos);
    case '*':
      if ((typeof a === 'string' || Array.isArray(a)) && typeof b === 'number') return repeat(a, b);
      return num(a, op, pos) * num(b, op, pos);
    case '-':
      return num(a, op, pos) - num(b, op, pos);
    case '**':
      return num(a, op, pos) ** num(b, op, pos);
    default: {
      const x = num(a, op, pos);
      const y = num(b, op, pos);
      if (y === 0) fail(pos, 'division by zero');
      if (op === '/') return x / y;
      if (op === '//') return Math.floor(x / y);
      return ((x % y) + y) % y;
    }
  }
}

function repeat(a: string | unknown[], n: number): string | unknown[] {
  if (n > 100000) throw new FilterError('repetition is too long');
  return typeof a === 'string' ? a.repeat(Math.max(0, n)) : Array.from({ length: Math.max(0, n) }, () => a).flat();
}

function kwargsOf(kwargs: Kwarg[], scope: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of kwargs) out[k.name] = evalNode(k.value, scope);
  return out;
}

/** Runs a filter, test, method or function, turning its FilterError into a positioned problem. */
function guarded<T>(pos: number, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FilterError) fail(pos, err.message, err.hint);
    throw err;
  }
}

/** Python's slice indices for a sequence of length `n`. */
function sliceIndices(n: number, start: unknown, stop: unknown, step: unknown, pos: number): number[] {
  const int = (v: unknown, what: string): number | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(pos, `slice ${what} must be a whole number, got ${typeName(v)}`);
    return v;
  };
  const st = int(step, 'step') ?? 1;
  if (st === 0) fail(pos, 'slice step cannot be zero');
  const clamp = (v: number | undefined, dflt: number, lo: number, hi: number): number => {
    if (v === undefined) return dflt;
    const x = v < 0 ? v + n : v;
    return Math.min(Math.max(x, lo), hi);
  };
  const out: number[] = [];
  if (st > 0) {
    const a = clamp(int(start, 'start'), 0, 0, n);
    const b = clamp(int(stop, 'stop'), n, 0, n);
    for (let i = a; i < b; i += st) out.push(i);
  } else {
    const a = clamp(int(start, 'start'), n - 1, -1, n - 1);
    const b = clamp(int(stop, 'stop'), -1, -1, n - 1);
    for (let i = a; i > b; i += st) out.push(i);
  }
  return out;
}

function slice(node: Node & { kind: 'slice' }, scope: Scope): unknown {
  const object = plain(evalNode(node.object, scope));
  const [start, stop, step] = [node.start, node.stop, node.step].map((n) => (n ? evalNode(n, scope) : undefined));
  if (typeof object === 'string') {
    const chars = [...object];
    return sliceIndices(chars.length, start, stop, step, node.pos).map((i) => chars[i]).join('');
  }
  if (Array.isArray(object)) return sliceIndices(object.length, start, stop, step, node.pos).map((i) => object[i]);
  return fail(node.pos, `cannot slice ${typeName(object)} '${pathText(node.object)}'`);
}

function invoke(node: Node & { kind: 'invoke' }, scope: Scope): unknown {
  const args = () => node.args.map((a) => evalNode(a, scope));
  const { callee } = node;
  if (callee.kind === 'member' && callee.key.kind === 'literal') {
    // `x.name(...)`: a callable held by x (a macro of an import, loop.cycle), else x's own method.
    const object = evalNode(callee.object, scope);
    const name = String(callee.key.value);
    const held = object !== null && typeof object === 'object' && own(object, name) ? (object as Vars)[name] : undefined;
    if (held instanceof JinjaCallable) return guarded(node.pos, () => held.call(args(), kwargsOf(node.kwargs, scope)));
    if (METHOD_NAMES.has(name) && node.kwargs.length === 0) {
      const result = guarded(node.pos, () => callMethod(plain(object), name, args()));
      return scope.env?.derived ? scope.env.derived([object], result) : result;
    }
    return fail(node.pos, `'${pathText(callee)}' is not a macro or function (it is ${held === undefined ? 'undefined' : typeName(held)})`);
  }
  const fn = evalNode(callee, scope);
  if (!(fn instanceof JinjaCallable)) fail(node.pos, `'${pathText(callee)}' is not callable (it is ${typeName(fn)})`);
  return guarded(node.pos, () => (fn as JinjaCallable).call(args(), kwargsOf(node.kwargs, scope)));
}

export function evalNode(node: Node, scope: Scope, tolerant = false): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'list':
      return node.items.map((n) => evalNode(n, scope));
    case 'dict': {
      const out: Vars = {};
      for (const e of node.entries) out[String(evalNode(e.key, scope))] = evalNode(e.value, scope);
      return out;
    }
    case 'name': {
      const local = scope.local?.(node.name);
      if (local) return plain(local.value);
      const { vars } = scope;
      if (own(vars, node.name) && vars[node.name] !== undefined) return plain(vars[node.name]);
      const global = scope.env?.globals;
      if (global && own(global, node.name)) return global[node.name];
      if (tolerant) return undefined;
      return fail(node.pos, `undefined variable '${node.name}'`, didYouMean(node.name, Object.keys(vars)));
    }
    case 'member':
      return lookup(node, scope, tolerant);
    case 'not':
      return !truthy(evalNode(node.operand, scope));
    case 'neg': {
      const v = evalNode(node.operand, scope);
      if (typeof v !== 'number') fail(node.pos, `cannot negate ${typeName(v)}`);
      return -v;
    }
    case 'and': {
      const left = evalNode(node.left, scope);
      return truthy(left) ? evalNode(node.right, scope) : left;
    }
    case 'or': {
      const left = evalNode(node.left, scope);
      return truthy(left) ? left : evalNode(node.right, scope);
    }
    case 'compare': {
      let left = evalNode(node.first, scope);
      for (const { op, right, pos } of node.rest) {
        const r = evalNode(right, scope);
        if (!compare(op, left, r, pos)) return false;
        left = r;
      }
      return true;
    }
    case 'binary':
      return binary(node.op, evalNode(node.left, scope), evalNode(node.right, scope), node.pos);
    case 'cond':
      if (truthy(evalNode(node.test, scope))) return evalNode(node.then, scope, tolerant);
      return node.otherwise ? evalNode(node.otherwise, scope, tolerant) : undefined;
    case 'filter': {
      const spec = FILTERS[node.name]!;
      const input = evalNode(node.input, scope, Boolean(spec.acceptsUndefined));
      const args = node.args.map((a) => evalNode(a, scope));
      const kwargs = kwargsOf(node.kwargs, scope);
      const result = guarded(node.pos, () => spec.apply(input, args, kwargs, scope.env ?? {}));
      return scope.env?.derived ? scope.env.derived([input, args, kwargs], result) : result;
    }
    case 'test': {
      const spec = TESTS[node.name]!;
      const value = evalNode(node.operand, scope, Boolean(spec.acceptsUndefined));
      const args = node.args.map((a) => evalNode(a, scope));
      return guarded(node.pos, () => spec.check(value, args)) !== node.negated;
    }
    case 'method': {
      const object = evalNode(node.object, scope);
      const args = node.args.map((a) => evalNode(a, scope));
      const result = guarded(node.pos, () => callMethod(object, node.name, args));
      return scope.env?.derived ? scope.env.derived([object, args], result) : result;
    }
    case 'invoke':
      return invoke(node, scope);
    case 'slice':
      return slice(node, scope);
    case 'call': {
      const spec = FUNCTIONS[node.name]!;
      const args = node.args.map((a) => evalNode(a, scope));
      return guarded(node.pos, () => spec.apply(args, kwargsOf(node.kwargs, scope), scope.env ?? {}));
    }
  }
}

/** A condition's value; problems become InputErrors naming the condition and where it is written. */
export function evaluateNode(node: Node, vars: Vars, source: string, loc?: SourceLoc, env?: EvalEnv): unknown {
  try {
    return evalNode(node, { vars, env });
  } catch (err) {
    if (err instanceof EvalProblem) throw new InputError(`${err.message} in condition '${source}'`, loc, err.hint);
    throw err;
  }
}

