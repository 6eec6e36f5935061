// Reads a service's state in one command: systemd's view (load, active, enabled) or, without systemd, the init script's.
import { shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';

export interface SystemdUnit {
  manager: 'systemd';
  /** loaded, not-found, masked, bad-setting, error. */
  loadState: string;
  /** active, inactive, failed, activating, deactivating, reloading. */
  activeState: string;
  subState: string;
  /** Service Type= (simple, exec, forking, oneshot, notify, ...). */
  type: string;
  /** What `systemctl is-enabled` prints: enabled, disabled, static, masked, generated, indirect, ... */
  enabled: string;
  needDaemonReload: boolean;
  /** A unit file exists on disk even though systemd has not loaded it (daemon-reload pending). */
  fileOnDisk: boolean;
}

export interface SysvService {
  manager: 'sysv';
  exists: boolean;
  /** Exit status of `/etc/init.d/NAME status` (LSB: 0 running, 3 stopped). */
  statusCode: number;
  /** Start links in the runlevel directories. */
  enabled: boolean;
  /** Any rc links at all (else update-rc.d defaults is needed first). */
  hasLinks: boolean;
}

/** scope=user/global: no manager to talk to (no user manager for the task's user, no systemctl). */
export interface NoManager {
  manager: 'none';
  user?: string;
}

export type ServiceHost = SystemdUnit | SysvService | NoManager;

/** The name systemd uses: `.service` appended when the name has no unit suffix. */
export function unitName(name: string): string {
  return /\.(service|socket|timer|target|mount|path|slice|scope|swap|automount|device)$/.test(name) ? name : `${name}.service`;
}

/** The init script's name: the unit name without `.service`. */
export function sysvName(name: string): string {
  return name.replace(/\.service$/, '');
}

/** Which systemd manager a task talks to: the system's (the default), the task user's own, or the global user defaults. */
export type SystemdScope = 'system' | 'user' | 'global';

/** systemctl for a scope; --user needs the user's runtime directory, as Ansible sets it. */
export function systemctlFor(scope: SystemdScope): string {
  return scope === 'system' ? 'systemctl' : `systemctl --${scope}`;
}

/** A user manager is found through XDG_RUNTIME_DIR: set it as Ansible does when the login did not. */
export const USER_RUNTIME_DIR = 'export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}"';

const UNIT_DIRS: Record<SystemdScope, string> = {
  system: '/etc/systemd/system /run/systemd/system /lib/systemd/system /usr/lib/systemd/system',
  user: '"$HOME"/.config/systemd/user /etc/systemd/user /usr/lib/systemd/user',
  global: '/etc/systemd/user /usr/lib/systemd/user',
};

/** Without a name (daemon_reload alone) only the service manager is read. */
export function serviceProbeScript(name: string | undefined, scope: SystemdScope = 'system'): string {
  if (scope !== 'system') return scopedProbeScript(name, scope);
  const manager = 'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then echo manager=systemd; else echo manager=sysv; fi';
  if (name === undefined) return sectionsScript({ manager });
  const unit = shQuote(unitName(name));
  const script = shQuote(`/etc/init.d/${sysvName(name)}`);
  const base = shQuote(sysvName(name));
  return sectionsScript({
    manager,
    systemd: [
      'if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then',
      ...systemdLines(unit, 'system'),
      'fi',
    ].join('\n'),
    sysv: [
      'if [ ! -d /run/systemd/system ]; then',
      `  [ -x ${script} ] && echo exists=yes`,
      `  if [ -x ${script} ]; then ${script} status >/dev/null 2>&1; echo "status=$?"; fi`,
      `  ls /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d 2>/dev/null | grep -E '^S[0-9]{2}'${base}'$' >/dev/null && echo enabled=yes`,
      `  ls /etc/rc0.d /etc/rc1.d /etc/rc2.d /etc/rc3.d /etc/rc4.d /etc/rc5.d /etc/rc6.d 2>/dev/null | grep -E '^[SK][0-9]{2}'${base}'$' >/dev/null && echo links=yes`,
      'fi',
    ].join('\n'),
  });
}

function systemdLines(unit: string, scope: SystemdScope): string[] {
  const ctl = systemctlFor(scope);
  return [
    // systemctl --global has no manager to ask: only the unit files' state is known.
    ...(scope === 'global' ? [] : [`  LC_ALL=C ${ctl} show -p LoadState -p ActiveState -p SubState -p Type -p NeedDaemonReload ${unit} 2>/dev/null`]),
    `  echo "IsEnabled=$(LC_ALL=C ${ctl} is-enabled ${unit} 2>/dev/null | head -n 1)"`,
    `  for d in ${UNIT_DIRS[scope]}; do [ -e "$d"/${unit} ] && echo FileOnDisk=yes; done`,
  ];
}

/**
 * scope=user asks the task user's own manager (reached through XDG_RUNTIME_DIR), scope=global the
 * unit files every user's manager reads. Neither has init scripts to fall back on.
 */
function scopedProbeScript(name: string | undefined, scope: SystemdScope): string {
  const reach = scope === 'user'
    ? `${USER_RUNTIME_DIR}\nif command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1; then echo manager=systemd; else echo manager=none; echo "user=$(id -un)"; fi`
    : 'if command -v systemctl >/dev/null 2>&1; then echo manager=systemd; else echo manager=none; fi';
  const parts: Record<string, string> = { manager: reach };
  if (name !== undefined) {
    parts.systemd = [...(scope === 'user' ? [USER_RUNTIME_DIR] : []), ...systemdLines(shQuote(unitName(name)), scope)].join('\n');
  }
  return sectionsScript(parts);
}

export function parseServiceProbe(result: ExecResult): ServiceHost | { error: string } {
  const parsed = parseSections(result);
  if ('error' in parsed) return parsed;
  const { manager, systemd, sysv } = parsed.sections;
  const m = keyValues(manager);
  if (m.manager === 'none') return { manager: 'none', ...(m.user ? { user: m.user } : {}) };
  if (m.manager === 'systemd') {
    const kv = keyValues(systemd);
    return {
      manager: 'systemd',
      loadState: kv.LoadState ?? 'not-found',
      activeState: kv.ActiveState ?? 'inactive',
      subState: kv.SubState ?? '',
      type: kv.Type ?? '',
      enabled: kv.IsEnabled ?? '',
      needDaemonReload: kv.NeedDaemonReload === 'yes',
      fileOnDisk: kv.FileOnDisk === 'yes',
    };
  }
  const kv = keyValues(sysv);
  return { manager: 'sysv', exists: kv.exists === 'yes', statusCode: Number(kv.status ?? '4'), enabled: kv.enabled === 'yes', hasLinks: kv.links === 'yes' };
}
