// service (alias systemd): started/stopped/restarted/reloaded and enabled, through systemctl or, without systemd, init scripts.
import type { SourceLoc, Vars } from '../../core/types.js';
import { shQuote } from '../../core/shell.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { Plan, RemoteModule, Step } from '../types.js';
import { parseServiceProbe, serviceProbeScript, sysvName, unitName, type ServiceHost, type SystemdUnit, type SysvService } from './service-probe.js';
import { serviceFailure, systemdActionScript, sysvActionScript, type StateAction } from './service-script.js';

export type ServiceState = 'started' | 'stopped' | 'restarted' | 'reloaded';

export interface ServiceArgs {
  name?: string;
  state?: ServiceState;
  enabled?: boolean;
  daemonReload: boolean;
}

export const serviceSpec = defineSpec({
  description: 'Starts, stops, restarts or reloads a service and sets whether it starts at boot, through systemctl (or init scripts without systemd). Also known as systemd.',
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

function planSystemd(args: ServiceArgs, name: string, u: SystemdUnit): Plan {
  const unit = unitName(name);
  const pendingFile = u.loadState === 'not-found' && u.fileOnDisk && args.daemonReload;
  if (u.loadState === 'not-found' && !pendingFile) {
    return { changes: [], steps: [], failure: { msg: `service ${name} not found on this host (no unit ${unit})`, needs: [{ kind: 'unit', name: unit }] } };
  }
  const masked = u.loadState === 'masked' || u.enabled.startsWith('masked');
  if (masked && (args.enabled === true || (args.state !== undefined && args.state !== 'stopped'))) {
    return { changes: [], steps: [], failure: { msg: `service ${name} is masked; unmask it first (systemctl unmask ${unit})` } };
  }
  if (!['loaded', 'not-found', 'masked'].includes(u.loadState)) {
    return { changes: [], steps: [], failure: { msg: `unit ${unit} could not be loaded (LoadState=${u.loadState}); see systemctl status ${unit}` } };
  }
  const changes: string[] = [];
  const steps: Step[] = [];
  const enabledNow = ENABLED.has(u.enabled);
  // static units have no [Install] section: there is nothing to enable or disable.
  const enableAction = args.enabled === undefined || u.enabled === 'static' || args.enabled === enabledNow ? undefined : args.enabled ? 'enable' : 'disable';
  if (enableAction) {
    changes.push(`${enableAction} ${name}`);
    steps.push({ script: `systemctl ${enableAction} ${shQuote(unit)}` });
  }
  const running = ['active', 'activating', 'reloading'].includes(u.activeState);
  const action = stateAction(args.state, running, u.activeState === 'deactivating');
  if (action) {
    changes.push(`${action} ${name}`);
    steps.push({ script: systemdActionScript(unit, action, ['simple', 'exec'].includes(u.type)) });
  }
  const data = resultData(args, name, running, enabledNow, action, enableAction, { LoadState: u.loadState, ActiveState: u.activeState, SubState: u.subState, UnitFileState: u.enabled });
  return { changes, steps, ...daemonReload(args), data, afterApply: afterService(name) };
}

/**
 * Ansible runs daemon-reload whenever it is asked (outside check mode), before anything else, and
 * never counts it as a change (ansible/ansible#77606): the unit's own start or enable does.
 */
function daemonReload(args: ServiceArgs): Pick<Plan, 'sideSteps'> {
  return args.daemonReload ? { sideSteps: [{ script: 'systemctl daemon-reload' }] } : {};
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
