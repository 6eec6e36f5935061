// How a script reaches /bin/sh on a host: one command line, so it must stay small (data belongs on stdin).
import { TaskFailure } from '../core/errors.js';
import { shQuote } from '../core/shell.js';

/** Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN); keep well below it. */
export const MAX_SCRIPT_BYTES = 120 * 1024;

/** Throws when a script would not fit in one argument; modules must send file contents on stdin instead. */
export function checkScriptSize(script: string, host: string): void {
  const size = Buffer.byteLength(script, 'utf8');
  if (size > MAX_SCRIPT_BYTES) {
    throw new TaskFailure(
      `the command for ${host} is ${size} bytes, more than the ${MAX_SCRIPT_BYTES} a command line can carry`,
      undefined,
      'this is a runbook bug: large data must travel on stdin, not in the script',
    );
  }
}

/** The environment variable that carries the marker: unlike $0, it survives a script that execs its command. */
export const MARKER_VAR = 'RUNBOOK_MARKER';

/**
 * The SSH command line for a script: the login shell may be bash, zsh or fish, so it execs /bin/sh to
 * give the script one meaning everywhere. `marker` becomes $0 and $RUNBOOK_MARKER, so an abort can
 * find the process, and what it started, even after `exec sleep 30` replaced the shell.
 */
export function remoteCommand(script: string, marker: string, host: string): string {
  checkScriptSize(script, host);
  return `exec env ${MARKER_VAR}=${marker} /bin/sh -c ${shQuote(script)} ${marker}`;
}
