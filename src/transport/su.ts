// become_method su: su reads the password from a terminal, so the command runs on a pty; this file holds
// the host-side wrapper and the controller-side reader that keeps the pty out of the task's output.
import { randomBytes } from 'node:crypto';
import { shQuote } from '../core/shell.js';
import { BecomeFailure } from './become.js';
import type { BecomeOptions, ExecResult } from './types.js';

/**
 * The words su prints before its colon, in the languages Ansible's su plugin lists (its
 * SU_PROMPT_LOCALIZATIONS): the host's locale decides which one su uses.
 */
export const SU_PROMPTS: readonly string[] = [
  'Password', '암호', 'パスワード', 'Adgangskode', 'Contraseña', 'Contrasenya', 'Hasło', 'Heslo', 'Jelszó', 'Lösenord',
  'Mật khẩu', 'Mot de passe', 'Parola', 'Parool', 'Pasahitza', 'Passord', 'Passwort', 'Salasana', 'Sandi', 'Senha',
  'Wachtwoord', 'ססמה', 'Лозинка', 'Парола', 'Пароль', 'गुप्तशब्द', 'शब्दकूट', 'సంకేతపదము', 'හස්පදය', '密码', '密碼', '口令',
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether the last, unfinished line su wrote is a password prompt: one of `prompts`, optionally after
 * "root's " (as some su print it), then an ASCII or full-width colon and at most one space. Only the
 * line the cursor is on counts, so a message that merely mentions a password is not a prompt.
 */
export function isSuPrompt(output: string, prompts: readonly string[] = SU_PROMPTS): boolean {
  const line = output.slice(output.lastIndexOf('\n') + 1).replace(/^\r+/, '');
  const words = prompts.map(escapeRegExp).join('|');
  return new RegExp(`^\\s*(?:\\S+'s )?(?:${words}) ?[:：] ?$`, 'iu').test(line);
}

/** su said the password was wrong (util-linux and shadow's su, in English; other locales end the same way, below). */
const WRONG_PASSWORD = /Authentication failure|incorrect password|Sorry\.?\s*$/im;

/** Markers the wrapper prints; random per command, and never whole on the command line (see suScript). */
export interface SuMarkers {
  /** Printed once su let the wrapper run and the pty is raw: what follows is the task's stdout. */
  begin: string;
  /** Printed after the task: `END <exit status> <stderr bytes>\n`, then the task's stderr. */
  end: string;
}

export function newMarkers(): SuMarkers {
  const id = randomBytes(12).toString('hex');
  return { begin: `RBSU-${id}-B`, end: `RBSU-${id}-E` };
}

/**
 * The command the login shell runs: su to the become user, who runs a wrapper that
 * - makes the pty raw and silent (no echo, no CRLF, no signals from bytes), so stdin and stdout are
 *   carried byte for byte, then prints the begin marker (the controller sends stdin only after it);
 * - feeds the task exactly `stdinBytes` bytes (a raw pty has no end-of-file) or /dev/null;
 * - keeps the task's stderr in a 0600 file, because the pty has one stream, and prints it after the end
 *   marker with its exit status and length.
 * Each marker is printed from two halves, so neither appears whole in this command line, where su or
 * the shell might echo it in an error before the wrapper runs.
 */
export function suScript(script: string, stdinBytes: number, become: BecomeOptions, markers: SuMarkers): string {
  // Two printf arguments: the command line holds `RBSU- 0123…-B`, never the marker itself.
  const half = (m: string): string => `${m.slice(0, 5)} ${m.slice(5)}`;
  const input = stdinBytes > 0 ? `head -c ${stdinBytes} | ` : '';
  const noInput = stdinBytes > 0 ? '' : ' </dev/null';
  const wrapper = [
    'stty raw -echo || exit 125',
    // TMPDIR may be the login user's (su keeps the environment), where the become user cannot write.
    'rb_e=$(umask 077; mktemp "${TMPDIR:-/tmp}/runbook-su.XXXXXX" 2>/dev/null || mktemp /tmp/runbook-su.XXXXXX) || exit 125',
    `trap 'rm -f "$rb_e"' EXIT`,
    `printf '%s%s' ${half(markers.begin)}`,
    `{ ${input}/bin/sh -c ${shQuote(script)}${noInput}; } 2>"$rb_e"`,
    'rb_rc=$?',
    `printf '%s%s %s %s\\n' ${half(markers.end)} "$rb_rc" "$(wc -c < "$rb_e" | tr -d ' ')"`,
    'cat "$rb_e"',
    'exit "$rb_rc"',
  ].join('\n');
  const flags = become.flags?.trim() ? `${become.flags.trim()} ` : '';
  // The target's login shell runs -c; /bin/sh gives the wrapper one meaning whatever that shell is.
  return `exec su ${flags}${shQuote(become.user ?? 'root')} -c ${shQuote(`/bin/sh -c ${shQuote(wrapper)}`)}`;
}

/** What the reader wants done: type the password, or give up with a BecomeFailure. */
export type SuAction = { kind: 'none' } | { kind: 'send'; data: Buffer } | { kind: 'fail'; error: BecomeFailure };

/** Who is switching to whom, for messages. */
export interface SuParty {
  host: string;
  loginUser: string;
  become: BecomeOptions;
  prompts?: readonly string[];
}

/**
 * Reads a su pty's output: before the begin marker, su's own talk (prompts, errors); after it, the task's
 * stdout (streamed, minus any bytes that might start the end marker); after the end marker, the status
 * line and the task's stderr. Pure: the channel driver feeds it chunks and acts on what it returns.
 */
export class SuReader {
  private phase: 'auth' | 'stdout' | 'trailer' | 'done' = 'auth';
  private pending = Buffer.alloc(0);
  private authText = '';
  private sent = false;
  private readonly stdout: Buffer[] = [];
  private stderr = Buffer.alloc(0);
  private code: number | null = null;
  private stderrBytes = 0;

  constructor(
    private readonly party: SuParty,
    private readonly markers: SuMarkers,
    /** Called with each piece of the task's stdout as it arrives. */
    private readonly onStdout: (chunk: Buffer) => void = () => {},
  ) {}

  /** Whether su let the wrapper run (the begin marker came). */
  get started(): boolean {
    return this.phase !== 'auth';
  }

  get finished(): boolean {
    return this.phase === 'done';
  }

  /** What su has said so far (before the wrapper ran), for a timeout's message. */
  get authOutput(): string {
    return this.authText + (this.phase === 'auth' ? this.pending.toString('utf8') : '');
  }

  push(chunk: Buffer): SuAction {
    this.pending = Buffer.concat([this.pending, chunk]);
    if (this.phase === 'auth') return this.auth();
    this.drain();
    return { kind: 'none' };
  }

  private auth(): SuAction {
    const begin = this.pending.indexOf(this.markers.begin);
    if (begin >= 0) {
      this.authText += this.pending.subarray(0, begin).toString('utf8');
      this.pending = this.pending.subarray(begin + this.markers.begin.length);
      this.phase = 'stdout';
      this.drain();
      return { kind: 'none' };
    }
    // Keep the undecoded tail: a prompt in UTF-8 may arrive split across chunks.
    const text = this.authText + this.pending.toString('utf8');
    if (!isSuPrompt(text, this.party.prompts)) return { kind: 'none' };
    const password = this.party.become.password;
    if (this.sent) return { kind: 'fail', error: this.failure('wrong', text) };
    if (password === undefined || password === '') return { kind: 'fail', error: this.failure('needs', text) };
    this.sent = true;
    this.authText = `${text}\n`;
    this.pending = Buffer.alloc(0);
    return { kind: 'send', data: Buffer.from(`${password}\n`, 'utf8') };
  }

  private drain(): void {
    if (this.phase === 'stdout') {
      const end = this.pending.indexOf(this.markers.end);
      if (end < 0) {
        // Hold back only a tail that could be the start of the end marker; the rest is the task's output.
        const keep = markerPrefixAtEnd(this.pending, this.markers.end);
        this.emit(this.pending.subarray(0, this.pending.length - keep));
        this.pending = this.pending.subarray(this.pending.length - keep);
        return;
      }
      this.emit(this.pending.subarray(0, end));
      this.pending = this.pending.subarray(end + this.markers.end.length);
      this.phase = 'trailer';
    }
    if (this.phase === 'trailer') {
      const nl = this.pending.indexOf(0x0a);
      if (nl < 0) return;
      const m = /^ (\d+) (\d+)$/.exec(this.pending.subarray(0, nl).toString('latin1'));
      this.code = m ? Number(m[1]) : null;
      this.stderrBytes = m ? Number(m[2]) : 0;
      this.stderr = this.pending.subarray(nl + 1);
      this.pending = Buffer.alloc(0);
      this.phase = 'done';
    }
    if (this.phase === 'done' && this.pending.length > 0) {
      this.stderr = Buffer.concat([this.stderr, this.pending]);
      this.pending = Buffer.alloc(0);
    }
  }

  private emit(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const copy = Buffer.from(chunk);
    this.stdout.push(copy);
    this.onStdout(copy);
  }

  /**
   * The command's result once the pty closed with `exitCode`. Throws BecomeFailure when su never let the
   * wrapper run (wrong password, unknown user, a shell that refuses logins).
   */
  finish(exitCode: number | null): ExecResult {
    if (this.phase === 'auth') {
      const text = this.authText + this.pending.toString('utf8');
      throw this.failure(this.sent && WRONG_PASSWORD.test(text) ? 'wrong' : 'refused', text, exitCode);
    }
    if (this.phase === 'stdout') {
      // The pty closed before the end marker (the wrapper was killed): what came is all there is.
      this.emit(this.pending);
      this.pending = Buffer.alloc(0);
    }
    return {
      stdout: Buffer.concat(this.stdout).toString('utf8'),
      stderr: (this.phase === 'done' ? this.stderr.subarray(0, this.stderrBytes) : this.stderr).toString('utf8'),
      code: this.phase === 'done' ? this.code : exitCode,
    };
  }

  /** A BecomeFailure for what su said; the password is masked out of anything quoted. */
  failure(why: 'wrong' | 'needs' | 'refused' | 'timeout', text: string, exitCode?: number | null): BecomeFailure {
    const { host, loginUser, become } = this.party;
    const target = become.user ?? 'root';
    const as = `su from ${loginUser} to ${target} on ${host}`;
    const said = lastWords(mask(text, become.password));
    switch (why) {
      case 'wrong':
        return new BecomeFailure(host, `${as} failed: incorrect su password`, `check ansible_become_password (or -K): su wants ${target}'s password, not ${loginUser}'s`);
      case 'needs':
        return new BecomeFailure(host, `${as} failed: su asks for ${target}'s password and none was given`, `set ansible_become_password (vault it) or pass -K with ${target}'s password`);
      case 'timeout':
        return new BecomeFailure(host, `${as} failed: no password prompt that runbook knows came from su${said ? ` (su said: ${said})` : ''}`, 'if su prompts in another language, list its prompt word in ansible_su_prompt_l10n');
      default: {
        const status = exitCode === null || exitCode === undefined ? '' : ` (exit ${exitCode})`;
        const missing = /does not exist|unknown user|No passwd entry/i.test(text) ? target : undefined;
        return new BecomeFailure(host, `${as} failed${status}${said ? `: ${said}` : ''}`, missing ? `create ${target} first, or fix become_user` : `check that ${target} exists and has a login shell, and that su is installed`, missing);
      }
    }
  }
}

/** The length of the longest tail of `buf` that `marker` starts with (0 when none). */
function markerPrefixAtEnd(buf: Buffer, marker: string): number {
  const m = Buffer.from(marker, 'latin1');
  for (let n = Math.min(buf.length, m.length - 1); n > 0; n--) {
    if (buf.subarray(buf.length - n).equals(m.subarray(0, n))) return n;
  }
  return 0;
}

/** Replaces every occurrence of the password (an echo we did not expect) with ********. */
function mask(text: string, password: string | undefined): string {
  return password ? text.split(password).join('********') : text;
}

/** su's last non-empty lines, trimmed, on one line: enough to say why without the prompt noise. */
function lastWords(text: string): string {
  const lines = text.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l !== '' && !isSuPrompt(l));
  return lines.slice(-2).join(' / ').slice(0, 300);
}
