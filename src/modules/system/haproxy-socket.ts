// Talking to HAProxy's stats socket from sh on the host, and reading its `show stat` CSV: shared by
// haproxy's probe (state before), its steps (commands, waits, state after) and the planner.
import { shQuote } from '../../core/shell.js';

/** Exit code of a script that found no program able to open a UNIX socket. */
export const NO_CLIENT = 5;
/** Exit code of a step whose command HAProxy answered with an error (Permission denied, No such server). */
export const REFUSED = 6;
/** Exit code of a step whose wait ran out of retries. */
export const WAIT_FAILED = 7;

/**
 * sh functions: `rb_hap CMD` sends one command line to the socket and prints the answer, with socat,
 * else python3, else an nc that knows -U (netcat-openbsd); `rb_do CMD` also fails (REFUSED) when
 * HAProxy answers a command that changes something with anything but an empty line.
 */
export function socketFunctions(socket: string): string {
  const py = 'import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\ns.sendall(sys.argv[2].encode()+b"\\n")\nwhile True:\n  b=s.recv(65536)\n  if not b: break\n  sys.stdout.buffer.write(b)\n';
  return [
    `rb_sock=${shQuote(socket)}`,
    'rb_hap() {',
    '  if command -v socat >/dev/null 2>&1; then printf \'%s\\n\' "$1" | socat -t 10 - "UNIX-CONNECT:$rb_sock"',
    `  elif command -v python3 >/dev/null 2>&1; then python3 -c ${shQuote(py)} "$rb_sock" "$1"`,
    '  elif nc -h 2>&1 | grep -q -- \'-U\'; then printf \'%s\\n\' "$1" | nc -U "$rb_sock"',
    `  else echo 'no socat, python3 or nc -U on the host to talk to the HAProxy socket' >&2; exit ${NO_CLIENT}`,
    '  fi',
    '}',
    'rb_do() {',
    '  rb_out=$(rb_hap "$1") || exit $?',
    '  rb_out=$(printf \'%s\' "$rb_out" | tr -d \'\\r\' | sed \'/^[[:space:]]*$/d\')',
    `  if [ -n "$rb_out" ]; then printf '%s: %s\\n' "$1" "$rb_out" >&2; exit ${REFUSED}; fi`,
    '  printf \'%s\\n\' "$1"',
    '}',
  ].join('\n');
}

export interface StatRow {
  backend: string;
  server: string;
  status: string;
  weight: string;
  scur: string;
}

/** Parses `show stat` (CSV with a `# pxname,svname,...` header); null when it is not that. */
export function parseShowStat(text: string): StatRow[] | null {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  const headerAt = lines.findIndex((l) => l.startsWith('# pxname,'));
  if (headerAt < 0) return null;
  const header = lines[headerAt]!.slice(2).split(',');
  const col = (name: string): number => header.indexOf(name);
  const [px, sv, st, wt, sc] = [col('pxname'), col('svname'), col('status'), col('weight'), col('scur')];
  const rows: StatRow[] = [];
  for (const line of lines.slice(headerAt + 1)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split(',');
    rows.push({ backend: f[px] ?? '', server: f[sv] ?? '', status: f[st] ?? '', weight: f[wt] ?? '', scur: f[sc] ?? '' });
  }
  return rows;
}

/** Backends HAProxy lists (those with a BACKEND row), in its order: where a server is looked for when no backend is named. */
export function backendsOf(rows: readonly StatRow[]): string[] {
  return rows.filter((r) => r.server === 'BACKEND').map((r) => r.backend);
}

/**
 * An sh loop that asks `show stat` up to RETRIES times, INTERVAL seconds apart, until the server's
 * status contains WANT (MAINT also matches "MAINT (via b/s)"); with `idle`, until it has no current
 * session either. "UP" also accepts "no check": a server without health checks never reports UP.
 */
export function waitScript(backend: string, server: string, want: 'UP' | 'MAINT' | 'DRAIN' | null, opts: { retries: number; interval: number; idle?: boolean; failOnTimeout?: boolean }): string {
  // awk reads the CSV: $1 pxname, $2 svname, $5 scur, $18 status (HAProxy's fixed column order).
  const match = want === 'UP' ? '(index($18, "UP") == 1 || $18 == "no check")' : want ? `index($18, "${want}") == 1` : '1';
  const awk = `BEGIN { FS = "," } $1 == b && $2 == s && ${match}${opts.idle ? ' && $5 == "0"' : ''} { ok = 1 } END { exit ok ? 0 : 1 }`;
  return [
    'rb_i=0',
    `until rb_hap 'show stat' | awk -v b=${shQuote(backend)} -v s=${shQuote(server)} ${shQuote(awk)}; do`,
    '  rb_i=$((rb_i + 1))',
    `  if [ "$rb_i" -ge ${opts.retries} ]; then ${opts.failOnTimeout === false ? 'break' : `echo ${shQuote(`server ${backend}/${server} not status '${want}' after ${opts.retries} retries`)} >&2; exit ${WAIT_FAILED}`}; fi`,
    `  sleep ${opts.interval}`,
    'done',
  ].join('\n');
}
