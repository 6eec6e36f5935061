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
 * With one: the wrapper reads the first stdin line (the password) into a shell variable; if sudo needs no
 * password (NOPASSWD, cached credentials) it drops it, otherwise it pipes it, then the rest of stdin, into
 * `sudo -S`. So the password never reaches the script's stdin, and `printf` (a shell builtin) keeps it out
 * of every process's argv.
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
  const wrapper = [
    'IFS= read -r __rb_pw',
    `if sudo -n -u ${user} true 2>/dev/null; then unset __rb_pw; exec sudo -H -n -u ${user} -- ${inner}; fi`,
    `{ printf '%s\\n' "$__rb_pw"; unset __rb_pw; exec cat; } | sudo -H -S -p '' -u ${user} -- ${inner}`,
  ].join('\n');
  const rest = stdin === undefined ? Buffer.alloc(0) : Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin, 'utf8');
  return { script: wrapper, stdin: Buffer.concat([Buffer.from(`${password}\n`, 'utf8'), rest]) };
}

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
  if (result.code === 1 && NOT_ALLOWED.test(firstLine)) {
    throw new BecomeFailure(host, `${as} refused: ${firstLine.trim()}`, `allow ${loginUser} to run commands as ${target} in the host's sudoers`);
  }
  if (result.code === 127 && NO_SUDO.test(err)) {
    throw new BecomeFailure(host, `${as} failed: sudo is not installed`, 'install sudo on the host, or connect as the target user');
  }
}
