// debug: prints a message or a variable's value while a playbook runs; changes nothing.
import { extractKeyValues } from '../lib/shlex.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionModule } from '../types.js';

export const debugSpec = defineSpec({
  description: "Prints a message or a variable's value while the playbook runs; changes nothing.",
  args: {
    msg: { type: 'raw', defaultText: 'Hello world!', description: 'The message (any value; {{templates}} are rendered).' },
    // `var` names what to show: rendered first, a host's output would become the expression evaluated.
    var: { type: 'str', expression: true, description: 'An expression whose value to print, instead of msg.' },
    verbosity: { type: 'int', default: 0, description: 'Print only when the run has at least this many -v.' },
  },
  freeForm: { arg: 'msg', description: 'The message, or msg=... var=... verbosity=... as key=value words.' },
  mutuallyExclusive: [['msg', 'var']],
  examples: `- name: Show what was registered
  debug:
    var: result.stdout_lines

- debug:
    msg: "{{inventory_hostname}} runs PHP {{php_version}}"`,
});

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
  touchesNoHost: true,
  name: 'debug',
  checkMode: 'run',
  ...specFields(debugSpec),
  parse(raw, loc) {
    // Free form is Ansible's k=v style (`debug: msg="hi" verbosity=1`); a bare string is the message.
    if (typeof raw.msg === 'string' && /^(msg|var|verbosity)=/.test(raw.msg.trim()) && Object.keys(raw).length === 1) {
      raw = extractKeyValues(raw.msg, ['msg', 'var', 'verbosity']).options;
    }
    const { args } = parseSpec('debug', debugSpec, raw, loc);
    return { msg: args.msg, var: args.var, verbosity: args.verbosity };
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
