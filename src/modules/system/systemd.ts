// systemd (alias systemd_service): Ansible 2.14's systemd module, the service module's planner with
// systemd's own arguments: masked, daemon_reexec, force, no_block and scope. Only systemd is driven:
// a host without it fails the task, as Ansible's does.
import type { SourceLoc } from '../../core/types.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';
import { parseServiceProbe, serviceProbeScript } from './service-probe.js';
import { planService, type ServiceArgs } from './service.js';

export const systemdSpec = defineSpec({
  description: 'Controls a systemd unit: started/stopped/restarted/reloaded, enabled at boot, masked, with daemon-reload or daemon-reexec first.',
  args: {
    name: { type: 'str', aliases: ['service', 'unit'], description: 'The unit (.service is added when it has no unit suffix). Needed with state, enabled and masked.' },
    state: { type: 'str', choices: ['started', 'stopped', 'restarted', 'reloaded'], description: 'started/stopped change only when needed; restarted/reloaded always act.' },
    enabled: { type: 'bool', description: 'Start the unit at boot.' },
    masked: { type: 'bool', description: 'Mask the unit (it cannot be started at all), or unmask it; a unit can be masked before it is installed.' },
    force: { type: 'bool', description: 'Pass --force to enable, disable, mask and unmask: conflicting symlinks are overwritten.' },
    daemon_reload: {
      type: 'bool',
      default: false,
      aliases: ['daemon-reload'],
      description: "Reload systemd's unit files first, every time the task runs (not in check mode); as in Ansible, the reload alone reports ok.",
    },
    daemon_reexec: { type: 'bool', default: false, aliases: ['daemon-reexec'], description: 'Re-execute the systemd manager first (after daemon_reload), every time; it reports ok, as the reload does.' },
    scope: {
      type: 'str',
      choices: ['system', 'user', 'global'],
      default: 'system',
      description:
        "system: the host's manager. user: the manager of the user the task runs as (systemctl --user; it must be running: a login session, or loginctl enable-linger). global: the unit files every user's manager reads (systemctl --global): enabled and masked only.",
    },
    no_block: { type: 'bool', default: false, description: 'Queue the start/stop/restart/reload job (systemctl --no-block) without waiting for it, nor checking that the unit came up.' },
  },
  requiredOneOf: [['state', 'enabled', 'masked', 'daemon_reload', 'daemon_reexec']],
  examples: `- name: The application's unit is known to systemd, running, and starts at boot
  systemd:
    name: app
    state: started
    enabled: yes
    daemon_reload: yes

- name: Nobody starts the old daemon again
  systemd:
    name: legacy-worker
    state: stopped
    masked: yes

- name: Unit files changed
  systemd:
    daemon_reload: yes`,
  returns: {
    name: 'The unit.',
    state: 'Its state after the task.',
    enabled: 'Whether it starts at boot.',
    masked: 'Whether it is masked (when masked was given).',
    status: "systemd's LoadState, ActiveState, SubState and UnitFileState.",
  },
});

export function parseSystemdArgs(raw: Record<string, unknown>, loc: SourceLoc): ServiceArgs {
  const { args: p, reader } = parseSpec('systemd', systemdSpec, raw, loc);
  const { name, state, enabled, masked, scope } = p;
  if (name !== undefined && /[*?[]/.test(name)) throw reader.error(`This module does not currently support using glob patterns, found in service name: ${name}`);
  if (name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9@._:\\-]*$/.test(name)) throw reader.error(`'${name}' is not a unit name`);
  for (const [key, v] of [['state', state], ['enabled', enabled], ['masked', masked]] as const) {
    if (v !== undefined && name === undefined) throw reader.error(`'name' is required with '${key}'`);
  }
  if (masked === true && state !== undefined && state !== 'stopped') throw reader.error(`a masked unit cannot be ${state}`, 'masked: yes goes with state: stopped, or no state');
  if (masked === true && enabled === true) throw reader.error('a masked unit cannot be enabled', 'masked: yes goes with enabled: no, or no enabled');
  if (scope === 'global' && state !== undefined) throw reader.error("scope=global has no running units: give enabled or masked, not state", 'scope: user acts on the units of the user the task runs as');
  if (scope === 'global' && (p.daemon_reload || p.daemon_reexec)) throw reader.error('scope=global has no manager to reload', 'scope: user reloads the task user\'s manager');
  return { name, state, enabled, daemonReload: p.daemon_reload, daemonReexec: p.daemon_reexec, masked, force: p.force, noBlock: p.no_block, scope };
}

export const systemdModule: RemoteModule<ServiceArgs> = {
  kind: 'remote',
  name: 'systemd',
  ...specFields(systemdSpec),
  parse: parseSystemdArgs,
  probe: (args) => ({ script: serviceProbeScript(args.name, args.scope) }),
  plan(args, probe) {
    const host = parseServiceProbe(probe);
    if (!('error' in host) && host.manager === 'sysv') {
      return { changes: [], steps: [], failure: { msg: 'systemd is not running on this host: the systemd module drives systemd only (the service module also drives init scripts)' } };
    }
    return planService(args, host);
  },
};
