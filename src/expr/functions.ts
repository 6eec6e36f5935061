// The global functions an expression may call: Jinja2's range and dict, Ansible's lookup and query.
import { JinjaCallable, Namespace } from './callable.js';
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

class Fn extends JinjaCallable {
  constructor(
    readonly label: string,
    private readonly fn: (args: unknown[]) => unknown,
  ) {
    super();
  }
  call(args: unknown[]): unknown {
    return this.fn(args);
  }
}

/** Jinja2's cycler(a, b): `.next()` gives the items in turn, `.current` the next one, `.reset()` starts over. */
function cycler(items: unknown[]): Record<string, unknown> {
  if (items.length === 0) throw new FilterError('cycler needs at least one item');
  const c: Record<string, unknown> = { current: items[0] };
  let pos = 0;
  c.next = new Fn('cycler.next', () => {
    const v = items[pos];
    pos = (pos + 1) % items.length;
    c.current = items[pos];
    return v;
  });
  c.reset = new Fn('cycler.reset', () => {
    pos = 0;
    c.current = items[0];
    return null;
  });
  return c;
}

/** Jinja2's joiner(sep): nothing the first time it is called, `sep` every time after. */
function joiner(sep: unknown): JinjaCallable {
  let used = false;
  return new Fn('joiner', () => {
    if (!used) {
      used = true;
      return '';
    }
    return sep;
  });
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
  cycler: { minArgs: 0, maxArgs: Infinity, apply: (args) => cycler(args) },
  joiner: { minArgs: 0, maxArgs: 1, apply: ([sep]) => joiner(sep ?? ', ') },
  lookup: lookup(false),
  query: lookup(true),
  q: lookup(true),
};
