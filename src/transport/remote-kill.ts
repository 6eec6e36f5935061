// Stops an aborted remote command for real: OpenSSH ignores signal requests on root logins, so we find and kill it.
import { randomBytes } from 'node:crypto';

/** A unique word passed as $0 of each remote /bin/sh, so an abort can find exactly that process. */
export function commandMarker(): string {
  return `runbook-${randomBytes(6).toString('hex')}`;
}

/**
 * A script that TERMs the process group of the /bin/sh carrying `marker` (sshd made it a session leader),
 * then KILLs what is left after `graceSeconds`. The `[r]` keeps the killer from matching its own command line.
 * TERM first so sudo passes it on to a command it runs as another user.
 */
export function killScript(marker: string, graceSeconds: number): string {
  if (!/^runbook-[0-9a-f]+$/.test(marker)) throw new Error(`bad command marker ${marker}`);
  const pattern = `[r]${marker.slice(1)}`;
  return [
    // By $0, and by the environment for commands the script exec'd (their command line lost the marker).
    // The marker is split ('r''unbook-...') so this script's own command line does not match the pattern.
    `pids=$( { pgrep -f '${pattern}' || ps -eo pid=,args= | grep '${pattern}' | awk '{print $1}'; grep -l -s -a -F 'RUNBOOK_MARKER=r''${marker.slice(1)}' /proc/[0-9]*/environ | cut -d/ -f3; } 2>/dev/null | sort -u )`,
    '[ -n "$pids" ] || exit 0',
    'for p in $pids; do kill -TERM "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null; done',
    `sleep ${graceSeconds}`,
    'for p in $pids; do kill -KILL "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null; done',
    'exit 0',
  ].join('\n');
}
