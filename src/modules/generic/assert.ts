// assert: checks conditions (the `when` language) and fails naming the first that did not hold.
import { formatLoc, type SourceLoc } from '../../core/types.js';
import { locOf } from '../../yaml/locs.js';
import { parseSpec } from '../lib/spec-parse.js';
import { truthy } from '../lib/truthy.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionModule } from '../types.js';

export const assertSpec = defineSpec({
  description: 'Checks conditions and fails naming the first that does not hold; changes nothing.',
  args: {
    // Rendering a condition before evaluating it would run whatever a host printed as code.
    that: { type: 'list', required: true, expression: true, requiredHint: 'a condition or a list of them', description: "Conditions in runbook's expression language; all must hold." },
    fail_msg: { type: 'str', aliases: ['msg'], description: 'Message when a condition does not hold.' },
    success_msg: { type: 'str', defaultText: 'All assertions passed', description: 'Message when every condition holds.' },
    quiet: { type: 'bool', default: false, description: 'Print nothing when every condition holds.' },
  },
  examples: `- name: The service answers
  assert:
    that:
      - health.status == 200
      - "'ok' in health.content"
    fail_msg: the health page is not ok`,
});

export interface Assertion {
  text: string;
  loc: SourceLoc;
}

export interface AssertArgs {
  that: Assertion[];
  failMsg?: string;
  successMsg?: string;
  quiet: boolean;
}

export const assertModule: ActionModule<AssertArgs> = {
  kind: 'action',
  touchesNoHost: true,
  name: 'assert',
  checkMode: 'run',
  ...specFields(assertSpec),
  parse(raw, loc) {
    const { args: p, reader: args } = parseSpec('assert', assertSpec, raw, loc);
    const that = p.that;
    if (that.length === 0) throw args.error(`'that' is required: a condition or a list of them`);
    // Conditions are bare expressions; a literal boolean from YAML is fine too.
    const written = raw.that;
    const at = (i: number): SourceLoc => (Array.isArray(written) ? locOf(written, i) : undefined) ?? locOf(raw, 'that') ?? loc;
    return { that: that.map((t, i) => ({ text: String(t), loc: at(i) })), failMsg: p.fail_msg, successMsg: p.success_msg, quiet: p.quiet };
  },
  async run(a, ctx) {
    for (const { text: assertion, loc } of a.that) {
      let value: unknown;
      try {
        value = ctx.evaluate(assertion);
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        return { changed: false, failed: `the assertion '${assertion}' could not be evaluated: ${why}`, data: { assertion, evaluated_to: false } };
      }
      if (typeof value === 'string' && isLoneTemplate(assertion)) {
        // Ansible renders `{{ x }}` and evaluates the text it gives; runbook never does, since that
        // text may be what a host printed (Ansible 2.14+ refuses it too: "Conditional is marked as unsafe").
        return { changed: false, failed: refusal(assertion, loc), data: { assertion, evaluated_to: false } };
      }
      if (!truthy(value)) {
        return { changed: false, failed: a.failMsg ?? `Assertion failed: ${assertion}`, data: { assertion, evaluated_to: false } };
      }
    }
    const msg = a.quiet ? undefined : (a.successMsg ?? 'All assertions passed');
    return { changed: false, msg, data: msg === undefined ? {} : { msg } };
  },
};

function isLoneTemplate(text: string): boolean {
  return /^\s*\{\{.*\}\}\s*$/s.test(text);
}

function refusal(assertion: string, loc: SourceLoc): string {
  const inner = assertion.trim().slice(2, -2).trim();
  return (
    `${formatLoc(loc)}: the condition '${assertion}' gives text, and runbook never evaluates text as a condition ` +
    `(text that came from a host would run as code): compare the value instead, ` +
    `e.g. \`that: ${inner} == 'x'\``
  );
}
