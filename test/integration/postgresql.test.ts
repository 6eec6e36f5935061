// postgresql_user, postgresql_db and postgresql_privs against Debian's PostgreSQL 15 on one lab host (a lab root
// carrying it, as the rabbitmq test does), written the way Galaxy roles and ansible-examples call
// them: as the postgres OS user over the local socket. --check changes nothing, the run converges,
// the role logs in with its password over TCP, a second run reports changed=0, and the password
// shows in neither the output nor the host's process list. postgresql_privs grants, changes nothing
// on a re-run, revokes, and forecasts a grant under --check without making it.
import { expect } from 'chai';
import { oneHostLab, type OneHost } from './support/one-host.js';
import { describeRun, totalChanged } from './support/runbook.js';

const PASSWORD = 'pg#Pw "one" & two';
const NEW_PASSWORD = 'second-Pg=42';

const tasks = (password: string): unknown[] => [
  { name: 'server running', service: { name: 'postgresql', state: 'started' } },
  {
    name: 'application role',
    postgresql_user: { name: 'app', password, role_attr_flags: 'CREATEDB,NOSUPERUSER', conn_limit: 20 },
    become: true,
    become_user: 'postgres',
  },
  { name: 'application database', postgresql_db: { name: 'appdb', owner: 'app', encoding: 'UTF-8', template: 'template0' }, become: true, become_user: 'postgres' },
  { name: 'old database gone', postgresql_db: { name: 'olddb', state: 'absent' }, become: true, become_user: 'postgres' },
];

describe('postgresql modules on a lab host (postgresql_user, postgresql_db, postgresql_privs)', function () {
  this.timeout(900_000);
  let h: OneHost;
  const sql = (q: string): Promise<string> => h.sh(`su postgres -s /bin/sh -c ${JSON.stringify(`psql -tAc ${JSON.stringify(q).replace(/\$/g, '\\$')}`)}`);
  /** Logs in as app over TCP with a password given on stdin into a private PGPASSFILE (not on a command line). */
  const login = (password: string): Promise<string> =>
    h.sh(`f=$(mktemp); chmod 600 "$f"; cat > "$f" <<'PGEOF'\n127.0.0.1:5432:appdb:app:${password.replace(/[\\:]/g, '\\$&')}\nPGEOF\nPGPASSFILE="$f" psql -h 127.0.0.1 -U app -d appdb -w -tAc 'select current_user' 2>&1; rm -f "$f"`);

  before(async () => {
    h = await oneHostLab({ host: 'pg1', groups: ['db'], prefix: 'postgresql', extraPackages: ['postgresql'] });
    await h.sh('systemctl start postgresql');
    await sql('CREATE DATABASE olddb');
  });
  after(() => h?.cleanup());

  it('--check forecasts the role and databases and changes nothing', async () => {
    const run = await h.play('pg', tasks(PASSWORD), '--check', '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(3);
    expect(await sql("select count(*) from pg_roles where rolname = 'app'")).to.equal('0\n');
    expect(await sql("select count(*) from pg_database where datname = 'olddb'")).to.equal('1\n');
  });

  it('converges: the role logs in with its password, owns appdb; the password is in no output or process list; a re-run changes nothing', async () => {
    await h.sh('rm -f /run/rb-ps; (while [ ! -e /run/rb-ps.stop ]; do nice -n 10 ps -ww -eo args= >> /run/rb-ps; done) >/dev/null 2>&1 </dev/null & echo started');
    const first = await h.play('pg', tasks(PASSWORD), '--json');
    await h.sh('touch /run/rb-ps.stop; sleep 1; rm -f /run/rb-ps.stop');
    expect(first.code, describeRun(first)).to.equal(0);
    expect(totalChanged(first)).to.equal(3);
    expect(Number((await h.sh('grep -c . /run/rb-ps')).trim())).to.be.greaterThan(10);
    expect(await h.sh(`grep -cF -- ${JSON.stringify('"one" & two')} /run/rb-ps || :`)).to.equal('0\n');
    expect(first.stdout + first.stderr).to.not.include('"one" & two');

    expect(await sql("select rolcreatedb, rolsuper, rolcanlogin, rolconnlimit from pg_roles where rolname = 'app'")).to.equal('t|f|t|20\n');
    expect(await sql("select pg_get_userbyid(datdba), pg_encoding_to_char(encoding) from pg_database where datname = 'appdb'")).to.equal('app|UTF8\n');
    expect(await sql("select count(*) from pg_database where datname = 'olddb'")).to.equal('0\n');
    expect(await login(PASSWORD)).to.equal('app\n');

    const again = await h.play('pg', tasks(PASSWORD), '--json');
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('a new password is set (the old one stops working), and only when it differs', async () => {
    const run = await h.play('pg', tasks(NEW_PASSWORD), '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    expect(await login(NEW_PASSWORD)).to.equal('app\n');
    expect(await login(PASSWORD)).to.include('password authentication failed');
    const check = await h.play('pg', tasks(NEW_PASSWORD), '--check', '--json');
    expect(totalChanged(check), describeRun(check)).to.equal(0);
  });

  describe('postgresql_privs', () => {
    const asPostgres = { become: true, become_user: 'postgres' };
    const privTasks = (state: 'present' | 'absent'): unknown[] => [
      { name: 'reader role', postgresql_user: { name: 'reader', role_attr_flags: 'NOLOGIN' }, ...asPostgres },
      { name: 'reader reads and writes every table', postgresql_privs: { db: 'appdb', privs: 'SELECT,INSERT', objs: 'ALL_IN_SCHEMA', roles: 'reader', state }, ...asPostgres },
      { name: 'reader uses the app schema', postgresql_privs: { db: 'appdb', type: 'schema', privs: 'USAGE', objs: 'app', roles: 'reader', grant_option: true, state }, ...asPostgres },
      // As ansible-examples writes it (language_features/postgresql.yml).
      { name: 'no other user can access the database', postgresql_privs: 'db=appdb role=PUBLIC type=database priv=ALL state=absent', ...asPostgres },
    ];
    const inApp = (q: string): Promise<string> => h.sh(`su postgres -s /bin/sh -c ${JSON.stringify(`psql -d appdb -tAc ${JSON.stringify(q).replace(/\$/g, '\\$')}`)}`);
    const reader = (): Promise<string> => inApp("select has_table_privilege('reader', 'public.orders', 'SELECT'), has_table_privilege('reader', 'public.orders', 'INSERT'), has_table_privilege('reader', 'public.items', 'INSERT'), has_schema_privilege('reader', 'app', 'USAGE WITH GRANT OPTION'), has_database_privilege('public', 'appdb', 'CONNECT')");

    before(async () => {
      await inApp('CREATE TABLE IF NOT EXISTS public.orders (id int); CREATE TABLE IF NOT EXISTS public.items (id int); CREATE SCHEMA IF NOT EXISTS app');
    });

    it('grants, and a re-run changes nothing', async () => {
      const first = await h.play('pg', privTasks('present'), '--json');
      expect(first.code, describeRun(first)).to.equal(0);
      // Changed tasks: the role, the tables, the schema, PUBLIC's database privileges.
      expect(totalChanged(first), describeRun(first)).to.equal(4);
      expect(await reader()).to.equal('t|t|t|t|f\n');
      const again = await h.play('pg', privTasks('present'), '--json');
      expect(again.code, describeRun(again)).to.equal(0);
      expect(totalChanged(again), describeRun(again)).to.equal(0);
    });

    it('revokes; --check then forecasts the grants without making them', async () => {
      const revoke = await h.play('pg', privTasks('absent'), '--json');
      expect(revoke.code, describeRun(revoke)).to.equal(0);
      expect(totalChanged(revoke), describeRun(revoke)).to.equal(2);
      expect(await reader()).to.equal('f|f|f|f|f\n');
      const check = await h.play('pg', privTasks('present'), '--check', '--json');
      expect(check.code, describeRun(check)).to.equal(0);
      expect(totalChanged(check), describeRun(check)).to.equal(2);
      expect(await reader()).to.equal('f|f|f|f|f\n');
      const apply = await h.play('pg', privTasks('present'), '--json');
      expect(totalChanged(apply), describeRun(apply)).to.equal(2);
      expect(await reader()).to.equal('t|t|t|t|f\n');
    });
  });
});
