// postgresql_user and postgresql_db against Debian's PostgreSQL 15 on one lab host (a lab root
// carrying it, as the rabbitmq test does), written the way Galaxy roles and ansible-examples call
// them: as the postgres OS user over the local socket. --check changes nothing, the run converges,
// the role logs in with its password over TCP, a second run reports changed=0, and the password
// shows in neither the output nor the host's process list.
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

describe('postgresql modules on a lab host (postgresql_user, postgresql_db)', function () {
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
});
