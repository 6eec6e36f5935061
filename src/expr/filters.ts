// The filters a condition may apply with `|`, with Jinja's meaning so Ansible conditions read the same.
import { isPlainObject, lengthOf, pyStr, toBool, toFloat, toInt, truthy, typeName } from './values.js';

export interface FilterSpec {
  minArgs: number;
  maxArgs: number;
  /** The input may be undefined (only `default`): the evaluator then does not reject it. */
  acceptsUndefined?: boolean;
  apply(input: unknown, args: unknown[]): unknown;
}

/** Thrown by a filter on a wrong input; the evaluator adds the expression and location. */
export class FilterError extends Error {}

function str(v: unknown, filter: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return pyStr(v);
  throw new FilterError(`filter '${filter}' expects a string, got ${typeName(v)}`);
}

function sequence(v: unknown, filter: string): unknown[] | string {
  if (typeof v === 'string' || Array.isArray(v)) return v;
  throw new FilterError(`filter '${filter}' expects a list or a string, got ${typeName(v)}`);
}

const defaultFilter: FilterSpec = {
  minArgs: 0,
  maxArgs: 2,
  acceptsUndefined: true,
  apply: (input, [fallback = '', onFalsy = false]) => {
    if (input === undefined || input === null) return fallback;
    return truthy(onFalsy) && !truthy(input) ? fallback : input;
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

export const FILTERS: Record<string, FilterSpec> = {
  length: lengthFilter,
  count: lengthFilter,
  int: { minArgs: 0, maxArgs: 1, apply: (input, [fallback]) => toInt(input, fallback === undefined ? 0 : toInt(fallback)) },
  float: { minArgs: 0, maxArgs: 1, apply: (input, [fallback]) => toFloat(input, fallback === undefined ? 0 : toFloat(fallback)) },
  bool: { minArgs: 0, maxArgs: 0, apply: (input) => toBool(input) },
  string: { minArgs: 0, maxArgs: 0, apply: (input) => pyStr(input) },
  lower: { minArgs: 0, maxArgs: 0, apply: (input) => str(input, 'lower').toLowerCase() },
  upper: { minArgs: 0, maxArgs: 0, apply: (input) => str(input, 'upper').toUpperCase() },
  trim: { minArgs: 0, maxArgs: 0, apply: (input) => str(input, 'trim').trim() },
  default: defaultFilter,
  d: defaultFilter,
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
};
