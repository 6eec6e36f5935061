// rabbitmq_vhost: a RabbitMQ virtual host present or absent, with tracing on or off, as
// community.rabbitmq's rabbitmq_vhost does through rabbitmqctl; decided from one list_vhosts.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule, Step } from '../types.js';
import { ctl, ctlFailure, ctlPrelude, jsonRows, nodeArg } from './rabbitmq-ctl.js';

export const rabbitmqVhostSpec = defineSpec({
  description: 'Makes sure a RabbitMQ virtual host exists (with tracing on or off) or does not, through rabbitmqctl on the host.',
  args: {
    name: { type: 'str', required: true, aliases: ['vhost'], description: 'The virtual host (/test).' },
    node: nodeArg,
    tracing: { type: 'bool', default: false, aliases: ['trace'], description: 'Message tracing on the virtual host (rabbitmqctl trace_on).' },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: it exists; absent: it does not (its queues and exchanges go with it).' },
  },
  examples: `- name: The application's virtual host
  rabbitmq_vhost:
    name: /app
    state: present`,
  returns: { name: 'The virtual host.', state: 'The state asked for.' },
  checkMode: 'Forecasts exactly: the probe lists the virtual hosts; nothing runs.',
});

export type RabbitmqVhostArgs = ArgsOf<typeof rabbitmqVhostSpec>;

export function parseRabbitmqVhostArgs(raw: Record<string, unknown>, loc: SourceLoc): RabbitmqVhostArgs {
  const { args, reader } = parseSpec('rabbitmq_vhost', rabbitmqVhostSpec, raw, loc);
  if (args.name === '') throw reader.error("'name' must not be empty");
  return args;
}

export function rabbitmqVhostProbe(a: RabbitmqVhostArgs): string {
  return `${ctlPrelude(a.node)}\n${sectionsScript({ vhosts: 'rb_ctl list_vhosts name tracing --formatter json || exit 1' })}`;
}

export function planRabbitmqVhost(a: RabbitmqVhostArgs, probe: ExecResult): Plan {
  const data = { name: a.name, state: a.state };
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: ctlFailure(parsed.error.replace("the host's state", 'the virtual hosts'), probe.stderr) };
  const rows = jsonRows(parsed.sections.vhosts);
  if (!rows) return { changes: [], steps: [], failure: { msg: `rabbitmqctl list_vhosts printed what runbook cannot read: ${parsed.sections.vhosts?.trim()}` } };
  const found = rows.find((r) => r.name === a.name);
  const c = ctl(a.node);
  const v = shQuote(a.name);
  const steps: Step[] = [];
  const changes: string[] = [];
  if (a.state === 'absent') {
    if (found) {
      changes.push(`delete virtual host ${a.name}`);
      steps.push({ script: `${c} delete_vhost ${v}` });
    }
  } else {
    if (!found) {
      changes.push(`add virtual host ${a.name}`);
      steps.push({ script: `${c} add_vhost ${v}` });
    }
    const tracing = found?.tracing === true;
    if (a.tracing !== tracing) {
      changes.push(`turn tracing ${a.tracing ? 'on' : 'off'} on ${a.name}`);
      steps.push({ script: `${c} ${a.tracing ? 'trace_on' : 'trace_off'} -p ${v}` });
    }
  }
  return { changes, steps, data };
}

export const rabbitmqVhostModule: RemoteModule<RabbitmqVhostArgs> = {
  kind: 'remote',
  name: 'rabbitmq_vhost',
  ...specFields(rabbitmqVhostSpec),
  parse: parseRabbitmqVhostArgs,
  probe: (a) => ({ script: rabbitmqVhostProbe(a) }),
  plan: (a, probe) => planRabbitmqVhost(a, probe),
};
