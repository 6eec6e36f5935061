// The apt-get steps: non-interactive, keeping changed config files, and waiting for the dpkg/apt locks instead of failing at once.
import { shJoin, shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';
import { UPDATE_STAMP } from './apt-probe.js';

/** Exit status the step uses when the locks stayed held past lock_timeout (EX_TEMPFAIL). */
export const LOCK_HELD = 75;
/** Marks the part of the step's output that lists the packages' states after apt-get. */
export const AFTER_MARK = '@@runbook-apt-after@@';

const LOCK_MESSAGES = 'Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock|is another process using it';

/** The locks apt and dpkg take, frontend first (the one a running apt or dpkg holds for its whole run). */
const LOCK_FILES = ['/var/lib/dpkg/lock-frontend', '/var/lib/dpkg/lock', '/var/lib/apt/lists/lock', '/var/cache/apt/archives/lock'];

/**
 * A shell function `rb_lock_holder` printing `PID (command)` of a process holding one of the locks,
 * read from /proc/locks by the lock file's inode: apt names the holder only in some versions and
 * some of its messages, and never for the lists lock.
 */
function lockHolder(): string {
  return [
    'rb_lock_holder() {',
    `  for rb_f in ${LOCK_FILES.join(' ')}; do`,
    '    rb_ino=$(stat -c %i "$rb_f" 2>/dev/null) || continue',
    '    while read -r _ rb_kind _ _ rb_pid rb_dev _; do',
    '      [ "$rb_kind" = "->" ] && continue',
    '      case "$rb_dev" in *:"$rb_ino") ;; *) continue ;; esac',
    '      case "$rb_pid" in ""|-*|0|*[!0-9]*) continue ;; esac',
    '      echo "$rb_pid ($(cat /proc/$rb_pid/comm 2>/dev/null || echo "?"))"; return 0',
    '    done < /proc/locks',
    '  done',
    '  return 1',
    '}',
  ].join('\n');
}

/** A shell function `rb_apt` that runs apt-get, retrying while another process holds a lock, until the deadline. */
function runner(lockTimeout: number): string {
  return [
    lockHolder(),
    'export DEBIAN_FRONTEND=noninteractive LC_ALL=C',
    `rb_deadline=$(( $(date +%s) + ${lockTimeout} ))`,
    'rb_apt() {',
    '  rb_err=$(mktemp) || exit 1',
    '  while :; do',
    '    rb_left=$(( rb_deadline - $(date +%s) )); [ "$rb_left" -gt 0 ] || rb_left=1',
    // apt (>= 1.9.11: Debian 11, Ubuntu 20.04) waits for the dpkg locks itself; the loop also covers the lists lock of `update`.
    '    apt-get -o DPkg::Lock::Timeout="$rb_left" "$@" 2>"$rb_err"; rb_rc=$?',
    `    if [ "$rb_rc" -ne 0 ] && grep -qE '${LOCK_MESSAGES}' "$rb_err"; then`,
    '      if [ "$(date +%s)" -lt "$rb_deadline" ]; then sleep 2; continue; fi',
    `      cat "$rb_err" >&2; rm -f "$rb_err"; rb_who=$(rb_lock_holder) && echo "runbook: lock holder: process $rb_who" >&2`,
    `      echo "runbook: the apt/dpkg lock is still held after ${lockTimeout} s" >&2; exit ${LOCK_HELD}`,
    '    fi',
    '    cat "$rb_err" >&2; rm -f "$rb_err"; return "$rb_rc"',
    '  done',
    '}',
  ].join('\n');
}

export interface AptStep {
  update: boolean;
  /** apt-get's verb and its arguments (packages last); absent for an update-only task. */
  command?: { verb: 'install' | 'remove'; options: string[]; targets: string[] };
  /** Packages whose final dpkg state is printed after apt-get, for registered data. */
  report: string[];
  lockTimeout: number;
  /** Exit code of a temporary /usr/sbin/policy-rc.d around apt-get (Ansible's policy_rc_d). */
  policyRcD?: number;
}

const POLICY = '/usr/sbin/policy-rc.d';
const POLICY_SAVED = '/usr/sbin/policy-rc.d.runbook-saved';

/**
 * Lines that put a policy-rc.d exiting `code` in place, and a trap that removes it (putting back the
 * one the host had) however the step ends, so a failed install never leaves services blocked.
 */
function policyLines(code: number): string[] {
  return [
    `if [ -e ${POLICY} ] || [ -L ${POLICY} ]; then mv -f ${POLICY} ${POLICY_SAVED} || exit 1; fi`,
    `rb_policy_restore() { rm -f ${POLICY}; if [ -e ${POLICY_SAVED} ] || [ -L ${POLICY_SAVED} ]; then mv -f ${POLICY_SAVED} ${POLICY}; fi; }`,
    'trap rb_policy_restore EXIT',
    `printf '#!/bin/sh\\nexit %d\\n' ${code} > ${POLICY}.new && chmod 0755 ${POLICY}.new && mv -f ${POLICY}.new ${POLICY} || exit 1`,
  ];
}

export function aptStepScript(step: AptStep): string {
  const lines = [runner(step.lockTimeout)];
  if (step.update) {
    lines.push('rb_apt -q update || exit $?');
    lines.push(`mkdir -p ${shQuote(UPDATE_STAMP.replace(/\/[^/]+$/, ''))} && touch ${shQuote(UPDATE_STAMP)}`);
  }
  if (step.command) {
    if (step.policyRcD !== undefined) lines.push(...policyLines(step.policyRcD));
    const { verb, options, targets } = step.command;
    const words = ['rb_apt', '-y', '-q', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', ...options, verb, ...targets];
    lines.push(`${shJoin(words)} || exit $?`);
  }
  if (step.report.length > 0) {
    lines.push(`echo ${shQuote(AFTER_MARK)}`);
    lines.push(`for p in ${shJoin(step.report)}; do printf '%s\\t%s\\n' "$p" "$(dpkg-query -W -f='\${Status}\\t\${Version}' "$p" 2>/dev/null | head -n 1)"; done`);
  }
  return lines.join('\n');
}

/** Installed versions after apt-get, from the step's report (name -> version, undefined when not installed). */
export function parseAfter(stdout: string): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const at = stdout.lastIndexOf(AFTER_MARK);
  if (at < 0) return out;
  for (const line of stdout.slice(at + AFTER_MARK.length).split('\n')) {
    const [name, status = '', version = ''] = line.split('\t');
    if (name) out.set(name, status.split(' ')[2] === 'installed' && version !== '' ? version : undefined);
  }
  return out;
}

/** Explains a failed apt-get step in one message: lock held, or apt's own E: lines. */
export function aptFailure(r: ExecResult, lockTimeout: number): string {
  // Our own reading of /proc/locks first, then apt's "It is held by process N (name)".
  const held = /^runbook: lock holder: process (\d+)(?: \(([^)]*)\))?/m.exec(r.stderr) ?? /held by process (\d+)(?: \(([^)]*)\))?/.exec(r.stderr);
  if (r.code === LOCK_HELD) {
    const who = held ? ` by process ${held[1]}${held[2] ? ` (${held[2]})` : ''}` : '';
    return `the dpkg/apt lock is still held${who} after waiting ${lockTimeout} s; wait for the other package manager to finish (or raise lock_timeout) and run again`;
  }
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('E: ')).slice(-5);
  const detail = errors.length ? errors.join('\n') : r.stderr.trim().split('\n').slice(-10).join('\n');
  return `apt-get failed with exit code ${r.code}${detail ? `:\n${detail}` : ''}`;
}

/**
 * apt-get update alone, as apt_repository runs it after changing a source: retried up to `retries`
 * times, waiting 1 s, 2 s, 4 s... (at most `maxDelay`) between tries, as Ansible's update_cache_retries does.
 */
export function aptUpdateScript(retries: number, maxDelay: number, lockTimeout = 300): string {
  return [
    runner(lockTimeout),
    'rb_try=1; rb_delay=1',
    'until rb_apt -q update; do',
    `  [ "$rb_try" -lt ${retries} ] || { echo "runbook: apt-get update failed ${retries} times" >&2; exit 1; }`,
    `  rb_try=$((rb_try + 1)); sleep "$rb_delay"; rb_delay=$((rb_delay * 2)); [ "$rb_delay" -le ${maxDelay} ] || rb_delay=${maxDelay}`,
    'done',
    `mkdir -p ${shQuote(UPDATE_STAMP.replace(/\/[^/]+$/, ''))} && touch ${shQuote(UPDATE_STAMP)}`,
  ].join('\n');
}
