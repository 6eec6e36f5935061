// debug: prints a message or a variable's value while a playbook runs; changes nothing.
import { ArgReader } from '../lib/args.js';
import { extractKeyValues } from '../lib/shlex.js';
import type { ActionModule } from '../types.js';

export interface DebugArgs {
  msg?: unknown;
  var?: string;
  verbosity: number;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? 'undefined';
}

export const debugModule: ActionModule<DebugArgs> = {
  kind: 'action',
  name: 'debug',
  checkMode: 'run',
  freeForm: 'msg',
  argNames: ['msg', 'var', 'verbosity'],
  // `var` names what to show: rendered first, a host's output would become the expression evaluated.
  expressionArgs: ['var'],
  parse(raw, loc) {
    // Free form is Ansible's k=v style (`debug: msg="hi" verbosity=1`); a bare string is the message.
    if (typeof raw.msg === 'string' && /^(msg|var|verbosity)=/.test(raw.msg.trim()) && Object.keys(raw).length === 1) {
      raw = extractKeyValues(raw.msg, ['msg', 'var', 'verbosity']).options;
    }
    const args = new ArgReader('debug', raw, loc);
    args.exclusive('msg', 'var');
    const v = args.str('var');
    return { msg: args.value('msg'), var: v, verbosity: args.int('verbosity', 0) };
  },
  async run(a, ctx) {
    // Ansible's magic variable: how many -v the run was given.
    const level = Number(ctx.vars.ansible_verbosity ?? 0);
    if (a.verbosity > level) return { changed: false, skipped: `verbosity threshold not met (needs -${'v'.repeat(a.verbosity)})` };
    if (a.var !== undefined) {
      let value: unknown;
      try {
        value = ctx.evaluate(a.var);
      } catch {
        value = undefined;
      }
      if (value === undefined) value = 'VARIABLE IS NOT DEFINED!';
      return { changed: false, msg: `${a.var}: ${show(value)}`, data: { [a.var]: value } };
    }
    const msg = a.msg ?? 'Hello world!';
    return { changed: false, msg: show(msg), data: { msg } };
  },
};
