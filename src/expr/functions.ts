// The global functions an expression may call: Jinja2's range and dict, Ansible's lookup and query.
import { Namespace } from './callable.js';
import { FilterError } from './errors.js';
import type { EvalEnv } from './filters.js';
import { isPlainObject, toInt } from './values.js';

export interface FunctionSpec {
  minArgs: number;
  maxArgs: number;
  apply(args: unknown[], kwargs: Record<string, unknown>, env: EvalEnv): unknown;
}

export function range(args: unknown[]): number[] {
  const nums = args.map((a) => toInt(a, NaN));
  if (nums.some(Number.isNaN)) throw new FilterError('range expects whole numbers');
  const [start, end, step] = nums.length === 1 ? [0, nums[0]!, 1] : [nums[0]!, nums[1]!, nums[2] ?? 1];
  if (step === 0) throw new FilterError('range step must not be 0');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < end : i > end; i += step) {
    out.push(i);
    if (out.length > 100000) throw new FilterError('range is too long (over 100000 items)');
  }
  return out;
}

function lookup(wantList: boolean): FunctionSpec {
  return {
    minArgs: 1,
    maxArgs: Infinity,
    apply: ([name, ...terms], kwargs, env) => {
      if (!env.lookup) throw new FilterError(`lookup('${String(name)}') is available in templates and task values, not here`);
      return env.lookup(String(name), terms, kwargs, wantList || kwargs.wantlist === true);
    },
  };
}

export const FUNCTIONS: Record<string, FunctionSpec> = {
  range: { minArgs: 1, maxArgs: 3, apply: (args) => range(args) },
  dict: { minArgs: 0, maxArgs: 1, apply: ([pairs], kwargs) => ({ ...(Array.isArray(pairs) ? Object.fromEntries(pairs as Array<[string, unknown]>) : {}), ...kwargs }) },
  namespace: { minArgs: 0, maxArgs: 1, apply: ([init], kwargs) => new Namespace({ ...(isPlainObject(init) ? init : {}), ...kwargs }) },
  lookup: lookup(false),
  query: lookup(true),
  q: lookup(true),
};
