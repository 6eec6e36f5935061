// timezone: the host's time zone, as community.general.timezone sets it on Debian: timedatectl
// set-timezone when systemd-timedated answers, else the /etc/localtime link (replaced atomically)
// and /etc/timezone. The hardware clock is not touched.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { atomicWriteStep, writeOutcome } from '../lib/atomic-write.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule, Step } from '../types.js';

const ZONEINFO = '/usr/share/zoneinfo';

export const timezoneSpec = defineSpec({
  description: "Sets the host's time zone (timedatectl, or the /etc/localtime link and /etc/timezone).",
  args: {
    name: { type: 'str', required: true, description: 'The zone, as in /usr/share/zoneinfo: Europe/Paris, Etc/UTC, UTC.' },
    hwclock: {
      type: 'str',
      ignored: true,
      description: "Accepted so Ansible playbooks run, and ignored: runbook leaves the hardware clock's mode (local or UTC) as it is (containers and most VMs have none of their own); set it with timedatectl set-local-rtc.",
    },
  },
  examples: `- name: The servers keep UTC
  timezone:
    name: Etc/UTC

- name: Local time for the office machine
  timezone:
    name: Europe/Paris`,
  returns: { name: 'The zone set.', previous: 'The zone before the task (empty when none was set).', strategy: 'What set it: timedatectl or files.' },
  diff: 'name = OLD, name = NEW.',
});

export type TimezoneArgs = ArgsOf<typeof timezoneSpec>;

export function parseTimezoneArgs(raw: Record<string, unknown>, loc: SourceLoc): TimezoneArgs {
  const { args, reader } = parseSpec('timezone', timezoneSpec, raw, loc);
  if (!/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/.test(args.name)) throw reader.error(`'${args.name}' is not a time zone name`, 'e.g. Europe/Paris or Etc/UTC (a file under /usr/share/zoneinfo)');
  return args;
}

export function timezoneProbe(a: TimezoneArgs): string {
  return sectionsScript({
    tz: [
      `[ -f ${shQuote(`${ZONEINFO}/${a.name}`)} ] && echo known=yes`,
      'if [ -L /etc/localtime ]; then printf "link=%s\\n" "$(readlink /etc/localtime)"; elif [ -e /etc/localtime ]; then echo link=; fi',
      'if [ -f /etc/timezone ]; then rb_t=; read -r rb_t < /etc/timezone; printf "file=%s\\nfile_exists=yes\\n" "$rb_t"; fi',
      'command -v timedatectl >/dev/null 2>&1 && timedatectl show -p Timezone --value >/dev/null 2>&1 && echo timedatectl=yes',
    ].join('\n'),
  });
}

/** The zone /etc/localtime names: its link's target under zoneinfo (relative or absolute). */
export function zoneOfLink(target: string | undefined): string {
  if (!target) return '';
  const m = /(?:^|\/)zoneinfo\/(.+)$/.exec(target);
  return m ? m[1]!.replace(/^(posix|right)\//, '') : '';
}

export function planTimezone(a: TimezoneArgs, probe: ExecResult, ctx: Pick<ModuleContext, 'diff'> = { diff: true }): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const t = keyValues(parsed.sections.tz);
  if (t.known !== 'yes') return { changes: [], steps: [], failure: { msg: `${a.name} is not a known time zone on this host (no ${ZONEINFO}/${a.name}; is tzdata installed?)`, needs: [{ kind: 'package', name: 'tzdata' }] } };
  const current = zoneOfLink(t.link);
  const fileZone = t.file_exists === 'yes' ? (t.file ?? '').trim() : undefined;
  const strategy = t.timedatectl === 'yes' ? 'timedatectl' : 'files';
  const data = { name: a.name, previous: current, strategy };
  const linkOk = current === a.name;
  // Debian keeps the zone's name in /etc/timezone too; a host without the file gets none.
  const fileOk = fileZone === undefined || fileZone === a.name;
  if (linkOk && fileOk) return { changes: [], steps: [], data };
  const steps: Step[] = [];
  if (!linkOk) {
    if (strategy === 'timedatectl') steps.push({ script: `timedatectl set-timezone ${shQuote(a.name)}` });
    // A new link beside the old one, renamed over it: /etc/localtime is never missing.
    else steps.push({ script: `cd /etc && rm -f .runbook-localtime && ln -s ${shQuote(`${ZONEINFO}/${a.name}`)} .runbook-localtime && mv -fT .runbook-localtime localtime` });
  }
  // Debian keeps the name in /etc/timezone (timedated writes it there too: rewriting it then is a no-op).
  if (!fileOk) steps.push(atomicWriteStep({ path: '/etc/timezone', content: `${a.name}\n`, mode: '0644' }));
  return {
    changes: [`set the time zone to ${a.name} (was ${current || fileZone || 'unset'})`],
    steps,
    data,
    diffs: !ctx.diff ? undefined : [{ path: 'timezone', before: `name = ${current || fileZone || ''}\n`, after: `name = ${a.name}\n` }],
    afterApply(results) {
      const bad = results.find((r) => r.code !== 0);
      if (!bad) return { data };
      return { data, failed: /dest_file=|arrived/.test(bad.stdout + bad.stderr) ? writeOutcome(bad).failed : `setting the time zone failed (exit ${bad.code}): ${bad.stderr.trim()}` };
    },
  };
}

export const timezoneModule: RemoteModule<TimezoneArgs> = {
  kind: 'remote',
  name: 'timezone',
  ...specFields(timezoneSpec),
  parse: parseTimezoneArgs,
  probe: (a) => ({ script: timezoneProbe(a) }),
  plan: (a, probe, ctx) => planTimezone(a, probe, ctx),
};
