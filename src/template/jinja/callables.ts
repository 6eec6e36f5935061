// The callable values a Jinja2 template makes: macros (and the `caller` of a call block), the
// `loop` of a recursive for, loop.cycle / loop.changed, super(). Arguments are bound as Jinja2
// binds them, and wrong calls fail with Jinja2's own messages.
import { JinjaCallable } from '../../expr/callable.js';
import { FilterError } from '../../expr/errors.js';
import { equals, tuple } from '../../expr/values.js';
import type { MacroStmt } from './parse.js';

/** A function a template can call (loop.cycle, super). */
export class FnCallable extends JinjaCallable {
  constructor(
    readonly label: string,
    private readonly fn: (args: unknown[], kwargs: Record<string, unknown>) => unknown,
  ) {
    super();
  }
  call(args: unknown[], kwargs: Record<string, unknown>): unknown {
    return this.fn(args, kwargs);
  }
}

/** Runs a macro's body with its parameters bound; returns the output. */
export type MacroRunner = (bound: Map<string, unknown>) => string;

export class Macro extends JinjaCallable {
  readonly label: string;
  constructor(
    readonly def: MacroStmt,
    private readonly runner: MacroRunner,
    private readonly evalDefault: (name: string, bound: Map<string, unknown>) => unknown,
  ) {
    super();
    this.label = `macro '${def.name}'`;
  }

  call(args: unknown[], kwargs: Record<string, unknown>, caller?: JinjaCallable): unknown {
    const { params, uses, name } = this.def;
    const rest = { ...kwargs };
    const bound = new Map<string, unknown>();
    params.forEach((p, k) => {
      if (k < args.length) {
        if (Object.prototype.hasOwnProperty.call(rest, p.name)) throw new FilterError(`macro '${name}' got multiple values for argument '${p.name}'`);
        bound.set(p.name, args[k]);
      } else if (Object.prototype.hasOwnProperty.call(rest, p.name)) {
        bound.set(p.name, rest[p.name]);
        delete rest[p.name];
      } else if (p.default) {
        bound.set(p.name, this.evalDefault(p.name, bound));
      } else bound.set(p.name, undefined);
    });
    if (args.length > params.length && !uses.varargs) throw new FilterError(`macro '${name}' takes not more than ${params.length} argument(s)`);
    const callerArg = caller ?? rest.caller;
    delete rest.caller;
    const extra = Object.keys(rest);
    if (extra.length > 0 && !uses.kwargs) throw new FilterError(`macro '${name}' takes no keyword argument '${extra[0]}'`);
    bound.set('varargs', tuple(args.slice(params.length)));
    bound.set('kwargs', rest);
    if (callerArg !== undefined) bound.set('caller', callerArg);
    return this.runner(bound);
  }
}

/** Jinja2's `loop`: the counters, cycle(), changed(), and for a recursive loop, loop(items). */
export class LoopContext extends JinjaCallable {
  readonly label = 'loop';
  index = 1;
  index0 = 0;
  revindex = 0;
  revindex0 = 0;
  first = true;
  last = false;
  length = 0;
  previtem: unknown = undefined;
  nextitem: unknown = undefined;
  readonly cycle: FnCallable;
  readonly changed: FnCallable;
  readonly depth0: number;
  private lastChanged: unknown[] | undefined;

  constructor(
    readonly depth: number,
    private readonly recurse: ((items: unknown) => string) | undefined,
  ) {
    super();
    this.depth0 = depth - 1;
    this.cycle = new FnCallable('loop.cycle', (args) => {
      if (args.length === 0) throw new FilterError('no items for cycling given');
      return args[this.index0 % args.length];
    });
    this.changed = new FnCallable('loop.changed', (args) => {
      if (this.lastChanged !== undefined && equals(this.lastChanged, args)) return false;
      this.lastChanged = args;
      return true;
    });
  }

  at(k: number, items: unknown[]): void {
    const n = items.length;
    Object.assign(this, { index: k + 1, index0: k, revindex: n - k, revindex0: n - k - 1, first: k === 0, last: k === n - 1, length: n });
    this.previtem = k > 0 ? items[k - 1] : undefined;
    this.nextitem = k < n - 1 ? items[k + 1] : undefined;
  }

  call(args: unknown[]): unknown {
    if (!this.recurse) throw new FilterError("Tried to call non recursive loop. Maybe you forgot the 'recursive' modifier.");
    if (args.length !== 1) throw new FilterError('loop() takes exactly one argument (the items to loop over)');
    return this.recurse(args[0]);
  }
}
