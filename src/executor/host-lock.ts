// One run per host at a time: a flock on the host, held by a command that lives as long as our SSH
// connection, so a second run is refused (or waits) and a crashed run never leaves a stale lock.
import { hostname, userInfo } from 'node:os';
import { TaskFailure } from '../core/errors.js';
import { BecomeFailure } from '../transport/become.js';
import { inert } from '../core/inert.js';
import { shQuote } from '../core/shell.js';
import { PREVIOUS_DIR } from '../modules/lib/atomic-write.js';
import type { BecomeOptions, Transport } from '../transport/types.js';

/** 'fail': a held lock fails the host at once; 'wait': wait for the holder to finish; 'off': no lock. */
export type HostLockMode = 'fail' | 'wait' | 'off';

/** Where the lock lives when we are root (or can become root); /run is a tmpfs, so a reboot clears it. */
export const LOCK_FILE = '/run/runbook.lock';
/**
 * For a login that cannot become root: a lock in a folder only that user (and root) can write, so no
 * other local user can block its runs, plant a link there, or read who holds it. Runs by one login
 * exclude each other; runs by different logins that cannot become root do not (they cannot change
 * each other's files anyway). Shown in messages as written; the host expands $HOME.
 */
export const USER_LOCK_FILE = '$HOME/.cache/runbook/run.lock';
/** Exit status of the holder script when another run holds the lock (EX_TEMPFAIL). */
const HELD = 75;
const ACQUIRED = 'runbook-lock: acquired pid=';
const HOLDER = 'runbook-lock: held by ';

/** One lock per connection: every task of the run on that host shares it (a WeakMap, so it goes with the transport). */
const locks = new WeakMap<Transport, Promise<void>>();
/**
 * Holders to stop at the end of the run, so a holder whose connection outlives the run never keeps the lock:
 * `endStdin` closes the holder's stdin (its read loop ends, the flock goes with it), `ended` settles when it exited.
 */
const holders = new Map<Transport, { pid: number; become?: BecomeOptions; endStdin: AbortController; ended: Promise<unknown> }>();
/** How long a holder gets to exit at EOF before it is killed by a command of its own (a transport that cannot end stdin: su's terminal). */
const EOF_EXIT_WAIT_MS = 3_000;

/** Who we are, written into the lock file so a refused run can name us. No secret goes here. */
export function holderInfo(now = new Date()): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry: keep 'unknown' */
  }
  return `controller=${hostname()} pid=${process.pid} user=${user} started=${now.toISOString()}`;
}

/**
 * The holder script: open the lock file, take the flock (or report the holder and exit 75), write
 * who we are, then block reading stdin, which the controller keeps open (keepStdinOpen). When our
 * connection dies, sshd closes the channel's pipes, the read sees EOF, the shell exits and the kernel
 * drops the flock. (It used to print a heartbeat every second instead: at 1,000 hosts that was 1,000
 * `sleep` processes a second on the hosts and 1,000 SSH messages a second on the controller.)
 *
 * With `orphans`, the copies kept there for handlers to restore (atomic-write.ts) are removed once
 * the lock is ours and before we say so: they belong to earlier runs (the lock excludes any other
 * run), whose handlers can never run now (a failed or cut host, Ctrl-C), and this run makes its
 * own copies only after the lock is taken.
 */
export function lockScript(mode: 'fail' | 'wait', info: string, file: string = LOCK_FILE, orphans?: string): string {
  const take = mode === 'wait' ? 'flock 9' : `flock -n 9 || { printf '%s%s\\n' ${shQuote(HOLDER)} "$(head -c 300 "$rb_f" | tr '\\n' ' ')"; exit ${HELD}; }`;
  return [
    'command -v flock >/dev/null 2>&1 || { echo "runbook-lock: no flock on this host"; exit 0; }',
    ...(file === USER_LOCK_FILE ? userLockFile() : [`rb_f=${shQuote(file)}`]),
    // `command` keeps a failed redirection from ending the shell (exec is a special builtin), so the
    // read-only fallback is reached: a flock needs no write access, so a user who cannot write the file can still wait.
    '{ command exec 9>>"$rb_f"; } 2>/dev/null || { command exec 9<"$rb_f"; } || exit 1',
    take,
    `{ : > "$rb_f"; printf '%s\\n' ${shQuote(info)} >&9; } 2>/dev/null`,
    ...(orphans ? [`rb_kept=\${RUNBOOK_BACKUP_DIR:-${shQuote(orphans)}}; [ -d "$rb_kept" ] && find "$rb_kept" -mindepth 1 -maxdepth 1 -type f -delete 2>/dev/null`] : []),
    `echo ${shQuote(ACQUIRED)}$$`,
    // `read` is a builtin: nothing else inherits fd 9, so killing this shell frees the lock at once.
    'while read -r rb_line; do :; done',
  ].join('\n');
}

/**
 * Sets $rb_f to the login's own lock file, refusing (exit 1, saying why on stderr) anything that could
 * redirect it: the folder must be a real directory of ours with mode 0700, and the file a regular file of
 * ours, not a link. In a 0700 folder only we and root can add entries, so nothing can swap the file
 * between these checks and the open.
 */
function userLockFile(): string[] {
  const refuse = (why: string): string => `{ echo "runbook-lock: ${why}" >&2; exit 1; }`;
  return [
    '[ -n "$HOME" ] && [ -d "$HOME" ] || ' + refuse('no home folder (HOME) to keep the run lock in'),
    'rb_d=$HOME/.cache/runbook',
    'mkdir -p -m 700 "$rb_d" 2>/dev/null',
    '{ [ -d "$rb_d" ] && [ ! -L "$rb_d" ] && [ -O "$rb_d" ]; } || ' + refuse('$rb_d is not a folder owned by $(id -un); remove it'),
    'chmod 700 "$rb_d" || exit 1',
    'rb_f=$rb_d/run.lock',
    '[ ! -L "$rb_f" ] || ' + refuse('$rb_f is a symbolic link; remove it'),
    '[ ! -e "$rb_f" ] || { [ -f "$rb_f" ] && [ -O "$rb_f" ]; } || ' + refuse('$rb_f is not a regular file owned by $(id -un); remove it'),
  ];
}

/**
 * Takes the host's run lock once per connection, as root (with the task's sudo password, if any); later calls wait for the same lock. Throws
 * TaskFailure naming the holder when another run has it and mode is 'fail'.
 */
export function takeHostLock(transport: Transport, mode: HostLockMode, become?: BecomeOptions, signal?: AbortSignal): Promise<void> {
  if (mode === 'off') return Promise.resolve();
  let lock = locks.get(transport);
  if (!lock) {
    // Only root's lock clears kept copies (in /var/lib/runbook/backup); a login's own lock leaves its ~/.cache/runbook/backup alone.
    lock = acquire(transport, mode, rootBecome(become), LOCK_FILE, signal, PREVIOUS_DIR).catch((err: unknown) => {
      if (!(err instanceof BecomeFailure)) throw err;
      return acquire(transport, mode, undefined, USER_LOCK_FILE, signal);
    });
    locks.set(transport, lock);
  }
  return lock;
}

/**
 * How to reach root for the lock: sudo with the login's password; su with the password only when su's
 * target is root (it is the target's password: typed for another user it would only count a failure).
 */
function rootBecome(become: BecomeOptions | undefined): BecomeOptions {
  if (become?.method !== 'su') return { user: 'root', ...(become?.password !== undefined ? { password: become.password } : {}) };
  return (become.user ?? 'root') === 'root' ? become : { user: 'root' };
}

/**
 * Frees every lock this process holds (the end of a run, before its connections close): ends each
 * holder's stdin, so its read loop ends and the flock with it, and waits until it is gone. This used to
 * send one more command per host (kill, then wait for the pid), a channel and 3 processes per host.
 * A holder still there after EOF_EXIT_WAIT_MS is killed as before. Best effort: a lost connection
 * frees its lock by itself.
 */
export async function releaseHostLocks(): Promise<void> {
  const all = [...holders.entries()];
  holders.clear();
  await Promise.all(all.map(async ([transport, { pid, become, endStdin, ended }]) => {
    endStdin.abort();
    let timer: NodeJS.Timeout | undefined;
    const exited = await Promise.race([
      ended.then(() => true, () => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), EOF_EXIT_WAIT_MS))),
    ]);
    clearTimeout(timer);
    if (exited) return;
    try {
      await transport.exec(`kill ${pid} 2>/dev/null; while kill -0 ${pid} 2>/dev/null; do sleep 0.05; done; exit 0`, { become });
    } catch {
      /* the connection is gone, and the lock with it */
    }
  }));
}

/** The lock's holder is this very process (the same controller and pid). */
function ownHolder(out: string): boolean {
  const line = out.split('\n').find((l) => l.startsWith(HOLDER)) ?? '';
  return line.slice(HOLDER.length).trim().startsWith(`controller=${hostname()} pid=${process.pid} `);
}

function acquire(transport: Transport, mode: 'fail' | 'wait', become: BecomeOptions | undefined, file: string, signal?: AbortSignal, orphans?: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = '';
    let acquired = false;
    const endStdin = new AbortController();
    let ended: Promise<unknown> = Promise.resolve();
    const onOutput = (chunk: string, stream: 'stdout' | 'stderr'): void => {
      if (acquired || stream !== 'stdout') return;
      seen += chunk;
      const m = new RegExp(`${ACQUIRED}(\\d+)\n`).exec(seen);
      if (m || seen.includes('runbook-lock: no flock')) {
        acquired = true;
        if (m) holders.set(transport, { pid: Number(m[1]), become, endStdin, ended });
        resolve();
      }
    };
    // The command runs for the whole run: it ends when the connection closes (or the run is
    // interrupted), which rejects it; once the lock was acquired that is expected.
    ended = transport.exec(lockScript(mode, holderInfo(), file, orphans), { onOutput, become, signal, keepStdinOpen: true, endStdin: endStdin.signal }).then(
      (r) => {
        holders.delete(transport);
        if (acquired) return;
        const out = `${seen}${r.stdout}`;
        if (r.code === HELD && ownHolder(out)) {
          // This run holds the machine already, through another inventory name (an add_host alias, two names for one address).
          resolve();
        } else if (r.code === HELD) {
          // Whatever the lock file holds is data from the host: printed inert, never as terminal control codes.
          const holder = inert(out.split('\n').find((l) => l.startsWith(HOLDER))?.slice(HOLDER.length).trim() || 'an unknown process');
          reject(new TaskFailure(
            `${transport.host} is locked by another runbook run (${file}: ${holder})`,
            undefined,
            'wait for that run to finish, or pass --wait-lock to wait for it',
            'host-locked',
          ));
        } else if (out.includes('runbook-lock: no flock') || r.code === 0) {
          resolve();
        } else {
          reject(new TaskFailure(`cannot take the run lock ${file} on ${transport.host} (exit ${r.code}): ${inert(r.stderr.trim())}`));
        }
      },
      (err: unknown) => {
        holders.delete(transport);
        if (!acquired) reject(err);
      },
    );
  });
}
