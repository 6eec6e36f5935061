// The commands that change a service, and the check after a start that it really came up (with the journal when not).
import { shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';

/** Exit status of a start/restart/reload whose service did not end up running. */
export const NOT_RUNNING = 3;
const MARK = 'runbook-service:';

export type StateAction = 'start' | 'stop' | 'restart' | 'reload';

/**
 * systemctl ACTION, then waits (10 s at most) while the unit is activating. Services of Type simple/exec
 * report active as soon as they fork, so those get one more look a second later to catch a crash at startup.
 */
export function systemdActionScript(unit: string, action: StateAction, settle: boolean, systemctl = 'systemctl', noBlock = false): string {
  const u = shQuote(unit);
  // no_block: the job is queued and not waited for, so there is nothing to check afterwards.
  if (noBlock) return `${systemctl} --no-block ${action} ${u}`;
  if (action === 'stop') return `${systemctl} stop ${u}`;
  return [
    `${systemctl} ${action} ${u}; rb_rc=$?`,
    // A unit that crash-looped (Restart=always on a bad config) hits systemd's start limit, which then
    // refuses this deliberate start too, e.g. after a handler restored the old config: clear it, try once more.
    `if [ "$rb_rc" -ne 0 ] && [ "$(${systemctl} show -p Result --value ${u} 2>/dev/null)" = start-limit-hit ]; then`,
    `  ${systemctl} reset-failed ${u}; ${systemctl} ${action} ${u}; rb_rc=$?`,
    'fi',
    `rb_settle=${settle ? 1 : 0}; rb_i=0; rb_st=`,
    // systemctl's own failure is final; after a success, wait while the unit is still on its way.
    'while [ "$rb_rc" -eq 0 ]; do',
    `  rb_st=$(${systemctl} is-active ${u} 2>/dev/null)`,
    '  case "$rb_st" in',
    '    active) if [ "$rb_settle" -eq 1 ]; then rb_settle=0; sleep 1; continue; fi; exit 0 ;;',
    '    activating|reloading|deactivating) ;;',
    // A oneshot unit that ran to completion is inactive, and that is success.
    '    inactive) exit 0 ;;',
    '    *) break ;;',
    '  esac',
    '  rb_i=$((rb_i + 1)); [ "$rb_i" -ge 40 ] && break',
    '  sleep 0.25',
    'done',
    `[ -n "$rb_st" ] || rb_st=$(${systemctl} is-active ${u} 2>/dev/null)`,
    `echo "${MARK} ${unit} failed to ${action} (state: \${rb_st:-unknown})" >&2`,
    `journalctl ${systemctl === 'systemctl --user' ? '--user-unit' : '-u'} ${u} -n 20 --no-pager >&2 2>/dev/null`,
    `exit ${NOT_RUNNING}`,
  ].join('\n');
}

/** The init script's ACTION, then its `status` to confirm a start. */
export function sysvActionScript(name: string, action: StateAction): string {
  const s = shQuote(`/etc/init.d/${name}`);
  if (action === 'stop') return `${s} stop`;
  return [
    `${s} ${action} || exit $?`,
    'rb_i=0',
    `until ${s} status >/dev/null 2>&1; do`,
    '  rb_i=$((rb_i + 1))',
    `  if [ "$rb_i" -ge 10 ]; then echo "${MARK} ${name} is not running after ${action} (its init script's status says so)" >&2; exit ${NOT_RUNNING}; fi`,
    '  sleep 0.5',
    'done',
  ].join('\n');
}

/** A message naming the service, its state and the journal's last lines, for a start that did not take. */
export function serviceFailure(name: string, r: ExecResult): string | undefined {
  if (r.code === 0) return undefined;
  const err = r.stderr.trim();
  const at = err.indexOf(MARK);
  if (r.code === NOT_RUNNING && at >= 0) {
    const [head, ...journal] = err.slice(at + MARK.length).trim().split('\n');
    const before = err.slice(0, at).trim();
    return [`service ${head?.trim()}`, before, journal.length ? `last journal lines (journalctl -u ${name} -n 20):\n${journal.join('\n')}` : '']
      .filter((s) => s !== '').join('\n');
  }
  return undefined;
}
