// sudo wrapping shared by the ssh and local transports: the become password travels on stdin, never in argv.
import { TaskFailure, type TroubleshootingAnchor } from '../core/errors.js';
import { shQuote } from '../core/shell.js';
import type { BecomeOptions, ExecResult } from './types.js';

/** sudo could not switch user (wrong or missing password, not in sudoers): the task never ran. */
export class BecomeFailure extends TaskFailure {
  static override readonly anchor: TroubleshootingAnchor = 'become-failed';
  constructor(
    readonly host: string,
    message: string,
    hint?: string,
    /** The become user does not exist: in check mode an earlier task that creates it explains the failure. */
    readonly missingUser?: string,
  ) {
    super(message, undefined, hint);
  }
}

/** What a transport hands to /bin/sh -c: the (possibly wrapped) script and the bytes for its stdin. */
export interface WrappedScript {
  script: string;
  stdin?: string | Buffer;
}

/** The user sudo switches to, or undefined when no switch is needed (no become, or already that user). */
export function becomeTarget(become: BecomeOptions | undefined, loginUser: string): string | undefined {
  if (!become) return undefined;
  const target = become.user ?? 'root';
  return target === loginUser ? undefined : target;
}

/**
 * Wraps `script` so it runs as the become user.
 *
 * Without a password: `sudo -n`, which fails at once instead of waiting for a password nobody will type.
 * With one, the password travels on a channel that can never become the script's input: sudo asks for it
 * through askpass (-A), and the askpass helper reads it from a FIFO in a fresh 0700 folder, written by the
 * wrapper shell. sudo's stdin is the task's stdin alone, so when sudo does not ask (NOPASSWD for /bin/sh,
 * cached credentials) nothing of the password reaches the task. See askpassWrapper for the details.
 */
export function wrapBecome(
  script: string,
  stdin: string | Buffer | undefined,
  become: BecomeOptions | undefined,
  loginUser: string,
  host = '?',
): WrappedScript {
  const target = becomeTarget(become, loginUser);
  if (target === undefined) return stdin === undefined ? { script } : { script, stdin };
  const inner = `/bin/sh -c ${shQuote(script)}`;
  const user = shQuote(target);
  const password = become?.password;
  if (password === undefined || password === '') {
    return withStdin(`exec sudo -H -n -u ${user} -- ${inner}`, stdin);
  }
  if (/[\r\n\0]/.test(password)) {
    throw new BecomeFailure(host, 'the become password contains a line break or NUL byte, which sudo cannot read');
  }
  const rest = stdin === undefined ? Buffer.alloc(0) : Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin, 'utf8');
  return { script: askpassWrapper(user, inner), stdin: Buffer.concat([Buffer.from(`${password}\n`, 'utf8'), rest]) };
}

/**
 * The shell around a `sudo -A` command. The password arrives as the first line of stdin, which the shell
 * reads into an unexported variable (no argv, no environment). Then, in a 0700 folder from mktemp:
 * - `pw`, a FIFO that a background copy of the shell writes the password into, once: it lives in memory
 *   only, never in a file, and the writer blocks until a reader comes;
 * - `askpass`, a script (no secret in it) that reads one line from the FIFO, and only the first time it
 *   runs, so a wrong password costs one attempt, not sudo's three (account lockouts count attempts).
 * sudo closes every descriptor above 2 before it runs askpass, hence a FIFO and not an inherited pipe.
 * SUDO_ASKPASS is /bin/sh and the prompt (-p) is the script's path: sudo runs askpass with the prompt as
 * its one argument, so /bin/sh runs the script even where /tmp is mounted noexec.
 * sudo is not exec'd, so the shell can remove the folder and stop a writer nobody read, whatever the end
 * (exit, or a signal: the traps turn it into an exit with the usual status).
 */
function askpassWrapper(user: string, inner: string): string {
  return [
    'IFS= read -r __rb_pw',
    'umask 077',
    'rb_d=$(mktemp -d "${TMPDIR:-/tmp}/runbook-sudo.XXXXXX") || exit 1',
    `trap 'kill $rb_w 2>/dev/null; rm -rf "$rb_d"' EXIT`,
    "trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM",
    // sudo expands % escapes in a prompt: a folder name with one cannot be the askpass argument.
    'case $rb_d in *%*) echo "runbook: the temporary folder $rb_d has a % in its name; set TMPDIR" >&2; exit 1 ;; esac',
    'mkfifo "$rb_d/pw" || exit 1',
    `printf '%s\\n' ${shQuote(ASKPASS)} > "$rb_d/askpass"`,
    `printf '%s\\n' "$__rb_pw" > "$rb_d/pw" &`,
    'rb_w=$!',
    'unset __rb_pw',
    `SUDO_ASKPASS=/bin/sh sudo -H -A -p "$rb_d/askpass" -u ${user} -- ${inner}`,
  ].join('\n');
}

/** The askpass script, run as `/bin/sh FOLDER/askpass`: answers once from the FIFO beside it, then never again. */
const ASKPASS = 'd=${0%/*}; [ -e "$d/used" ] && exit 1; : > "$d/used"; IFS= read -r p < "$d/pw" && printf \'%s\\n\' "$p"';

function withStdin(script: string, stdin: string | Buffer | undefined): WrappedScript {
  return stdin === undefined ? { script } : { script, stdin };
}

const WRONG_PASSWORD = /^(Sorry, try again\.|sudo: \d+ incorrect password attempts?|sudo: no password was provided)/m;
const NEEDS_PASSWORD = /^sudo: (a password is required|a terminal is required)/m;
const NOT_ALLOWED = /^(sudo: )?\S+ is not (in the sudoers file|allowed to)|^sudo: unknown user|^sudo: you must have a tty/m;
const NO_SUDO = /sudo: (command )?not found/;

/**
 * Throws BecomeFailure when `result` shows that sudo itself refused (so the script never ran),
 * turning sudo's terse messages into what the user should do. A result from the script is left alone.
 */
export function checkBecome(result: ExecResult, become: BecomeOptions | undefined, loginUser: string, host: string): void {
  const target = becomeTarget(become, loginUser);
  if (target === undefined || result.code === 0) return;
  const err = result.stderr;
  const firstLine = err.split('\n', 1)[0] ?? '';
  const as = `sudo from ${loginUser} to ${target} on ${host}`;
  if (result.code === 1 && WRONG_PASSWORD.test(firstLine)) {
    throw new BecomeFailure(host, `${as} failed: incorrect sudo password`, 'check ansible_become_password (or -K) for this host');
  }
  if (result.code === 1 && NEEDS_PASSWORD.test(firstLine)) {
    throw new BecomeFailure(host, `${as} failed: sudo asks for a password and none was given`, 'set ansible_become_password (vault it) or pass -K, or allow NOPASSWD in sudoers');
  }
  if (result.code === 1 && /^sudo: unknown user/.test(firstLine)) {
    throw new BecomeFailure(host, `${as} failed: there is no user ${target} on the host`, `create ${target} first (a user task before this one), or fix become_user`, target);
  }
  if (result.code === 1 && NOT_ALLOWED.test(firstLine)) {
    throw new BecomeFailure(host, `${as} refused: ${firstLine.trim()}`, `allow ${loginUser} to run commands as ${target} in the host's sudoers`);
  }
  if (result.code === 127 && NO_SUDO.test(err)) {
    throw new BecomeFailure(host, `${as} failed: sudo is not installed`, 'install sudo on the host, or connect as the target user');
  }
}
