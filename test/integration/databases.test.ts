// mysql_db and mysql_user against Debian's MariaDB on one lab host, installed by the play itself:
// --check on a bare host changes nothing, the real run converges, a second run reports changed=0,
// and the account's password never shows in the --json output or in the host's process list.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { nativeHash } from '../../src/modules/system/mysql_user.js';
import { getLab, onHost, resetHost, type Lab } from './lab/fixture.js';
import { describeRun, runbook, totalChanged, type CliRun } from './support/runbook.js';

const SOCKET = '/run/mysqld/mysqld.sock';
const PASSWORD = 'rb#Sq1 "pw" \\ x&y';
const NEW_PASSWORD = 'second-Pw=42';

function tasks(priv: string): unknown[] {
  return [
    { name: 'MariaDB installed', apt: { name: 'mariadb-server', state: 'present' } },
    { name: 'MariaDB running', service: { name: 'mariadb', state: 'started' } },
    { name: 'databases', mysql_db: { name: ['rbapp', 'rbstats'], encoding: 'utf8mb4', collation: 'utf8mb4_general_ci', login_unix_socket: SOCKET } },
    { name: 'no old database', mysql_db: { name: 'rbold', state: 'absent', login_unix_socket: SOCKET } },
    { name: 'application account', mysql_user: { name: 'rbapp', password: '{{ db_password }}', priv, login_unix_socket: SOCKET, login_user: 'root' }, register: 'account' },
    { name: 'what was run', debug: { var: 'account.queries' } },
    { name: 'operator over the socket', mysql_user: { name: 'rbops', plugin: 'unix_socket', priv: '*.*:PROCESS' } },
    { name: 'no test account', mysql_user: { name: 'rbgone', host_all: true, state: 'absent' } },
    { name: 'an account that must use TLS', mysql_user: { name: 'rbtls', host: '%', password: '{{ db_password }}', tls_requires: { SSL: null }, priv: 'rbapp.*:SELECT', column_case_sensitive: true } },
  ];
}

/** SQL as root over the socket (the lab host's unix_socket login). */
function sql(lab: Lab, query: string): Promise<string> {
  return onHost(lab, 'db1', 'mysql -N -B', { input: `${query}\n` }).then((r) => {
    if (r.code !== 0) throw new Error(`${query}: ${r.stderr}`);
    return r.stdout;
  });
}

describe('database modules on a lab host (mysql_db, mysql_user)', function () {
  this.timeout(900_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let play: string;

  const apply = (file: string, extra: string[] = []): Promise<CliRun> => runbook(['apply', file, '-i', inventory, '--json', '-e', JSON.stringify({ db_password: PASSWORD }), ...extra]);
  const writePlay = (name: string, t: unknown[]): string => {
    const file = join(work, name);
    writeFileSync(file, stringify([{ name: 'databases', hosts: 'all', gather_facts: false, tasks: t }]));
    return file;
  };

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'db1', groups: ['db'] }] });
    await resetHost(lab, 'db1');
    work = mkdtempSync(join(tmpdir(), 'runbook-databases-'));
    inventory = join(work, 'inventory.yml');
    writeFileSync(inventory, stringify({
      all: { vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile }, hosts: { db1: { ansible_host: lab.hosts[0]!.address } } },
    }));
    play = writePlay('site.yml', tasks('rbapp.*:ALL/rbstats.*:SELECT'));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('--check on a bare host forecasts and installs nothing', async () => {
    const run = await apply(play, ['--check']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.be.greaterThan(3);
    expect((await onHost(lab, 'db1', 'command -v mysqld mariadbd || echo none')).stdout).to.equal('none\n');
  });

  it('converges, with the password never in the output or the process list, then changed=0', async () => {
    // Every process's command line on the host, sampled while runbook works.
    await onHost(lab, 'db1', 'rm -f /run/rb-ps; (while [ ! -e /run/rb-ps.stop ]; do nice -n 10 ps -ww -eo args= >> /run/rb-ps; done) >/dev/null 2>&1 </dev/null & echo started');
    const first = await apply(play);
    await onHost(lab, 'db1', 'touch /run/rb-ps.stop; sleep 1; rm -f /run/rb-ps.stop');
    expect(first.code, describeRun(first)).to.equal(0);
    const seen = (await onHost(lab, 'db1', 'grep -c . /run/rb-ps; grep -c "rb_mysql" /run/rb-ps || :')).stdout.split('\n');
    expect(Number(seen[0])).to.be.greaterThan(10);
    const hash = nativeHash(PASSWORD);
    for (const secret of ['Sq1', hash, hash.slice(1)]) {
      expect((await onHost(lab, 'db1', `grep -cF -- ${JSON.stringify(secret)} /run/rb-ps || :`)).stdout, `'${secret}' in ps`).to.equal('0\n');
      expect(first.stdout).not.to.include(secret);
    }
    expect(first.stdout).to.include('IDENTIFIED BY PASSWORD \'********\'');

    expect(await sql(lab, "SELECT SCHEMA_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'rb%' ORDER BY 1")).to.equal('rbapp\tutf8mb4_general_ci\nrbstats\tutf8mb4_general_ci\n');
    expect(await sql(lab, "SELECT authentication_string FROM mysql.user WHERE User = 'rbapp'")).to.equal(`${hash}\n`);
    const grants = await sql(lab, "SHOW GRANTS FOR 'rbapp'@'localhost'");
    expect(grants).to.include('GRANT ALL PRIVILEGES ON `rbapp`.* TO `rbapp`@`localhost`').and.to.include('GRANT SELECT ON `rbstats`.* TO `rbapp`@`localhost`');
    expect(await sql(lab, "SELECT plugin FROM mysql.user WHERE User = 'rbops'")).to.equal('unix_socket\n');
    expect(await sql(lab, "SELECT ssl_type FROM mysql.user WHERE User = 'rbtls'")).to.equal('ANY\n');
    // The account logs in with its password (given on stdin, never on the command line).
    const login = await onHost(lab, 'db1', 'f=$(mktemp); cat > "$f"; mysql --defaults-file="$f" -N -e "SELECT CURRENT_USER()"; rm -f "$f"', {
      input: `[client]\nuser=rbapp\npassword="${PASSWORD.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"\n`,
    });
    expect(login.stdout, login.stderr).to.equal('rbapp@localhost\n');

    const again = await apply(play);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('changes the password and the privileges it is given, and nothing more', async () => {
    const changed = writePlay('change.yml', [
      { name: 'new password, fewer privileges', mysql_user: { name: 'rbapp', password: NEW_PASSWORD, priv: 'rbapp.*:SELECT,INSERT' } },
      { name: 'on_create leaves a password alone', mysql_user: { name: 'rbapp', password: 'ignored', update_password: 'on_create' } },
    ]);
    const run = await apply(changed);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await sql(lab, "SELECT authentication_string FROM mysql.user WHERE User = 'rbapp'")).to.equal(`${nativeHash(NEW_PASSWORD)}\n`);
    let grants = await sql(lab, "SHOW GRANTS FOR 'rbapp'@'localhost'");
    expect(grants).to.include('GRANT SELECT, INSERT ON `rbapp`.*').and.not.to.include('rbstats').and.not.to.include('ALL PRIVILEGES');
    expect(totalChanged(await apply(changed))).to.equal(0);
    // append_privs adds to what the account has (a later replacing task would take it away again, as in Ansible).
    const append = writePlay('append.yml', [{ name: 'append a privilege', mysql_user: { name: 'rbapp', priv: 'rbstats.*:SELECT', append_privs: true } }]);
    expect(totalChanged(await apply(append))).to.equal(1);
    grants = await sql(lab, "SHOW GRANTS FOR 'rbapp'@'localhost'");
    expect(grants).to.include('GRANT SELECT, INSERT ON `rbapp`.*').and.to.include('GRANT SELECT ON `rbstats`.*');
    expect(totalChanged(await apply(append))).to.equal(0);
  });

  it('dumps a database to a compressed file and imports it back', async () => {
    await sql(lab, 'CREATE TABLE rbapp.t (id INT PRIMARY KEY); INSERT INTO rbapp.t VALUES (7);');
    const dump = writePlay('dump.yml', [
      { name: 'dump', mysql_db: { name: 'rbapp', state: 'dump', target: '/root/rbapp.sql.gz' } },
      { name: 'drop', mysql_db: { name: 'rbapp', state: 'absent' } },
      { name: 'import', mysql_db: { name: 'rbapp', state: 'import', target: '/root/rbapp.sql.gz' } },
    ]);
    const check = await apply(dump, ['--check']);
    expect(check.code, describeRun(check)).to.equal(0);
    expect((await onHost(lab, 'db1', 'ls /root/rbapp.sql.gz 2>&1 || :')).stdout).to.include('No such file');
    const run = await apply(dump);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(3);
    expect(await sql(lab, 'SELECT id FROM rbapp.t')).to.equal('7\n');
    expect((await onHost(lab, 'db1', 'stat -c %a /root/rbapp.sql.gz; ls -a /root | grep -c runbook-dump || :')).stdout).to.equal('600\n0\n');
  });
});
