// service: started/stopped/restarted/reloaded and enabled, through systemctl or, without systemd, init scripts. The systemd module (systemd.ts) plans with the same code, adding systemd's own arguments.
import type { SourceLoc, Vars } from '../../core/types.js';
import { shQuote } from '../../core/shell.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { Plan, RemoteModule, Step } from '../types.js';
import { parseServiceProbe, serviceProbeScript, systemctlFor, sysvName, unitName, USER_RUNTIME_DIR, type ServiceHost, type SystemdScope, type SystemdUnit, type SysvService } from './service-probe.js';
import { serviceFailure, systemdActionScript, sysvActionScript, type StateAction } from './service-script.js';

export type ServiceState = 'started' | 'stopped' | 'restarted' | 'reloaded';

export interface ServiceArgs {
  name?: string;
  state?: ServiceState;
  enabled?: boolean;
  daemonReload: boolean;
  /** The systemd module's own arguments (systemd.ts); the service module leaves them unset. */
  daemonReexec?: boolean;
  masked?: boolean;
  force?: boolean;
  noBlock?: boolean;
  scope?: SystemdScope;
}

export const serviceSpec = defineSpec({
  description: 'Starts, stops, restarts or reloads a service and sets whether it starts at boot, through systemctl (or init scripts without systemd). The systemd module adds masked, scope, no_block and daemon_reexec.',
  args: {
    name: { type: 'str', aliases: ['service', 'unit'], description: 'The service (unit) name.' },
    state: { type: 'str', choices: ['started', 'stopped', 'restarted', 'reloaded'], description: 'started/stopped change only when needed; restarted/reloaded always act.' },
    enabled: { type: 'bool', description: 'Start the service at boot.' },
    daemon_reload: {
      type: 'bool',
      default: false,
      aliases: ['daemon-reload'],
      description: "Reload systemd's unit files first, every time the task runs (not in check mode); as in Ansible, the reload alone reports ok.",
    },
  },
  examples: `- name: Redis runs and starts at boot
  service:
    name: redis-server
    state: started
    enabled: yes

# in handlers:
- name: restart redis
  service:
    name: redis-server
    state: restarted`,
  returns: { name: 'The service.', state: 'Its state after the task.', enabled: 'Whether it starts at boot.', status: "systemd's LoadState, ActiveState, SubState and UnitFileState (or the init script's status)." },
});

export function parseServiceArgs(raw: Record<string, unknown>, loc: SourceLoc): ServiceArgs {
  const { args: p, reader: args } = parseSpec('service', serviceSpec, raw, loc);
  const { name, state, enabled, daemon_reload: daemonReload } = p;
  if (name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9@._:\\-]*$/.test(name)) throw args.error(`'${name}' is not a service name`);
  if (state === undefined && enabled === undefined && !daemonReload) throw args.error(`give at least one of 'state', 'enabled' or 'daemon_reload'`);
  if (name === undefined && (state !== undefined || enabled !== undefined)) throw args.error(`'name' is required with 'state' or 'enabled'`);
  return { name, state, enabled, daemonReload };
}

/** Ansible's rule: started only if not running; restarted/reloaded start a stopped service; stopped only if running. */
function stateAction(want: ServiceState | undefined, running: boolean, stopping: boolean): StateAction | undefined {
  if (want === 'started') return running ? undefined : 'start';
  if (want === 'stopped') return running || stopping ? 'stop' : undefined;
  if (want === 'restarted') return running ? 'restart' : 'start';
  if (want === 'reloaded') return running ? 'reload' : 'start';
  return undefined;
}

const ENABLED = new Set(['enabled', 'enabled-runtime', 'static', 'generated', 'transient', 'alias']);

function planSystemd(args: ServiceArgs, name: string, found: SystemdUnit): Plan {
  const unit = unitName(name);
  const scope = args.scope ?? 'system';
  const ctl = systemctlFor(scope);
  // systemctl --global reads unit files only: a unit is "loaded" when its file is there.
  const u: SystemdUnit = scope === 'global' ? { ...found, loadState: found.enabled === 'masked' ? 'masked' : found.fileOnDisk || found.enabled !== '' ? 'loaded' : 'not-found' } : found;
  const isMasked = u.enabled === 'masked' || (u.loadState === 'masked' && !u.enabled.startsWith('masked-runtime'));
  // Ansible masks by is-enabled's word, and a unit can be masked before it is installed.
  const maskAction = args.masked === undefined || args.masked === isMasked ? undefined : args.masked ? 'mask' : 'unmask';
  const wantsUnit = args.state !== undefined || args.enabled !== undefined;
  const pendingFile = u.loadState === 'not-found' && u.fileOnDisk && args.daemonReload;
  if (u.loadState === 'not-found' && !pendingFile && wantsUnit) {
    return { changes: [], steps: [], failure: { msg: `service ${name} not found on this host (no unit ${unit})`, needs: [{ kind: 'unit', name: unit }] } };
  }
  const masked = maskAction === 'unmask' ? false : maskAction === 'mask' ? true : isMasked || u.loadState === 'masked';
  if (masked && (args.enabled === true || (args.state !== undefined && args.state !== 'stopped'))) {
    return { changes: [], steps: [], failure: { msg: `service ${name} is masked; unmask it first (${args.masked === undefined ? `systemctl unmask ${unit}` : 'masked: no'})` } };
  }
  if (!['loaded', 'not-found', 'masked'].includes(u.loadState)) {
    return { changes: [], steps: [], failure: { msg: `unit ${unit} could not be loaded (LoadState=${u.loadState}); see systemctl status ${unit}` } };
  }
  const changes: string[] = [];
  const steps: Step[] = [];
  const env = scope === 'user' ? `${USER_RUNTIME_DIR}\n` : '';
  const force = args.force ? ' --force' : '';
  if (maskAction) {
    changes.push(`${maskAction} ${name}`);
    steps.push({ script: `${env}${ctl}${force} ${maskAction} ${shQuote(unit)}` });
  }
  // Unmasked just now, the unit's enablement is only known afterwards: enable is asked again (it is idempotent).
  const enabledNow = maskAction === 'unmask' ? false : ENABLED.has(u.enabled);
  // static units have no [Install] section: there is nothing to enable or disable.
  const enableAction = args.enabled === undefined || u.enabled === 'static' || args.enabled === enabledNow ? undefined : args.enabled ? 'enable' : 'disable';
  if (enableAction) {
    changes.push(`${enableAction} ${name}`);
    steps.push({ script: `${env}${ctl}${force} ${enableAction} ${shQuote(unit)}` });
  }
  const running = ['active', 'activating', 'reloading'].includes(u.activeState);
  const action = stateAction(args.state, running, u.activeState === 'deactivating');
  if (action) {
    changes.push(`${action} ${name}`);
    steps.push({ script: `${env}${systemdActionScript(unit, action, ['simple', 'exec'].includes(u.type), ctl, args.noBlock ?? false)}` });
  }
  const status = { LoadState: u.loadState, ActiveState: u.activeState, SubState: u.subState, UnitFileState: u.enabled };
  const data = { ...resultData(args, name, running, enabledNow, action, enableAction, status), ...(args.masked !== undefined ? { masked: args.masked } : {}) };
  return { changes, steps, ...daemonReload(args), data, afterApply: afterService(name) };
}

/**
 * Ansible runs daemon-reload (then daemon-reexec) whenever it is asked (outside check mode), before
 * anything else, and never counts it as a change (ansible/ansible#77606): the unit's own start or enable does.
 */
function daemonReload(args: ServiceArgs): Pick<Plan, 'sideSteps'> {
  const scope = args.scope ?? 'system';
  const env = scope === 'user' ? `${USER_RUNTIME_DIR}\n` : '';
  const ctl = systemctlFor(scope);
  const steps: Step[] = [
    ...(args.daemonReload ? [{ script: `${env}${ctl} daemon-reload` }] : []),
    ...(args.daemonReexec ? [{ script: `${env}${ctl} daemon-reexec` }] : []),
  ];
  return steps.length ? { sideSteps: steps } : {};
}

function planSysv(args: ServiceArgs, name: string, s: SysvService): Plan {
  const base = sysvName(name);
  if (!s.exists) {
    return { changes: [], steps: [], failure: { msg: `service ${base} not found on this host (no /etc/init.d/${base}, and systemd is not running)`, needs: [{ kind: 'unit', name: base }] } };
  }
  const changes: string[] = [];
  const steps: Step[] = [];
  const q = shQuote(base);
  const enableAction = args.enabled === undefined || args.enabled === s.enabled ? undefined : args.enabled ? 'enable' : 'disable';
  if (enableAction) {
    changes.push(`${enableAction} ${base}`);
    steps.push({ script: `${s.hasLinks ? '' : `update-rc.d ${q} defaults >/dev/null && `}update-rc.d ${q} ${enableAction}` });
  }
  const running = s.statusCode === 0;
  const action = stateAction(args.state, running, false);
  if (action) {
    changes.push(`${action} ${base}`);
    steps.push({ script: sysvActionScript(base, action) });
  }
  const data = resultData(args, base, running, s.enabled, action, enableAction, { status: s.statusCode === 0 ? 'running' : 'stopped' });
  return { changes, steps, data, afterApply: afterService(base) };
}

function resultData(args: ServiceArgs, name: string, running: boolean, enabled: boolean, action: StateAction | undefined, enableAction: string | undefined, status: Vars): Vars {
  // Ansible reports the state the service is left in (restarted/reloaded leave it started).
  const state = args.state === undefined ? (running ? 'started' : 'stopped') : args.state === 'stopped' ? 'stopped' : 'started';
  return { name, state, changed_state: action ?? null, enabled: enableAction ? args.enabled : enabled, status };
}

function afterService(name: string): Plan['afterApply'] {
  return (results) => {
    const last = results[results.length - 1];
    const failed = last ? serviceFailure(name, last) : undefined;
    return failed ? { failed } : {};
  };
}

export function planService(args: ServiceArgs, host: ServiceHost | { error: string }): Plan {
  if ('error' in host) return { changes: [], steps: [], failure: { msg: host.error } };
  if (host.manager === 'none') {
    const msg = args.scope === 'user'
      ? `scope=user: no systemd user manager answers for ${host.user ?? "the task's user"} (it runs while the user is logged in, or always after loginctl enable-linger USER)`
      : 'systemctl is not installed on this host';
    return { changes: [], steps: [], failure: { msg } };
  }
  if (args.name === undefined) {
    // daemon_reload alone: it runs every time, and reports ok as in Ansible.
    return host.manager === 'systemd' ? { changes: [], steps: [], ...daemonReload(args) } : { changes: [], steps: [] };
  }
  return host.manager === 'systemd' ? planSystemd(args, args.name, host) : planSysv(args, args.name, host);
}

export const serviceModule: RemoteModule<ServiceArgs> = {
  kind: 'remote',
  name: 'service',
  ...specFields(serviceSpec),
  parse: parseServiceArgs,
  probe: (args) => ({ script: serviceProbeScript(args.name) }),
  plan: (args, probe) => planService(args, parseServiceProbe(probe)),
};
