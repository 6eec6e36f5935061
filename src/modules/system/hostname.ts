// hostname: the host's name, now and after a reboot, as Ansible 2.14's hostname module sets it on
// Debian: through hostnamectl when systemd-hostnamed answers, else /etc/hostname and `hostname`
// (containers often have no D-Bus for hostnamed). /etc/hosts is left alone, as Ansible leaves it.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { atomicWriteStep, writeOutcome } from '../lib/atomic-write.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule, Step } from '../types.js';

const OTHER_STRATEGIES = ['alpine', 'freebsd', 'generic', 'macos', 'macosx', 'darwin', 'openbsd', 'openrc', 'redhat', 'sles', 'solaris'] as const;

export const hostnameSpec = defineSpec({
  description: "Sets the host's name, for the running system and after a reboot (hostnamectl, or /etc/hostname and the hostname command).",
  args: {
    name: { type: 'str', required: true, description: 'The name: letters, digits and hyphens, dot-separated labels (a full name is kept as it is).' },
    use: {
      type: 'str',
      choices: ['systemd', 'debian'],
      unsupported: Object.fromEntries(OTHER_STRATEGIES.map((s) => [s, 'runbook manages Debian hosts: use systemd or debian, or leave use out'])),
      description:
        "systemd: hostnamectl (needs systemd-hostnamed, over D-Bus). debian: /etc/hostname, then the hostname command for the running name. Without it, systemd when hostnamectl answers on the host, debian otherwise.",
    },
  },
  examples: `- name: The web server's name
  hostname:
    name: web1

- name: Set through /etc/hostname (a container without hostnamed)
  hostname:
    name: web1.example.com
    use: debian`,
  returns: {
    ansible_facts: 'ansible_hostname (the first label), ansible_nodename and ansible_domain, updated for the rest of the play.',
    strategy: 'What set it: systemd or debian.',
  },
  diff: 'hostname = OLD, hostname = NEW, as Ansible shows it.',
});

export type HostnameArgs = ArgsOf<typeof hostnameSpec>;

const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?';
const NAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

export function parseHostnameArgs(raw: Record<string, unknown>, loc: SourceLoc): HostnameArgs {
  const { args, reader } = parseSpec('hostname', hostnameSpec, raw, loc);
  if (!NAME.test(args.name)) throw reader.error(`'${args.name}' is not a host name`, "letters, digits and '-' in dot-separated labels, not starting or ending with '-'");
  // The kernel keeps at most 64 characters, and systemd refuses more.
  if (args.name.length > 64) throw reader.error(`'${args.name}' is longer than 64 characters`);
  return args;
}

export function hostnameProbe(): string {
  return sectionsScript({
    host: [
      // Builtins only: read the running name and the first line of /etc/hostname.
      'read -r rb_h < /proc/sys/kernel/hostname && printf "live=%s\\n" "$rb_h"',
      'if [ -f /etc/hostname ]; then rb_f=; read -r rb_f < /etc/hostname; printf "file=%s\\nfile_exists=yes\\n" "$rb_f"; fi',
      'command -v hostnamectl >/dev/null 2>&1 && hostnamectl --static status >/dev/null 2>&1 && echo hostnamectl=yes',
      'command -v hostname >/dev/null 2>&1 && echo hostname_cmd=yes',
    ].join('\n'),
  });
}

function facts(name: string): Record<string, string> {
  const dot = name.indexOf('.');
  return { ansible_hostname: dot < 0 ? name : name.slice(0, dot), ansible_nodename: name, ansible_domain: dot < 0 ? '' : name.slice(dot + 1) };
}

export function planHostname(a: HostnameArgs, probe: ExecResult, ctx: Pick<ModuleContext, 'diff'> = { diff: true }): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const h = keyValues(parsed.sections.host);
  const hostnamectl = h.hostnamectl === 'yes';
  const strategy = a.use ?? (hostnamectl ? 'systemd' : 'debian');
  if (strategy === 'systemd' && !hostnamectl) {
    return { changes: [], steps: [], failure: { msg: 'use=systemd: hostnamectl does not answer on this host (no systemd-hostnamed or no D-Bus, as in many containers); use: debian writes /etc/hostname instead' } };
  }
  const live = h.live ?? '';
  const permanent = (h.file ?? '').trim();
  const q = shQuote(a.name);
  const changes: string[] = [];
  const steps: Step[] = [];
  if (permanent !== a.name) {
    changes.push(`set the permanent name to ${a.name} (was ${permanent || 'unset'})`);
    steps.push(strategy === 'systemd' ? { script: `hostnamectl --pretty --static set-hostname ${q}` } : atomicWriteStep({ path: '/etc/hostname', content: `${a.name}\n`, mode: '0644' }));
  }
  if (live !== a.name) {
    if (strategy === 'debian' && h.hostname_cmd !== 'yes') return { changes: [], steps: [], failure: { msg: 'the hostname command is not installed on this host (the hostname package)', needs: [{ kind: 'package', name: 'hostname' }] } };
    changes.push(`set the running name to ${a.name} (was ${live})`);
    steps.push({ script: strategy === 'systemd' ? `hostnamectl --transient set-hostname ${q}` : `hostname ${q}` });
  }
  const data = { strategy, name: a.name };
  if (changes.length === 0) return { changes, steps, data, facts: facts(a.name) };
  return {
    changes,
    steps,
    data,
    facts: facts(a.name),
    diffs: !ctx.diff ? undefined : [{ path: 'hostname', before: `hostname = ${permanent || live}\n`, after: `hostname = ${a.name}\n` }],
    afterApply(results) {
      const bad = results.find((r) => r.code !== 0);
      if (!bad) return { data };
      return { data, failed: bad.stdout.includes('dest_file=') || bad.stderr.includes('arrived') ? writeOutcome(bad).failed : `setting the host name failed (exit ${bad.code}): ${bad.stderr.trim()}` };
    },
  };
}

export const hostnameModule: RemoteModule<HostnameArgs> = {
  kind: 'remote',
  name: 'hostname',
  ...specFields(hostnameSpec),
  parse: parseHostnameArgs,
  probe: () => ({ script: hostnameProbe() }),
  plan: (a, probe, ctx) => planHostname(a, probe, ctx),
};
