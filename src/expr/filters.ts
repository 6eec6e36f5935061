// The filters `|` may apply, in conditions and Jinja2 templates alike, with Jinja2's and Ansible's
// meaning so Ansible content reads the same. One table: text filters in filters-text.ts, list and
// dict filters in filters-data.ts; this file holds the registry and the shape every filter has.
import { FilterError } from './errors.js';
import { DATA_FILTERS } from './filters-data.js';
import { TEXT_FILTERS } from './filters-text.js';
import { isPlainObject, lengthOf, pyStr, toBool, toFloat, toInt, truthy, typeName } from './values.js';

export { FilterError } from './errors.js';

/** What a filter or function may reach beyond its arguments; conditions run with less than templates. */
export interface EvalEnv {
  /** Names every expression sees when no variable has them (Jinja2's omit, ansible_managed). */
  globals?: Record<string, unknown>;
  /** Lookups (file, env, template ...): only where the templater provides them. */
  lookup?(name: string, terms: unknown[], kwargs: Record<string, unknown>, wantList: boolean): unknown;
  /** Called with a filter's or method's inputs and result: masks what is derived from a secret. */
  derived?<T>(inputs: unknown[], result: T): T;
}

export interface FilterSpec {
  minArgs: number;
  maxArgs: number;
  /** Keyword arguments it accepts (`combine(recursive=true)`). */
  kwargs?: string[];
  /** The input may be undefined (default, mandatory): the evaluator then does not reject it. */
  acceptsUndefined?: boolean;
  apply(input: unknown, args: unknown[], kwargs: Record<string, unknown>, env: EvalEnv): unknown;
}

export function str(v: unknown, filter: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return pyStr(v);
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !isPlainObject(v)) return String(v);
  throw new FilterError(`filter '${filter}' expects a string, got ${typeName(v)}`);
}

export function sequence(v: unknown, filter: string): unknown[] | string {
  if (typeof v === 'string' || Array.isArray(v)) return v;
  throw new FilterError(`filter '${filter}' expects a list or a string, got ${typeName(v)}`);
}

const defaultFilter: FilterSpec = {
  minArgs: 0,
  maxArgs: 2,
  kwargs: ['boolean'],
  acceptsUndefined: true,
  apply: (input, [fallback = '', onFalsy], kw) => {
    if (input === undefined) return fallback;
    return truthy(onFalsy ?? kw.boolean) && !truthy(input) ? fallback : input;
  },
};

const lengthFilter: FilterSpec = {
  minArgs: 0,
  maxArgs: 0,
  apply: (input) => {
    const n = lengthOf(input);
    if (n === undefined) throw new FilterError(`filter 'length' expects a list, string or dict, got ${typeName(input)}`);
    return n;
  },
};

const CORE: Record<string, FilterSpec> = {
  length: lengthFilter,
  count: lengthFilter,
  int: { minArgs: 0, maxArgs: 2, kwargs: ['default', 'base'], apply: (input, [fallback, base], kw) => toInt(input, toInt(fallback ?? kw.default ?? 0), toInt(base ?? kw.base ?? 10)) },
  float: { minArgs: 0, maxArgs: 1, apply: (input, [fallback]) => toFloat(input, fallback === undefined ? 0 : toFloat(fallback)) },
  bool: { minArgs: 0, maxArgs: 0, apply: (input) => toBool(input) },
  string: { minArgs: 0, maxArgs: 0, apply: (input) => pyStr(input) },
  default: defaultFilter,
  d: defaultFilter,
  mandatory: {
    minArgs: 0,
    maxArgs: 1,
    acceptsUndefined: true,
    apply: (input, [msg]) => {
      if (input === undefined) throw new FilterError(msg === undefined ? 'a mandatory variable is undefined' : String(msg));
      return input;
    },
  },
  first: { minArgs: 0, maxArgs: 0, apply: (input) => sequence(input, 'first')[0] },
  last: { minArgs: 0, maxArgs: 0, apply: (input) => sequence(input, 'last').at(-1) },
  join: {
    minArgs: 0,
    maxArgs: 1,
    apply: (input, [sep = '']) => {
      if (!Array.isArray(input)) throw new FilterError(`filter 'join' expects a list, got ${typeName(input)}`);
      return input.map((x) => pyStr(x)).join(pyStr(sep));
    },
  },
  list: {
    minArgs: 0,
    maxArgs: 0,
    apply: (input) => {
      if (Array.isArray(input)) return input;
      if (typeof input === 'string') return [...input];
      if (isPlainObject(input)) return Object.keys(input);
      throw new FilterError(`filter 'list' expects a list, string or dict, got ${typeName(input)}`);
    },
  },
  ternary: { minArgs: 2, maxArgs: 3, apply: (input, [yes, no, none]) => (input === null && none !== undefined ? none : truthy(input) ? yes : no) },
};

export const FILTERS: Record<string, FilterSpec> = { ...CORE, ...TEXT_FILTERS, ...DATA_FILTERS };

/** Applies a filter by name (map('upper'), select's tests use TESTS): arity as the parser checks it. */
export function applyFilter(name: string, input: unknown, args: unknown[], kwargs: Record<string, unknown>, env: EvalEnv): unknown {
  const spec = Object.prototype.hasOwnProperty.call(FILTERS, name) ? FILTERS[name] : undefined;
  if (!spec) throw new FilterError(`unknown filter '${name}'`);
  if (args.length < spec.minArgs || args.length > spec.maxArgs) throw new FilterError(`filter '${name}' takes ${spec.minArgs} to ${spec.maxArgs} argument(s), got ${args.length}`);
  return spec.apply(input, args, kwargs, env);
}
