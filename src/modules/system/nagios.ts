// nagios: schedules downtime, toggles notifications and sends raw commands to a Nagios server by
// writing external command lines into its command file (a FIFO), as community.general.nagios does.
// Like Ansible's, it is not idempotent: every run writes its lines (changed), and check mode skips it.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule } from '../types.js';
import { CHECK_AT, END, NOW, START, nagiosCommands, type Services } from './nagios-commands.js';

/** Where nagios.cfg is looked for when cmdfile is not given: Ansible's places, and Debian's nagios4 first. */
export const NAGIOS_CONFIGS = [
  '/etc/nagios4/nagios.cfg',
  '/etc/nagios/nagios.cfg',
  '/etc/nagios3/nagios.cfg',
  '/etc/nagios2/nagios.cfg',
  '/usr/local/etc/nagios/nagios.cfg',
  '/usr/local/groundwork/nagios/etc/nagios.cfg',
  '/omd/sites/oppy/tmp/nagios/nagios.cfg',
  '/usr/local/nagios/etc/nagios.cfg',
  '/usr/local/nagios/nagios.cfg',
  '/opt/nagios/etc/nagios.cfg',
  '/opt/nagios/nagios.cfg',
  '/etc/icinga/icinga.cfg',
  '/usr/local/icinga/etc/icinga.cfg',
];

/** How long writing may wait for Nagios to open its end of the FIFO (Ansible waits without end). */
export const WRITE_TIMEOUT_SECONDS = 30;

const ACTIONS = [
  'downtime', 'delete_downtime', 'enable_alerts', 'disable_alerts', 'silence', 'unsilence', 'silence_nagios', 'unsilence_nagios',
  'command', 'servicegroup_service_downtime', 'servicegroup_host_downtime', 'acknowledge', 'forced_check',
] as const;

export const nagiosSpec = defineSpec({
  description: "Schedules downtime, acknowledges problems, forces checks and turns notifications off and on in Nagios, by writing external commands into its command file. Not idempotent: every run writes them.",
  args: {
    action: { type: 'str', required: true, choices: ACTIONS, description: 'What to do. silence/unsilence: all notifications of the host and its services; silence_nagios/unsilence_nagios: every notification of the server; command: the raw command in `command`.' },
    host: { type: 'str', description: 'The host, as Nagios names it (often `{{ inventory_hostname }}`, with the task delegated to the Nagios server).' },
    services: {
      type: 'str',
      aliases: ['service'],
      description: 'The services, separated by commas; `host` for the host itself, `all` for every service of the host (neither with other names).',
    },
    servicegroup: { type: 'str', description: 'The service group, for servicegroup_host_downtime and servicegroup_service_downtime.' },
    command: { type: 'str', description: 'With action=command: the raw external command, without the "[time] " header or line end.' },
    cmdfile: { type: 'str', defaultText: "command_file from the first nagios.cfg found (/etc/nagios4, /etc/nagios, /etc/nagios3, ... as Ansible looks)", description: "Nagios' command file (a FIFO)." },
    author: { type: 'str', default: 'Ansible', description: 'Who the downtime or acknowledgement is filed by.' },
    comment: { type: 'str', default: 'Scheduling downtime', description: 'The comment of a downtime or acknowledgement; delete_downtime with services=host or named services deletes only downtimes with this comment.' },
    start: { type: 'str', defaultText: 'now (the host clock)', description: 'When the downtime starts, in seconds since the epoch.' },
    minutes: { type: 'int', default: 30, description: 'How long the downtime lasts.' },
  },
  requiredIf: [
    ['action', 'downtime', ['host', 'services']],
    ['action', 'delete_downtime', ['host', 'services']],
    ['action', 'silence', ['host']],
    ['action', 'unsilence', ['host']],
    ['action', 'enable_alerts', ['host', 'services']],
    ['action', 'disable_alerts', ['host', 'services']],
    ['action', 'command', ['command']],
    ['action', 'servicegroup_host_downtime', ['host', 'servicegroup']],
    ['action', 'servicegroup_service_downtime', ['host', 'servicegroup']],
    ['action', 'acknowledge', ['host', 'services']],
    ['action', 'forced_check', ['host', 'services']],
  ],
  examples: `- name: An hour of downtime for the web server's httpd, on the Nagios server
  nagios:
    action: downtime
    minutes: 60
    services: httpd
    host: '{{ inventory_hostname }}'
  delegate_to: nagios1

- name: No alerts for this host and its services while it is rebuilt
  nagios:
    action: silence
    host: '{{ inventory_hostname }}'
  delegate_to: nagios1`,
  returns: { nagios_commands: 'The command lines written, each with its "[time] " header.' },
  checkMode: 'Skipped, as in Ansible (nothing is written).',
});

export type NagiosArgs = ArgsOf<typeof nagiosSpec>;
export interface ParsedNagiosArgs extends NagiosArgs {
  serviceList?: Services;
}

export function parseNagiosArgs(raw: Record<string, unknown>, loc: SourceLoc): ParsedNagiosArgs {
  const { args, reader } = parseSpec('nagios', nagiosSpec, raw, loc);
  // A line break would end the command and start another one in the command file.
  for (const name of ['host', 'services', 'servicegroup', 'command', 'author', 'comment', 'cmdfile'] as const) {
    const v = args[name];
    if (v !== undefined && /[\r\n]/.test(v)) throw reader.error(`'${name}' must be one line`, 'Nagios reads one command per line');
  }
  for (const name of ['host', 'servicegroup'] as const) {
    const v = args[name];
    if (v !== undefined && v.includes(';')) throw reader.error(`${name} '${v}' holds a ';', which separates the fields of a Nagios command`);
  }
  if (args.start !== undefined && !/^\d+$/.test(args.start)) throw reader.error(`start '${args.start}' is not a time in seconds since the epoch`, 'e.g. 1555984800');
  let serviceList: Services | undefined;
  if (args.services !== undefined) {
    const names = args.services.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.some((n) => n.includes(';'))) throw reader.error(`services '${args.services}' holds a ';', which separates the fields of a Nagios command`);
    const special = names.filter((n) => n === 'host' || n === 'all');
    if (special.length && names.length > 1) throw reader.error(`services '${args.services}': '${special[0]}' cannot be given with other services`);
    serviceList = special.length ? (special[0] as 'host' | 'all') : names;
    if (args.action === 'acknowledge' && serviceList === 'all') throw reader.error('acknowledge takes services=host or service names, not all');
  }
  return { ...args, ...(serviceList !== undefined ? { serviceList } : {}) };
}

export function nagiosProbe(a: ParsedNagiosArgs): string {
  const find = a.cmdfile !== undefined
    ? `printf 'cmdfile=%s\\n' ${shQuote(a.cmdfile)}`
    : `for rb_cfg in ${NAGIOS_CONFIGS.map(shQuote).join(' ')}; do if [ -f "$rb_cfg" ]; then printf 'config=%s\\n' "$rb_cfg"; sed -n 's/^command_file[[:space:]]*=[[:space:]]*//p' "$rb_cfg" | head -n 1 | sed 's/^/cmdfile=/'; break; fi; done`;
  return sectionsScript({
    nagios: `${find}\nrb_f=$(${find} | sed -n 's/^cmdfile=//p')\nif [ -n "$rb_f" ]; then [ -e "$rb_f" ] && echo exists=yes; [ -p "$rb_f" ] && echo fifo=yes; fi\n:`,
  });
}

export function planNagios(a: ParsedNagiosArgs, probe: ExecResult, ctx: Pick<ModuleContext, 'check'> = { check: false }): Plan {
  const lines = nagiosCommands({
    action: a.action,
    ...(a.host !== undefined ? { host: a.host } : {}),
    ...(a.serviceList !== undefined ? { services: a.serviceList } : {}),
    ...(a.servicegroup !== undefined ? { servicegroup: a.servicegroup } : {}),
    ...(a.command !== undefined ? { command: a.command } : {}),
    author: a.author,
    comment: a.comment,
    duration: a.minutes * 60,
  }).map((l) => `[${NOW}] ${l}`);
  const changes = lines.map((l) => `write ${l.replace(`[${NOW}] `, '')}`);
  // Skipped in check mode by the executor, before anything about the host could fail it (Ansible never runs it there).
  if (ctx.check) return { changes, steps: [], runsArbitraryCommand: true };
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const h = keyValues(parsed.sections.nagios);
  const cmdfile = h.cmdfile;
  if (!cmdfile) return { changes: [], steps: [], failure: { msg: h.config ? `no command_file in ${h.config}: give cmdfile` : 'unable to locate nagios.cfg: give cmdfile' } };
  if (h.exists !== 'yes') return { changes: [], steps: [], failure: { msg: `nagios command file ${cmdfile} does not exist (is Nagios running, with check_external_commands=1?)` } };
  if (h.fifo !== 'yes') return { changes: [], steps: [], failure: { msg: `nagios command file ${cmdfile} is not a fifo file` } };
  // The times come from the host's clock, as when Ansible's module runs there; the text reaches sed on stdin.
  const script = [
    'set -e',
    'rb_now=$(date +%s)',
    `rb_start=${a.start ?? '$rb_now'}`,
    `rb_end=$((rb_start + ${a.minutes * 60}))`,
    'rb_check=$((rb_now + 3))',
    `rb_lines=$(sed -e "s/${NOW}/$rb_now/g" -e "s/${START}/$rb_start/g" -e "s/${END}/$rb_end/g" -e "s/${CHECK_AT}/$rb_check/g")`,
    // Opening a FIFO waits for its reader: Nagios, unless it is stopped.
    `printf '%s\\n' "$rb_lines" | timeout ${WRITE_TIMEOUT_SECONDS} sh -c 'cat > "$1"' sh ${shQuote(cmdfile)}`,
    'printf \'%s\\n\' "$rb_lines"',
  ].join('\n');
  return {
    changes,
    steps: [{ script, stdin: `${lines.join('\n')}\n` }],
    runsArbitraryCommand: true,
    afterApply(results) {
      const r = results[0];
      if (!r || r.code !== 0) {
        const why = r?.code === 124 ? `Nagios did not read its command file within ${WRITE_TIMEOUT_SECONDS} s (is it running?)` : (r?.stderr.trim() ?? 'not run');
        return { failed: `unable to write to nagios command file ${cmdfile}: ${why}` };
      }
      return { data: { nagios_commands: r.stdout.split('\n').filter(Boolean), cmdfile } };
    },
  };
}

export const nagiosModule: RemoteModule<ParsedNagiosArgs> = {
  kind: 'remote',
  name: 'nagios',
  ...specFields(nagiosSpec),
  parse: parseNagiosArgs,
  probe: (a) => ({ script: nagiosProbe(a) }),
  plan: (a, probe, ctx) => planNagios(a, probe, ctx),
};
