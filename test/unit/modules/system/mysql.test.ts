// mysql_db and mysql_user plan from canned client output: tables of arguments and server state
// mapped to the SQL they would run, with the login always on stdin and passwords masked.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { loginOptions, optionValue } from '../../../../src/modules/system/mysql-conn.js';
import { mysqlDbModule, mysqlDbProbe, parseMysqlDbArgs, planMysqlDb } from '../../../../src/modules/system/mysql_db.js';
import { parseGrants, parsePriv, privStatements } from '../../../../src/modules/system/mysql-privs.js';
import { mysqlUserProbe, nativeHash, parseMysqlUserArgs, planMysqlUser } from '../../../../src/modules/system/mysql_user.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { loc } from './fixtures/context.js';

function sections(parts: Record<string, string>): ExecResult {
  const body = Object.entries(parts).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

/** The SQL a step sends: what follows the option file on its stdin. */
function sqlOf(stdin: unknown): string[] {
  const text = String(stdin);
  return text.slice(text.indexOf('@@runbook-end-login@@\n') + '@@runbook-end-login@@\n'.length).split(';\n').filter(Boolean);
}

const dbs = (...rows: string[]): ExecResult => sections({ dbs: rows.map((r) => `${r}\tutf8mb4\tutf8mb4_general_ci\n`).join('') });

describe('modules/system/mysql_db', () => {
  const table: [string, Record<string, unknown>, ExecResult, string[]][] = [
    ['creates a missing database', { name: 'app' }, dbs(), ['CREATE DATABASE `app`']],
    ['creates with encoding and collation', { name: 'app', encoding: 'utf8mb4', collation: 'utf8mb4_bin' }, dbs(), ['CREATE DATABASE `app` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin']],
    ['creates only the missing ones', { name: ['app', 'stats'] }, dbs('app'), ['CREATE DATABASE `stats`']],
    ['leaves an existing database (and its encoding) alone, as Ansible does', { name: 'app', encoding: 'latin1' }, dbs('app'), []],
    ['drops an existing database', { name: 'app', state: 'absent' }, dbs('app'), ['DROP DATABASE `app`']],
    ['drops nothing that is not there', { name: 'app', state: 'absent' }, dbs(), []],
    ['quotes a backtick in a name', { name: 'a`b' }, dbs(), ['CREATE DATABASE `a``b`']],
  ];
  for (const [what, raw, probe, sql] of table) {
    it(what, () => {
      const plan = planMysqlDb(parseMysqlDbArgs(raw, loc), probe);
      expect(plan.failure).to.equal(undefined);
      expect(plan.steps.flatMap((s) => sqlOf(s.stdin))).to.deep.equal(sql);
      expect(plan.changes.length > 0).to.equal(sql.length > 0);
      expect(plan.data?.executed_commands).to.deep.equal(sql);
    });
  }

  it('dumps through a private temporary file, compressed by the target name, always a change', () => {
    const plan = planMysqlDb(parseMysqlDbArgs({ name: 'app', state: 'dump', target: '/var/backups/app.sql.gz', single_transaction: true }, loc), dbs('app'));
    expect(plan.changes).to.deep.equal(['dump app to /var/backups/app.sql.gz']);
    const script = plan.steps[0]!.script;
    expect(script).to.contain('rb_mysqldump --single-transaction --quick -- app').and.to.contain('| gzip > "$rb_tmp"').and.to.contain('mv -fT -- "$rb_tmp" "$rb_target"');
    expect(plan.data?.executed_commands).to.deep.equal(['mysqldump --single-transaction --quick -- app | gzip > /var/backups/app.sql.gz']);
  });

  it('refuses to dump a database that does not exist', () => {
    const plan = planMysqlDb(parseMysqlDbArgs({ name: 'app', state: 'dump', target: '/tmp/x.sql' }, loc), dbs());
    expect(plan.failure?.msg).to.equal('cannot dump database(s) app: not found');
  });

  it('imports into a database it creates first', () => {
    const plan = planMysqlDb(parseMysqlDbArgs({ name: 'app', state: 'import', target: '/srv/app.sql.xz' }, loc), dbs());
    const script = plan.steps[0]!.script;
    expect(script).to.contain('CREATE DATABASE `app`;').and.to.contain('xz -dc -- "$rb_target" | rb_mysql app');
    expect(plan.changes).to.deep.equal(['import /srv/app.sql.xz into app']);
  });

  it('in check mode, a host without the client forecasts once the package is installed', () => {
    const plan = planMysqlDb(parseMysqlDbArgs({ name: 'app' }, loc), { stdout: '', stderr: 'the mysql client is not installed on the host (Debian: apt install mariadb-client)\n', code: 1 });
    expect(plan.failure?.needs).to.deep.equal([{ kind: 'path', path: '/usr/bin/mysql' }]);
    const down = planMysqlDb(parseMysqlDbArgs({ name: 'app' }, loc), { stdout: '', stderr: "ERROR 2002 (HY000): Can't connect to local server through socket '/run/mysqld/mysqld.sock' (2)\n", code: 1 });
    expect(down.failure?.needs).to.deep.equal([{ kind: 'path', path: '/run/mysqld/mysqld.sock' }]);
  });

  it('sends the login on stdin, never in the script', () => {
    const probe = mysqlDbProbe(parseMysqlDbArgs({ name: 'app', login_user: 'admin', login_password: 's3cr#t"x', login_unix_socket: '/run/mysqld/mysqld.sock' }, loc));
    expect(probe.script).not.to.contain('s3cr');
    expect(probe.stdin).to.contain('password="s3cr#t\\"x"').and.to.contain('user="admin"').and.to.contain('socket="/run/mysqld/mysqld.sock"');
    expect(probe.script).to.contain('if [ -f "$HOME"/.my.cnf ]; then printf \'!include %s\\n\' "$HOME"/.my.cnf; fi');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseMysqlDbArgs({ name: 'app', state: 'dump' }, loc)).to.throw(InputError, /'target' is required with state=dump/);
    expect(() => parseMysqlDbArgs({ name: 'all' }, loc)).to.throw(InputError, /only for state=dump and state=import/);
    expect(() => parseMysqlDbArgs({ name: 'app', encoding: 'utf8; DROP' }, loc)).to.throw(InputError, /not a character set name/);
    expect(() => mysqlDbModule.parse({ name: 'app', stat: 'absent' }, loc)).to.throw(InputError, /has no argument 'stat'/);
  });
});

describe('modules/system/mysql_user', () => {
  const pw = 'hunter2';
  const hash = nativeHash(pw);
  const user = (rows: string[], grants: string[] = []): ExecResult => sections({ users: rows.map((r) => `${r}\n`).join(''), grants: grants.map((g) => `${g}\n`).join('') });
  const app = (auth = hash, plugin = 'mysql_native_password'): string => `localhost\t${plugin}\t${auth}`;
  const usage = 'GRANT USAGE ON *.* TO `app`@`localhost` IDENTIFIED BY PASSWORD \'*0000\'';

  const table: [string, Record<string, unknown>, ExecResult, string[]][] = [
    ['creates an account with its password hash', { name: 'app', password: pw }, user([]), [`CREATE USER 'app'@'localhost' IDENTIFIED BY PASSWORD '${hash}'`]],
    ['creates with privileges', { name: 'app', password: pw, priv: 'app.*:ALL/stats.*:SELECT' }, user([]), [
      `CREATE USER 'app'@'localhost' IDENTIFIED BY PASSWORD '${hash}'`, "GRANT ALL ON `app`.* TO 'app'@'localhost'", "GRANT SELECT ON `stats`.* TO 'app'@'localhost'",
    ]],
    ['leaves the same password alone (hash compared)', { name: 'app', password: pw }, user([app()], [usage]), []],
    ['sets a different password', { name: 'app', password: 'other' }, user([app()], [usage]), [`ALTER USER 'app'@'localhost' IDENTIFIED BY PASSWORD '${nativeHash('other')}'`]],
    ['update_password on_create leaves it', { name: 'app', password: 'other', update_password: 'on_create' }, user([app()], [usage]), []],
    ['takes an already hashed password', { name: 'app', password: hash.toLowerCase(), encrypted: true }, user([app()], [usage]), []],
    ['leaves matching privileges alone', { name: 'app', priv: 'app.*:ALL' }, user([app()], [usage, 'GRANT ALL PRIVILEGES ON `app`.* TO `app`@`localhost`']), []],
    ['replaces privileges', { name: 'app', priv: 'app.*:SELECT,INSERT' }, user([app()], [usage, 'GRANT ALL PRIVILEGES ON `app`.* TO `app`@`localhost`', 'GRANT SELECT ON `old`.* TO `app`@`localhost`']), [
      "REVOKE SELECT ON `old`.* FROM 'app'@'localhost'", "REVOKE ALL ON `app`.* FROM 'app'@'localhost'", "GRANT INSERT, SELECT ON `app`.* TO 'app'@'localhost'",
    ]],
    ['appends privileges', { name: 'app', priv: 'stats.*:SELECT', append_privs: true }, user([app()], [usage, 'GRANT ALL PRIVILEGES ON `app`.* TO `app`@`localhost`']), ["GRANT SELECT ON `stats`.* TO 'app'@'localhost'"]],
    ['subtracts privileges', { name: 'app', priv: 'app.*:INSERT,DELETE', subtract_privs: true }, user([app()], [usage, 'GRANT SELECT, INSERT ON `app`.* TO `app`@`localhost`']), ["REVOKE INSERT ON `app`.* FROM 'app'@'localhost'"]],
    ['grants the grant option', { name: 'app', priv: 'app.*:SELECT,GRANT' }, user([app()], [usage, 'GRANT SELECT ON `app`.* TO `app`@`localhost`']), ["GRANT USAGE ON `app`.* TO 'app'@'localhost' WITH GRANT OPTION"]],
    ['sees the grant option it has', { name: 'app', priv: 'app.*:SELECT,GRANT' }, user([app()], [usage, 'GRANT SELECT ON `app`.* TO `app`@`localhost` WITH GRANT OPTION']), []],
    ['switches to a plugin', { name: 'ops', plugin: 'unix_socket' }, user([app()]), ["ALTER USER 'ops'@'localhost' IDENTIFIED VIA unix_socket"]],
    ['leaves the plugin alone', { name: 'ops', plugin: 'unix_socket' }, user([app('', 'unix_socket')]), []],
    ['only the host asked for', { name: 'app', password: pw, host: '%' }, user([app()]), [`CREATE USER 'app'@'%' IDENTIFIED BY PASSWORD '${hash}'`]],
    ['host_all updates every host part', { name: 'app', password: 'x', host_all: true }, user([app(), `%\tmysql_native_password\t${hash}`]), [
      `ALTER USER 'app'@'localhost' IDENTIFIED BY PASSWORD '${nativeHash('x')}'`, `ALTER USER 'app'@'%' IDENTIFIED BY PASSWORD '${nativeHash('x')}'`,
    ]],
    ['drops an account', { name: 'app', state: 'absent' }, user([app()]), ["DROP USER 'app'@'localhost'"]],
    ['drops every host part with host_all', { name: 'app', state: 'absent', host_all: true }, user([app(), `%\tmysql_native_password\t${hash}`]), ["DROP USER 'app'@'localhost'", "DROP USER 'app'@'%'"]],
    ['drops nothing that is not there', { name: 'app', state: 'absent' }, user([]), []],
    ['stays out of the binary log when asked', { name: 'app', sql_log_bin: false }, user([]), ['SET SQL_LOG_BIN=0', "CREATE USER 'app'@'localhost'"]],
    ['creates an account that must use TLS', { name: 'app', tls_requires: { ssl: null } }, user([]), ["CREATE USER 'app'@'localhost' REQUIRE SSL"]],
    ['creates one that must show a certificate', { name: 'app', tls_requires: { SUBJECT: '/CN=app', issuer: '/CN=ca', X509: null } }, user([]), ["CREATE USER 'app'@'localhost' REQUIRE SUBJECT '/CN=app' AND ISSUER '/CN=ca'"]],
    ['sets a TLS requirement on an existing account', { name: 'app', tls_requires: { X509: '' } }, user([app()]), ["ALTER USER 'app'@'localhost' REQUIRE X509"]],
    ['leaves the same TLS requirement alone', { name: 'app', tls_requires: { SSL: null } }, user([`${app()}\tANY\t\t\t`]), []],
    ['leaves the same specified one alone', { name: 'app', tls_requires: { subject: '/CN=app' } }, user([`${app()}\tSPECIFIED\t\t\t/CN=app`]), []],
    ['removes a requirement when tls_requires is {} (as community.mysql does)', { name: 'app', tls_requires: {} }, user([`${app()}\tX509\t\t\t`]), ["ALTER USER 'app'@'localhost' REQUIRE NONE"]],
    ['upper-cases column names by default', { name: 'app', priv: 'db.t:SELECT (b, a)' }, user([app()], [usage, 'GRANT SELECT (a, b) ON `db`.`t` TO `app`@`localhost`']), []],
    ['sees REPLICATION CLIENT in MariaDB\'s BINLOG MONITOR', { name: 'app', priv: '*.*:REPLICATION SLAVE,REPLICATION CLIENT' }, user([app()], ['GRANT BINLOG MONITOR, REPLICATION SLAVE ON *.* TO `app`@`localhost`']), []],
    ['keeps their case with column_case_sensitive', { name: 'app', priv: 'db.t:SELECT (colB, colA)', column_case_sensitive: true }, user([app()], [usage, 'GRANT SELECT (`colA`, `colB`) ON `db`.`t` TO `app`@`localhost`']), []],
    ['grants case-sensitive columns as written', { name: 'app', priv: 'db.t:SELECT (colB)', column_case_sensitive: true }, user([app()], [usage]), ["GRANT SELECT (colB) ON `db`.`t` TO 'app'@'localhost'"]],
  ];
  for (const [what, raw, probe, sql] of table) {
    it(what, () => {
      const secrets: string[] = [];
      const plan = planMysqlUser(parseMysqlUserArgs(raw, loc), probe, { addSecret: (s) => secrets.push(s) });
      expect(plan.failure).to.equal(undefined);
      expect(plan.steps.flatMap((s) => sqlOf(s.stdin))).to.deep.equal(sql);
      expect(plan.changes.length > 0).to.equal(sql.length > 0);
      for (const s of plan.steps) expect(s.script).not.to.match(/\*[0-9A-F]{40}|hunter2|PASSWORD/);
      expect(JSON.stringify(plan.data)).not.to.match(/\*[0-9A-F]{40}|hunter2/);
    });
  }

  it('masks the password in the queries it returns, and marks the hash secret', () => {
    const secrets: string[] = [];
    const plan = planMysqlUser(parseMysqlUserArgs({ name: 'app', password: pw }, loc), user([]), { addSecret: (s) => secrets.push(s) });
    expect(plan.data).to.deep.include({ user: 'app', password_changed: true, queries: ["CREATE USER 'app'@'localhost' IDENTIFIED BY PASSWORD '********'"], msg: 'User added' });
    expect(secrets).to.include(hash);
  });

  it('host_all does not create an account', () => {
    const plan = planMysqlUser(parseMysqlUserArgs({ name: 'app', host_all: true }, loc), user([]));
    expect(plan.failure?.msg).to.match(/has no host parts/);
  });

  it('probes mysql.user and SHOW GRANTS in one script, the login on stdin', () => {
    const probe = mysqlUserProbe(parseMysqlUserArgs({ name: "o'k", login_password: 'pw' }, loc));
    expect(probe.script).to.contain("WHERE User = '\\''o'\\'''\\''k'\\''").and.to.contain('SHOW GRANTS FOR').and.not.to.contain('pw"');
    expect(probe.stdin).to.contain('password="pw"');
  });

  it('computes mysql_native_password hashes as the server does', () => {
    // SELECT PASSWORD('password') on MariaDB.
    expect(nativeHash('password')).to.equal('*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseMysqlUserArgs({ name: 'app', priv: 'app.*' }, loc)).to.throw(InputError, /is not OBJECT:PRIVILEGES/);
    expect(() => parseMysqlUserArgs({ name: 'app', priv: 'app.*:SELCT' }, loc)).to.throw(InputError, /'SELCT' is not a privilege/);
    expect(() => parseMysqlUserArgs({ name: 'app', password: 'x', encrypted: true }, loc)).to.throw(InputError, /must be a mysql_native_password hash/);
    expect(() => parseMysqlUserArgs({ name: 'app', append_privs: true, subtract_privs: true }, loc)).to.throw(InputError);
    expect(() => parseMysqlUserArgs({ name: 'app', passwrd: 'x' }, loc)).to.throw(InputError, /has no argument 'passwrd'/);
    expect(() => parseMysqlUserArgs({ name: 'app', tls_requires: { SSLL: null } }, loc)).to.throw(InputError, /'SSLL' is not one of SSL, X509/);
    expect(() => parseMysqlUserArgs({ name: 'app', tls_requires: 'SSL' }, loc)).to.throw(InputError, /must be a mapping/);
    expect(() => parseMysqlUserArgs({ name: 'app', tls_requires: { CIPHER: null } }, loc)).to.throw(InputError, /CIPHER needs text/);
  });
});

describe('modules/system/mysql privileges and option files', () => {
  it('reads priv strings and mappings like Ansible', () => {
    expect([...parsePriv('db.*:all privileges/db2.t:select,insert').entries()].map(([k, v]) => [k, [...v]])).to.deep.equal([
      ['`db`.*', ['ALL']], ['`db2`.`t`', ['SELECT', 'INSERT']], ['*.*', ['USAGE']],
    ]);
    expect([...parsePriv({ '*.*': 'PROCESS' }).keys()]).to.deep.equal(['*.*']);
    expect([...parsePriv('db.t:SELECT (a, b),INSERT').get('`db`.`t`')!]).to.deep.equal(['SELECT (A, B)', 'INSERT']);
  });

  it('reads SHOW GRANTS, leaving out passwords and roles', () => {
    const g = parseGrants([
      "GRANT USAGE ON *.* TO `a`@`%` IDENTIFIED BY PASSWORD '*ABC'",
      'GRANT SELECT, INSERT ON `db`.* TO `a`@`%` WITH GRANT OPTION',
      'GRANT `role1` TO `a`@`%`',
    ]);
    expect([...g.entries()].map(([k, v]) => [k, [...v]])).to.deep.equal([['*.*', ['USAGE']], ['`db`.*', ['SELECT', 'INSERT', 'GRANT']]]);
  });

  it('revokes what the new privileges leave out, keeping USAGE out of it', () => {
    expect(privStatements(parseGrants(['GRANT USAGE ON *.* TO `a`@`h`']), parsePriv('db.*:SELECT'), "'a'@'h'", 'replace')).to.deep.equal(["GRANT SELECT ON `db`.* TO 'a'@'h'"]);
  });

  it('quotes option file values so # and quotes survive', () => {
    expect(optionValue('a#b"c\\d')).to.equal('"a#b\\"c\\\\d"');
    expect(loginOptions({ login_user: undefined, login_password: undefined, login_host: 'db', login_port: 3307, login_unix_socket: undefined, config_file: '~/.my.cnf', connect_timeout: 5, ca_cert: undefined, client_cert: undefined, client_key: undefined }))
      .to.equal('[mysql]\nconnect-timeout=5\n[client]\ndefault-character-set=utf8mb4\nhost="db"\nport=3307\n');
  });
});
