// Walks a parsed condition against variables. Undefined names are errors (they are usually typos)
// except where the expression asks about them: `is defined`, `is undefined` and `| default(...)`.
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { pathText, type CompareOp, type Node } from './ast.js';
import { FILTERS, FilterError } from './filters.js';
import { TESTS } from './tests.js';
import { contains, equals, truthy, typeName } from './values.js';

interface Scope {
  vars: Vars;
  source: string;
  loc?: SourceLoc;
}

function fail(scope: Scope, message: string, hint?: string): never {
  throw new InputError(`${message} in condition '${scope.source}'`, scope.loc, hint);
}

function own(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
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
    fail(scope, `'${pathText(node.object)}' is none, so '${pathText(node)}' is undefined`);
  }
  const key = evalNode(node.key, scope, false);
  const value = member(object, key);
  if (value === undefined && !tolerant) {
    const keys = object !== null && typeof object === 'object' && !Array.isArray(object) ? Object.keys(object) : [];
    const what = Array.isArray(object) || typeof object === 'string' ? `index ${JSON.stringify(key)} is out of range` : `has no key ${JSON.stringify(key)}`;
    fail(scope, `undefined variable '${pathText(node)}' ('${pathText(node.object)}' ${what})`, typeof key === 'string' ? didYouMean(key, keys) : undefined);
  }
  return value;
}

function orderable(a: unknown, b: unknown): boolean {
  return (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
}

function compare(op: CompareOp, a: unknown, b: unknown, scope: Scope): boolean {
  switch (op) {
    case '==':
      return equals(a, b);
    case '!=':
      return !equals(a, b);
    case 'in':
    case 'not in': {
      const found = contains(b, a);
      if (found === undefined) fail(scope, `'${op}' needs a list, string or dict on its right, got ${typeName(b)}${typeof b === 'string' ? ` with a ${typeName(a)} on its left` : ''}`);
      return op === 'in' ? found : !found;
    }
    default: {
      if (!orderable(a, b)) fail(scope, `cannot compare ${typeName(a)} with ${typeName(b)} using '${op}'`, typeof a === 'string' || typeof b === 'string' ? "convert with '| int' or '| float' first" : undefined);
      const x = a as number | string;
      const y = b as number | string;
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  }
}

function evalNode(node: Node, scope: Scope, tolerant = false): unknown {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'list':
      return node.items.map((n) => evalNode(n, scope));
    case 'name': {
      const { vars } = scope;
      if (own(vars, node.name)) return vars[node.name];
      if (tolerant) return undefined;
      return fail(scope, `undefined variable '${node.name}'`, didYouMean(node.name, Object.keys(vars)));
    }
    case 'member':
      return lookup(node, scope, tolerant);
    case 'not':
      return !truthy(evalNode(node.operand, scope));
    case 'neg': {
      const v = evalNode(node.operand, scope);
      if (typeof v !== 'number') fail(scope, `cannot negate ${typeName(v)}`);
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
      for (const { op, right } of node.rest) {
        const r = evalNode(right, scope);
        if (!compare(op, left, r, scope)) return false;
        left = r;
      }
      return true;
    }
    case 'filter': {
      const spec = FILTERS[node.name]!;
      const input = evalNode(node.input, scope, Boolean(spec.acceptsUndefined));
      const args = node.args.map((a) => evalNode(a, scope));
      try {
        return spec.apply(input, args);
      } catch (err) {
        if (err instanceof FilterError) fail(scope, err.message);
        throw err;
      }
    }
    case 'test': {
      const spec = TESTS[node.name]!;
      const value = evalNode(node.operand, scope, Boolean(spec.acceptsUndefined));
      try {
        return spec.check(value) !== node.negated;
      } catch (err) {
        if (err instanceof FilterError) fail(scope, err.message);
        throw err;
      }
    }
  }
}

export function evaluateNode(node: Node, vars: Vars, source: string, loc?: SourceLoc): unknown {
  return evalNode(node, { vars, source, loc });
}
