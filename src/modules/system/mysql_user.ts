// mysql_user: a MariaDB/MySQL account with its password, authentication plugin and privileges, as
// community.mysql's mysql_user does, decided from one read of mysql.user and SHOW GRANTS. The
// password is compared as its mysql_native_password hash, computed here: it is never re-set to find
// out, and neither it nor its hash is ever on a command line (SQL travels on stdin).
import { createHash } from 'node:crypto';
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule } from '../types.js';
import { batchRows, loginArgs, probeFailure, loginPrelude, loginStdin, sqlString } from './mysql-conn.js';
import { grantHost, parseGrants, parsePriv, privStatements, type Privs } from './mysql-privs.js';
import { describeTls, parseTlsRequires, requireClause, sameTls, tlsFromColumns, type TlsRequires } from './mysql-tls.js';

export const mysqlUserSpec = defineSpec({
  description: 'Makes sure a MariaDB/MySQL account exists with a password, authentication plugin and privileges, or does not exist, through the mysql client on the host.',
  args: {
    name: { type: 'str', required: true, aliases: ['user'], description: 'The account name.' },
    host: { type: 'str', default: 'localhost', description: "The account's host part ('%' for any)." },
    host_all: { type: 'bool', default: false, description: 'Apply to every host part the account already has (host is then ignored); creates nothing.' },
    password: { type: 'str', noLog: true, description: 'Its password. Compared through its mysql_native_password hash; set as that hash, so the text itself never leaves the controller.' },
    encrypted: { type: 'bool', default: false, description: "password is already a mysql_native_password hash ('*' and 40 hex digits)." },
    update_password: { type: 'str', choices: ['always', 'on_create'], default: 'always', description: 'always: an existing account gets password when it differs; on_create: only a new account gets it.' },
    priv: {
      type: 'raw',
      description: "Its privileges: 'db.*:ALL/db2.table:SELECT,INSERT' or a mapping ({'db.*': 'ALL'}); GRANT in a list is the grant option. Privileges on objects not listed are revoked (unless append_privs). Unset: privileges are left as they are.",
    },
    append_privs: { type: 'bool', default: false, description: 'Add priv to what the account has instead of replacing it.' },
    subtract_privs: { type: 'bool', default: false, description: 'Revoke the privileges in priv (those the account has), nothing else.' },
    plugin: { type: 'str', description: 'Authentication plugin (unix_socket, ed25519, mysql_native_password); password is then not used.' },
    plugin_hash_string: { type: 'str', noLog: true, description: "The plugin's authentication string, already hashed (IDENTIFIED VIA plugin USING 'hash')." },
    plugin_auth_string: { type: 'str', noLog: true, description: "A password for the plugin, hashed by the server (IDENTIFIED VIA plugin USING PASSWORD('...')); compared only for mysql_native_password." },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the account exists; absent: it does not (with host_all, none of its host parts).' },
    tls_requires: {
      type: 'raw',
      description: "What the account must present over TLS, as a mapping: {SSL: } (any TLS connection), {X509: } (a valid client certificate), or any of SUBJECT, ISSUER and CIPHER with their text. As in community.mysql, unset or {} means no requirement, so an existing account's requirement is removed (REQUIRE NONE).",
    },
    column_case_sensitive: {
      type: 'bool',
      default: false,
      description: "Column names in priv (SELECT (colA, colB)) keep their case; false: they are upper-cased, as community.mysql 3 does by default.",
    },
    sql_log_bin: { type: 'bool', default: true, description: 'false: the changes are not written to the binary log (SET SQL_LOG_BIN=0), so replicas do not repeat them.' },
    ...loginArgs,
  },
  mutuallyExclusive: [['append_privs', 'subtract_privs'], ['plugin_hash_string', 'plugin_auth_string'], ['password', 'plugin']],
  examples: `- name: The application's account
  mysql_user:
    name: app
    password: "{{ app_db_password }}"
    priv: 'app.*:ALL'
    login_unix_socket: /run/mysqld/mysqld.sock

- name: A read-only account on two databases, from any host
  mysql_user:
    name: report
    host: '%'
    password: "{{ report_password }}"
    priv: 'app.*:SELECT/stats.*:SELECT'

- name: An operator who logs in as the unix user of the same name
  mysql_user:
    name: ops
    plugin: unix_socket

- name: The test account gone from every host
  mysql_user:
    name: test
    host_all: yes
    state: absent`,
  returns: {
    user: 'The account name.',
    msg: 'What was done, in words.',
    password_changed: 'Whether the password (or plugin) was set.',
    queries: "The SQL run (or, in check mode, that would run), passwords and hashes shown as '********'.",
  },
});

export type MysqlUserArgs = ArgsOf<typeof mysqlUserSpec>;
export type MysqlUserParsed = MysqlUserArgs & { privs?: Privs; tls: TlsRequires };

const NATIVE_HASH = /^\*[0-9A-Fa-f]{40}$/;

export function parseMysqlUserArgs(raw: Record<string, unknown>, loc: SourceLoc): MysqlUserParsed {
  const { args, reader } = parseSpec('mysql_user', mysqlUserSpec, raw, loc);
  if (args.name.length > 80) throw reader.error(`'${args.name}' is longer than an account name may be (80 characters)`);
  if (args.encrypted && args.password !== undefined && !NATIVE_HASH.test(args.password)) {
    throw reader.error("with encrypted: yes, password must be a mysql_native_password hash ('*' and 40 hex digits)", 'SELECT PASSWORD(...) on a server prints one');
  }
  if ((args.plugin_hash_string !== undefined || args.plugin_auth_string !== undefined) && args.plugin === undefined) throw reader.error("'plugin_hash_string' and 'plugin_auth_string' need plugin");
  if (args.plugin !== undefined && !/^[A-Za-z0-9_]+$/.test(args.plugin)) throw reader.error(`'${args.plugin}' is not a plugin name`);
  let privs: Privs | undefined;
  if (args.priv !== undefined && args.priv !== null && args.priv !== '') {
    try {
      privs = parsePriv(args.priv, args.column_case_sensitive);
    } catch (err) {
      throw reader.error((err as Error).message);
    }
  }
  let tls: TlsRequires;
  try {
    tls = parseTlsRequires(args.tls_requires);
  } catch (err) {
    throw reader.error((err as Error).message, "write tls_requires: {SSL: } or {X509: } or {SUBJECT: '/CN=app', ISSUER: '/CN=ca'}");
  }
  return { ...args, ...(privs ? { privs } : {}), tls };
}

/** mysql_native_password's hash: '*' and the upper-case hex of SHA1(SHA1(password)). */
export function nativeHash(password: string): string {
  const inner = createHash('sha1').update(password, 'utf8').digest();
  return `*${createHash('sha1').update(inner).digest('hex').toUpperCase()}`;
}

/** The account's rows in mysql.user (host, plugin, authentication string), and SHOW GRANTS for each. */
export function mysqlUserProbe(a: MysqlUserArgs): { script: string; stdin: string } {
  const user = sqlString(a.name);
  const rows = `SELECT Host, plugin, authentication_string, ssl_type, ssl_cipher, x509_issuer, x509_subject FROM mysql.user WHERE User = ${user} ORDER BY Host;`;
  const shows = `SELECT CONCAT('SHOW GRANTS FOR ', QUOTE(User), '@', QUOTE(Host), ';') FROM mysql.user WHERE User = ${user};`;
  return {
    script: `${loginPrelude(a)}\n${sectionsScript({
      users: `printf '%s\\n' ${shQuote(rows)} | rb_mysql || exit 1`,
      grants: `printf '%s\\n' ${shQuote(shows)} | rb_mysql | rb_mysql || exit 1`,
    })}`,
    stdin: loginStdin(a),
  };
}

interface Account {
  host: string;
  plugin: string;
  auth: string;
  tls: TlsRequires;
}

const MASK = '********';

/** How the account authenticates, as an IDENTIFIED clause; `shown` is the same with secrets masked. */
function identified(a: MysqlUserArgs): { sql: string; shown: string } | undefined {
  if (a.plugin !== undefined) {
    if (a.plugin_hash_string !== undefined) return { sql: `IDENTIFIED VIA ${a.plugin} USING ${sqlString(a.plugin_hash_string)}`, shown: `IDENTIFIED VIA ${a.plugin} USING '${MASK}'` };
    if (a.plugin_auth_string !== undefined) return { sql: `IDENTIFIED VIA ${a.plugin} USING PASSWORD(${sqlString(a.plugin_auth_string)})`, shown: `IDENTIFIED VIA ${a.plugin} USING PASSWORD('${MASK}')` };
    return { sql: `IDENTIFIED VIA ${a.plugin}`, shown: `IDENTIFIED VIA ${a.plugin}` };
  }
  if (a.password === undefined) return undefined;
  const hash = a.encrypted ? a.password.toUpperCase() : nativeHash(a.password);
  return { sql: `IDENTIFIED BY PASSWORD ${sqlString(hash)}`, shown: `IDENTIFIED BY PASSWORD '${MASK}'` };
}

/** Whether the account already authenticates as asked. */
function authMatches(a: MysqlUserArgs, acc: Account): boolean {
  if (a.plugin !== undefined) {
    if (acc.plugin !== a.plugin) return false;
    if (a.plugin_hash_string !== undefined) return acc.auth === a.plugin_hash_string;
    if (a.plugin_auth_string !== undefined && a.plugin === 'mysql_native_password') return acc.auth.toUpperCase() === nativeHash(a.plugin_auth_string);
    return true;
  }
  if (a.password === undefined) return true;
  const hash = a.encrypted ? a.password.toUpperCase() : nativeHash(a.password);
  return acc.plugin === 'mysql_native_password' && acc.auth.toUpperCase() === hash;
}

export function planMysqlUser(a: MysqlUserParsed, probe: ExecResult, ctx?: Pick<ModuleContext, 'addSecret'>): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: probeFailure(parsed.error.replace("the host's state", 'the accounts'), probe, a) };
  const accounts: Account[] = batchRows(parsed.sections.users).map((r) => ({
    host: r[0] ?? '',
    plugin: r[1] ?? '',
    auth: r[2] ?? '',
    tls: tlsFromColumns(r[3] ?? '', r[4] ?? '', r[5] ?? '', r[6] ?? ''),
  }));
  for (const acc of accounts) if (acc.auth && ctx) ctx.addSecret(acc.auth);
  const grantLines = (parsed.sections.grants ?? '').split('\n').map((l) => l.replace(/\\\\/g, '\\')).filter(Boolean);
  const grantsOf = (host: string): Privs => parseGrants(grantLines.filter((l) => grantHost(l) === host), a.column_case_sensitive);
  const account = (host: string): string => `${sqlString(a.name)}@${sqlString(host)}`;
  const auth = identified(a);
  if (auth && ctx && a.plugin === undefined) ctx.addSecret(auth.sql.replace(/^IDENTIFIED BY PASSWORD '(.*)'$/, '$1'));

  const sql: string[] = [];
  const shown: string[] = [];
  const changes: string[] = [];
  const run = (statement: string, display = statement): void => {
    sql.push(statement);
    shown.push(display);
  };
  let passwordChanged = false;

  const targets = a.host_all ? accounts : accounts.filter((acc) => acc.host === a.host);
  if (a.state === 'absent') {
    for (const acc of targets) {
      run(`DROP USER ${account(acc.host)}`);
      changes.push(`drop account ${a.name}@${acc.host}`);
    }
  } else if (targets.length === 0 && a.host_all) {
    return { changes: [], steps: [], data: { user: a.name }, failure: { msg: `host_all: account ${a.name} has no host parts to update; give host: to create it` } };
  } else if (targets.length === 0) {
    const require = a.tls.kind === 'none' ? '' : ` ${requireClause(a.tls)}`;
    run(`CREATE USER ${account(a.host)}${auth ? ` ${auth.sql}` : ''}${require}`, `CREATE USER ${account(a.host)}${auth ? ` ${auth.shown}` : ''}${require}`);
    changes.push(`create account ${a.name}@${a.host}`);
    passwordChanged = auth !== undefined;
    if (a.privs && !a.subtract_privs) {
      for (const s of privStatements(new Map(), a.privs, account(a.host), 'append')) run(s);
      if (a.privs.size > 1 || !a.privs.get('*.*')?.has('USAGE')) changes.push(`grant ${a.name}@${a.host} its privileges`);
    }
  } else {
    for (const acc of targets) {
      if (auth && a.update_password === 'always' && !authMatches(a, acc)) {
        run(`ALTER USER ${account(acc.host)} ${auth.sql}`, `ALTER USER ${account(acc.host)} ${auth.shown}`);
        changes.push(a.plugin !== undefined ? `set ${a.name}@${acc.host}'s authentication to ${a.plugin}` : `change ${a.name}@${acc.host}'s password`);
        passwordChanged = true;
      }
      if (a.privs) {
        const mode = a.append_privs ? 'append' : a.subtract_privs ? 'subtract' : 'replace';
        const statements = privStatements(grantsOf(acc.host), a.privs, account(acc.host), mode);
        statements.forEach((s) => run(s));
        if (statements.length) changes.push(`update ${a.name}@${acc.host}'s privileges`);
      }
      if (!sameTls(acc.tls, a.tls)) {
        run(`ALTER USER ${account(acc.host)} ${requireClause(a.tls)}`);
        changes.push(`set ${a.name}@${acc.host}'s TLS requirement: ${describeTls(a.tls)}`);
      }
    }
  }
  const data = { user: a.name, password_changed: passwordChanged, queries: shown };
  if (sql.length === 0) return { changes: [], steps: [], data: { ...data, msg: a.state === 'absent' ? 'User does not exist' : 'User unchanged' } };
  const prefix = a.sql_log_bin ? [] : ['SET SQL_LOG_BIN=0'];
  const text = [...prefix, ...sql].map((s) => `${s};\n`).join('');
  const msg = a.state === 'absent' ? 'User deleted' : targets.length === 0 ? 'User added' : 'User updated';
  return { changes, steps: [{ script: `${loginPrelude(a)}\nrb_mysql`, stdin: loginStdin(a, text) }], data: { ...data, msg } };
}

export const mysqlUserModule: RemoteModule<MysqlUserParsed> = {
  kind: 'remote',
  name: 'mysql_user',
  ...specFields(mysqlUserSpec),
  parse: parseMysqlUserArgs,
  probe: (a) => mysqlUserProbe(a),
  plan: (a, probe, ctx) => planMysqlUser(a, probe, ctx),
};
