// rabbitmq_plugin: RabbitMQ plugins enabled or disabled, as community.rabbitmq's rabbitmq_plugin does
// through rabbitmq-plugins; decided from the explicitly enabled list (list -E -m).
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { Plan, RemoteModule, Step } from '../types.js';
import { ctlFailure } from './rabbitmq-ctl.js';

export const rabbitmqPluginSpec = defineSpec({
  description: 'Enables or disables RabbitMQ plugins with rabbitmq-plugins on the host.',
  args: {
    names: { type: 'str', required: true, aliases: ['name'], description: 'The plugins, separated by commas (rabbitmq_management,rabbitmq_shovel).' },
    state: {
      type: 'str',
      choices: ['enabled', 'disabled'],
      default: 'enabled',
      description: 'enabled: these plugins are enabled and, unless new_only, every other explicitly enabled plugin is disabled (as in Ansible); disabled: these are disabled.',
    },
    new_only: { type: 'bool', default: false, description: 'With enabled: only enable what is missing, and disable nothing.' },
    broker_state: {
      type: 'str',
      choices: ['online', 'offline'],
      default: 'online',
      description: 'online: the running broker picks the change up (rabbitmq-plugins --online); offline: only the enabled-plugins file changes (--offline).',
    },
    prefix: { type: 'str', description: 'A custom RabbitMQ install: rabbitmq-plugins is taken from its bin/ (else sbin/).' },
  },
  examples: `- name: The management UI
  rabbitmq_plugin:
    names: rabbitmq_management
    state: enabled

- name: Add federation, leaving other plugins alone
  rabbitmq_plugin:
    names: rabbitmq_federation,rabbitmq_federation_management
    new_only: yes`,
  returns: { enabled: 'The plugins this task enabled.', disabled: 'The plugins this task disabled.' },
  checkMode: 'Forecasts exactly: the probe lists the enabled plugins; nothing runs.',
});

export interface RabbitmqPluginArgs {
  names: string[];
  state: 'enabled' | 'disabled';
  newOnly: boolean;
  brokerState: 'online' | 'offline';
  prefix?: string;
}

const PLUGIN = /^[A-Za-z0-9_.-]+$/;

export function parseRabbitmqPluginArgs(raw: Record<string, unknown>, loc: SourceLoc): RabbitmqPluginArgs {
  const { args, reader } = parseSpec('rabbitmq_plugin', rabbitmqPluginSpec, raw, loc);
  const names = args.names.split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) throw reader.error("'names' needs at least one plugin");
  const bad = names.find((n) => !PLUGIN.test(n));
  if (bad !== undefined) throw reader.error(`'${bad}' is not a plugin name`, 'plugin names are letters, digits, _ . and -, separated by commas');
  return { names, state: args.state, newOnly: args.new_only, brokerState: args.broker_state, ...(args.prefix !== undefined ? { prefix: args.prefix } : {}) };
}

/** rabbitmq-plugins, or the prefix's own, found the way community.rabbitmq finds it. */
function pluginsPrelude(prefix: string | undefined): string {
  if (prefix === undefined) {
    return `command -v rabbitmq-plugins >/dev/null 2>&1 || { echo 'rabbitmq-plugins is not installed: the rabbitmq modules need the rabbitmq-server package' >&2; exit 1; }\nrb_plugins=rabbitmq-plugins`;
  }
  const p = shQuote(prefix);
  return `if [ -d ${p}/bin ]; then rb_plugins=${p}/bin/rabbitmq-plugins; elif [ -d ${p}/sbin ]; then rb_plugins=${p}/sbin/rabbitmq-plugins; else echo "no bin or sbin folder in prefix "${p} >&2; exit 1; fi`;
}

export function rabbitmqPluginProbe(a: RabbitmqPluginArgs): string {
  return `${pluginsPrelude(a.prefix)}\n${sectionsScript({ enabled: '"$rb_plugins" -q list -E -m || exit 1' })}`;
}

export function planRabbitmqPlugin(a: RabbitmqPluginArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: ctlFailure(parsed.error.replace("the host's state", 'the enabled plugins'), probe.stderr) };
  // One name a line; community.rabbitmq stops at the first empty line and skips any line with a space.
  const have = (parsed.sections.enabled ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.includes(' '));
  const enable = a.state === 'enabled' ? a.names.filter((n) => !have.includes(n)) : [];
  const disable = a.state === 'enabled' ? (a.newOnly ? [] : have.filter((n) => !a.names.includes(n))) : have.filter((n) => a.names.includes(n));
  const tool = (verb: string, names: string[]): Step => ({
    script: `${pluginsPrelude(a.prefix)}\n"$rb_plugins" -q ${verb} --${a.brokerState} ${names.map(shQuote).join(' ')}`,
  });
  const steps: Step[] = [];
  const changes: string[] = [];
  if (disable.length) {
    changes.push(`disable ${disable.join(', ')}`);
    steps.push(tool('disable', disable));
  }
  if (enable.length) {
    changes.push(`enable ${enable.join(', ')}`);
    steps.push(tool('enable', enable));
  }
  return { changes, steps, data: { enabled: enable, disabled: disable } };
}

export const rabbitmqPluginModule: RemoteModule<RabbitmqPluginArgs> = {
  kind: 'remote',
  name: 'rabbitmq_plugin',
  ...specFields(rabbitmqPluginSpec),
  parse: parseRabbitmqPluginArgs,
  probe: (a) => ({ script: rabbitmqPluginProbe(a) }),
  plan: (a, probe) => planRabbitmqPlugin(a, probe),
};
