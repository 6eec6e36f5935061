// assert: checks conditions (the `when` language) and fails naming the first that did not hold.
import { ArgReader } from '../lib/args.js';
import { truthy } from '../lib/truthy.js';
import type { ActionModule } from '../types.js';

export interface AssertArgs {
  that: string[];
  failMsg?: string;
  successMsg?: string;
  quiet: boolean;
}

export const assertModule: ActionModule<AssertArgs> = {
  kind: 'action',
  name: 'assert',
  checkMode: 'run',
  argNames: ['that', 'fail_msg', 'msg', 'success_msg', 'quiet'],
  parse(raw, loc) {
    const args = new ArgReader('assert', raw, loc, { msg: 'fail_msg' });
    const that = args.list('that');
    if (!that || that.length === 0) throw args.error(`'that' is required: a condition or a list of them`);
    // Conditions are bare expressions; a literal boolean from YAML is fine too.
    return { that: that.map((t) => String(t)), failMsg: args.str('fail_msg'), successMsg: args.str('success_msg'), quiet: args.bool('quiet', false) };
  },
  async run(a, ctx) {
    for (const assertion of a.that) {
      let value: unknown;
      try {
        value = ctx.evaluate(assertion);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return { changed: false, failed: `the assertion '${assertion}' could not be evaluated: ${why}`, data: { assertion, evaluated_to: false } };
      }
      if (!truthy(value)) {
        return { changed: false, failed: a.failMsg ?? `Assertion failed: ${assertion}`, data: { assertion, evaluated_to: false } };
      }
    }
    const msg = a.quiet ? undefined : (a.successMsg ?? 'All assertions passed');
    return { changed: false, msg, data: msg === undefined ? {} : { msg } };
  },
};
