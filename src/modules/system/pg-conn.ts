// How the postgresql_* modules reach PostgreSQL on a host: `psql`, as the task's user (become_user:
// postgres for Debian's peer login) or with login_* arguments. A password goes to a 0600 password
// file (PGPASSFILE) that the script fills from its stdin and removes on exit, so it is never on a
// command line; SQL follows on stdin. Probes ask for one JSON value, so no output format is parsed.
import { shQuote } from '../../core/shell.js';
import type { ArgSpec } from '../spec.js';
import type { HostThing } from '../types.js';

/** The connection arguments community.postgresql's modules share. */
export const pgLoginArgs = {
  login_user: { type: 'str', default: 'postgres', aliases: ['login'], description: "The role to log in as. Debian's local peer login needs the task to run as the OS user of the same name (become_user: postgres)." },
  login_password: { type: 'str', noLog: true, description: 'Its password. Sent to the host on stdin into a private password file (PGPASSFILE), never on a command line.' },
  login_host: { type: 'str', aliases: ['host'], description: "The server's host name or address; unset: the local server over its unix socket." },
  login_unix_socket: { type: 'str', aliases: ['unix_socket'], description: "The directory of the server's unix socket (Debian: /var/run/postgresql, psql's default)." },
  port: { type: 'int', default: 5432, max: 65535, aliases: ['login_port'], description: 'The TCP port (or the socket file number).' },
  ssl_mode: { type: 'str', choices: ['allow', 'disable', 'prefer', 'require', 'verify-ca', 'verify-full'], default: 'prefer', description: "libpq's sslmode." },
  ca_cert: { type: 'str', aliases: ['ssl_rootcert'], description: 'A CA certificate file on the host (sslrootcert).' },
  ssl_cert: { type: 'str', description: 'A client certificate file on the host (sslcert).' },
  ssl_key: { type: 'str', description: "The client certificate's key file on the host (sslkey)." },
  connect_timeout: { type: 'int', default: 30, description: 'Seconds to wait for the connection (PGCONNECT_TIMEOUT).' },
  session_role: { type: 'str', description: 'A role the login role is a member of, switched to (SET ROLE) before anything is read or changed.' },
  trust_input: {
    type: 'bool',
    default: true,
    ignored: true,
    description: 'Accepted for Ansible playbooks and ignored: every name and value is quoted in the SQL runbook writes, so there is nothing to check.',
  },
} as const satisfies Record<string, ArgSpec>;

export interface PgLogin {
  login_user: string;
  login_password: string | undefined;
  login_host: string | undefined;
  login_unix_socket: string | undefined;
  port: number;
  ssl_mode: string;
  ca_cert: string | undefined;
  ssl_cert: string | undefined;
  ssl_key: string | undefined;
  connect_timeout: number;
  session_role: string | undefined;
}

/** The line that ends the password file on stdin; the SQL comes after it. */
const END = '@@runbook-end-login@@';

/** A line of a libpq password file matching any server, with ':' and '\' escaped. */
export function passfileLine(password: string): string {
  return `*:*:*:*:${password.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}`;
}

/** A SQL identifier: "name" with quotes doubled. */
export function pgIdent(v: string): string {
  return `"${v.replace(/"/g, '""')}"`;
}

/** A SQL string literal (standard_conforming_strings, on since PostgreSQL 9.1: backslashes are literal). */
export function pgString(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/**
 * Shell lines that read the password file from stdin (up to the END line) into a private temporary
 * file removed on exit, and define `rb_psql DB` (psql without psqlrc, stopping at the first error,
 * unaligned tuples only). Connection settings that are not secret go in libpq's environment.
 */
export function pgPrelude(l: PgLogin): string {
  const env: string[] = [
    `PGUSER=${shQuote(l.login_user)}`,
    `PGPORT=${l.port}`,
    `PGSSLMODE=${shQuote(l.ssl_mode)}`,
    `PGCONNECT_TIMEOUT=${l.connect_timeout}`,
    'PGPASSFILE="$rb_pg"',
  ];
  const host = l.login_host ?? l.login_unix_socket;
  if (host) env.push(`PGHOST=${shQuote(host)}`);
  if (l.ca_cert) env.push(`PGSSLROOTCERT=${shQuote(l.ca_cert)}`);
  if (l.ssl_cert) env.push(`PGSSLCERT=${shQuote(l.ssl_cert)}`);
  if (l.ssl_key) env.push(`PGSSLKEY=${shQuote(l.ssl_key)}`);
  return [
    'command -v psql >/dev/null 2>&1 || { echo "the psql client is not installed on the host (Debian: apt install postgresql-client)" >&2; exit 1; }',
    'rb_pg=$(umask 077; mktemp) || exit 1',
    `trap 'rm -f -- "$rb_pg"' EXIT`,
    `trap 'exit 129' HUP INT TERM`,
    `while IFS= read -r rb_line && [ "$rb_line" != ${shQuote(END)} ]; do printf '%s\\n' "$rb_line"; done > "$rb_pg"`,
    `export ${env.join(' ')}`,
    // A role switched to first, so reads and changes are that role's.
    `rb_psql() { rb_db=$1; shift; { ${l.session_role ? `printf '%s\\n' ${shQuote(`SET ROLE ${pgIdent(l.session_role)};`)}; ` : ''}cat; } | psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$rb_db" "$@"; }`,
  ].join('\n');
}

/** The stdin of a script made with pgPrelude: the password file, then `rest` (SQL, or nothing). */
export function pgStdin(l: PgLogin, rest = ''): string {
  return `${l.login_password !== undefined && l.login_password !== '' ? `${passfileLine(l.login_password)}\n` : ''}${END}\n${rest}`;
}

/** A probe part: `query` (one JSON value) run in `db`. */
export function pgQuery(db: string, query: string): string {
  return `printf '%s\\n' ${shQuote(query)} | rb_psql ${shQuote(db)} || exit 1`;
}

/** The step that runs `sql` (statements ending in ';') in `db`. */
export function pgSqlStep(l: PgLogin, db: string, sql: string[]): { script: string; stdin: string } {
  return { script: `${pgPrelude(l)}\nrb_psql ${shQuote(db)}`, stdin: pgStdin(l, sql.map((s) => `${s};\n`).join('')) };
}

/** A probe that could not read the server: the message, a hint for Debian's peer login, and in check mode what installing PostgreSQL provides. */
export function pgProbeFailure(error: string, probe: { stderr: string }, l: PgLogin): { msg: string; needs?: HostThing[] } {
  const err = probe.stderr.trim();
  if (err.includes('psql client is not installed')) return { msg: err, needs: [{ kind: 'path', path: '/usr/bin/psql' }] };
  if (/Peer authentication failed/.test(err)) return { msg: `${err}: run the task as the OS user of that name (become: yes, become_user: ${l.login_user}) or give login_host and login_password` };
  if (/No such file or directory\s*\n?.*Is the server running locally/s.test(err) || /connection to server on socket .* failed: No such file/.test(err)) {
    return { msg: `cannot reach the server: ${err}`, needs: [{ kind: 'path', path: `${l.login_unix_socket ?? '/var/run/postgresql'}/.s.PGSQL.${l.port}` }] };
  }
  return { msg: error };
}

/** The JSON value a probe part printed (psql -A -t prints it alone on one line). */
export function pgJson<T>(text: string | undefined, fallback: T): T {
  const t = (text ?? '').trim();
  if (t === '') return fallback;
  return JSON.parse(t) as T;
}
