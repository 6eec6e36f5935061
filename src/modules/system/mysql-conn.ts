// How mysql_db and mysql_user reach MariaDB/MySQL on a host: the `mysql` client, with the login
// (user, password, socket) written to a 0600 option file that the script fills from its stdin, so a
// password is never on a command line (visible in `ps`) nor in the script. SQL follows on stdin.
import { shQuote } from '../../core/shell.js';
import type { ArgSpec } from '../spec.js';
import type { HostThing } from '../types.js';

/** The connection arguments Ansible's community.mysql modules share. */
export const loginArgs = {
  login_user: { type: 'str', aliases: ['login_username'], description: "The account to log in as; unset: the client's default (the login name of the task's user, root on Debian's unix_socket setup)." },
  login_password: { type: 'str', noLog: true, description: 'Its password. Sent to the host on stdin into a private option file, never on a command line.' },
  login_host: { type: 'str', description: 'The server to connect to; unset or localhost: the local server over its unix socket.' },
  login_port: { type: 'int', default: 3306, max: 65535, description: 'The TCP port, with login_host.' },
  login_unix_socket: { type: 'str', description: "The server's unix socket (Debian: /run/mysqld/mysqld.sock, the client's default)." },
  config_file: { type: 'str', default: '~/.my.cnf', description: "An option file read first (its [client] section), when it exists on the host; login_* arguments given on the task win over it. '~/' is the task user's home on the host." },
  connect_timeout: { type: 'int', default: 30, description: 'Seconds to wait for the connection.' },
  ca_cert: { type: 'str', aliases: ['ssl_ca'], description: 'A CA certificate on the host, for TLS to login_host.' },
  client_cert: { type: 'str', aliases: ['ssl_cert'], description: 'A client certificate on the host.' },
  client_key: { type: 'str', aliases: ['ssl_key'], description: "The client certificate's key on the host." },
  check_implicit_admin: {
    type: 'bool',
    ignored: true,
    description: "Accepted for Ansible playbooks and ignored: connecting as root over the socket with no password is what the client does anyway on Debian's unix_socket setup.",
  },
} as const satisfies Record<string, ArgSpec>;

export interface Login {
  login_user: string | undefined;
  login_password: string | undefined;
  login_host: string | undefined;
  login_port: number;
  login_unix_socket: string | undefined;
  config_file: string;
  connect_timeout: number;
  ca_cert: string | undefined;
  client_cert: string | undefined;
  client_key: string | undefined;
}

/** The line that ends the option file on stdin; the SQL comes after it. */
const END = '@@runbook-end-login@@';

/** A value in an option file: double quotes (so '#' is not a comment) with the client's escapes. */
export function optionValue(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** The [client] lines for the login arguments given (the option file's body, sent on stdin). */
export function loginOptions(l: Login): string {
  const lines = ['[mysql]', `connect-timeout=${l.connect_timeout}`, '[client]', 'default-character-set=utf8mb4'];
  if (l.login_user !== undefined) lines.push(`user=${optionValue(l.login_user)}`);
  if (l.login_password !== undefined) lines.push(`password=${optionValue(l.login_password)}`);
  if (l.login_host !== undefined) lines.push(`host=${optionValue(l.login_host)}`, `port=${l.login_port}`);
  if (l.login_unix_socket !== undefined) lines.push(`socket=${optionValue(l.login_unix_socket)}`);
  if (l.ca_cert !== undefined) lines.push(`ssl-ca=${optionValue(l.ca_cert)}`);
  if (l.client_cert !== undefined) lines.push(`ssl-cert=${optionValue(l.client_cert)}`);
  if (l.client_key !== undefined) lines.push(`ssl-key=${optionValue(l.client_key)}`);
  return `${lines.join('\n')}\n`;
}

/** config_file on the host, as a shell word: '~/' becomes "$HOME"/. */
function configPath(file: string): string {
  return file.startsWith('~/') ? `"$HOME"/${shQuote(file.slice(2))}` : shQuote(file);
}

/**
 * Shell lines that read the option file from stdin (up to the END line) into a private temporary
 * file, removed on exit, and define `rb_mysql` (the client) and `rb_mysqldump` with it. Only shell
 * builtins see the password. `config_file`, when it exists, is included first, so the task's login_* win.
 */
export function loginPrelude(l: Login): string {
  const cfg = configPath(l.config_file);
  return [
    'command -v mysql >/dev/null 2>&1 || { echo "the mysql client is not installed on the host (Debian: apt install mariadb-client)" >&2; exit 1; }',
    "rb_my=$(umask 077; mktemp) || exit 1",
    `trap 'rm -f -- "$rb_my"' EXIT`,
    `trap 'exit 129' HUP INT TERM`,
    `{ if [ -f ${cfg} ]; then printf '!include %s\\n' ${cfg}; fi`,
    `  while IFS= read -r rb_line && [ "$rb_line" != ${shQuote(END)} ]; do printf '%s\\n' "$rb_line"; done; } > "$rb_my"`,
    'rb_mysql() { mysql --defaults-file="$rb_my" --batch --skip-column-names "$@"; }',
    'rb_mysqldump() { mysqldump --defaults-file="$rb_my" "$@"; }',
  ].join('\n');
}

/** The stdin of a script made with loginPrelude: the option file, then `rest` (SQL, or nothing). */
export function loginStdin(l: Login, rest = ''): string {
  return `${loginOptions(l)}${END}\n${rest}`;
}

/** A SQL string literal. */
export function sqlString(v: string): string {
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** A SQL identifier (a database name). */
export function sqlIdent(v: string): string {
  return `\`${v.replace(/`/g, '``')}\``;
}

/** Reads `mysql --batch` output: rows of tab-separated fields, with the client's escapes undone. */
export function batchRows(text: string | undefined): string[][] {
  const unescape = (f: string): string => f.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', '0': '\0', '\\': '\\' })[c] ?? c);
  return (text ?? '').split('\n').filter((l) => l !== '').map((l) => l.split('\t').map(unescape));
}

/** The client's default socket on Debian. */
export const DEFAULT_SOCKET = '/run/mysqld/mysqld.sock';

/**
 * A probe that could not read the server: the message, and in check mode what an earlier task
 * (installing mariadb-server) would provide: the client, or the server's socket.
 */
export function probeFailure(error: string, probe: { stderr: string }, l: Login): { msg: string; needs?: HostThing[] } {
  if (probe.stderr.includes('mysql client is not installed')) return { msg: probe.stderr.trim(), needs: [{ kind: 'path', path: '/usr/bin/mysql' }] };
  if (/Can't connect to local (MySQL |MariaDB )?server through socket/.test(probe.stderr) && l.login_host === undefined) {
    return { msg: `cannot reach the server: ${probe.stderr.trim()}`, needs: [{ kind: 'path', path: l.login_unix_socket ?? DEFAULT_SOCKET }] };
  }
  return { msg: error };
}
