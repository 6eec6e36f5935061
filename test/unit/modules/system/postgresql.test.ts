// postgresql_db, postgresql_user, postgresql_privs and mongodb_user plan from canned psql output (one JSON value per
// probe part): the SQL they would run, nothing when the server already agrees, the password only as
// a verifier on stdin, never in a script or the registered queries.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { InputError } from '../../../../src/core/errors.js';
import { mongodbUserModule } from '../../../../src/modules/system/mongodb_user.js';
import { passfileLine } from '../../../../src/modules/system/pg-conn.js';
import { md5Verifier, passwordMatches, scramVerifier } from '../../../../src/modules/system/pg-password.js';
import { parsePostgresqlDbArgs, planPostgresqlDb, postgresqlDbProbe } from '../../../../src/modules/system/postgresql_db.js';
import { parsePostgresqlPrivsArgs, planPostgresqlPrivs, postgresqlPrivsProbe } from '../../../../src/modules/system/postgresql_privs.js';
import { parsePostgresqlUserArgs, planPostgresqlUser, postgresqlUserProbe } from '../../../../src/modules/system/postgresql_user.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { loc } from './fixtures/context.js';

function sections(parts: Record<string, unknown>): ExecResult {
  const body = Object.entries(parts).map(([name, v]) => `\n@@runbook-section@@ ${name}\n${JSON.stringify(v)}\n`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}
const sqlOf = (stdin: unknown): string[] => {
  const text = String(stdin);
  return text.slice(text.indexOf('@@runbook-end-login@@\n') + '@@runbook-end-login@@\n'.length).split(';\n').filter(Boolean);
};

const app = { name: 'app', encoding: 'UTF8', lc_collate: 'C.UTF-8', lc_ctype: 'C.UTF-8', owner: 'postgres', conn_limit: -1, tablespace: 'pg_default', comment: null };

describe('modules/system/postgresql_db', () => {
  const table: [string, Record<string, unknown>, unknown[], string[]][] = [
    ['creates a missing database', { name: 'app' }, [], ['CREATE DATABASE "app"']],
    ['creates with owner, template and encoding', { name: 'app', owner: 'app', template: 'template0', encoding: 'UTF8' }, [], ['CREATE DATABASE "app" OWNER "app" TEMPLATE "template0" ENCODING \'UTF8\'']],
    ['leaves an existing database alone', { name: 'app', encoding: 'utf-8' }, [app], []],
    ['sets another owner and connection limit', { name: 'app', owner: 'app', conn_limit: '5' }, [app], ['ALTER DATABASE "app" OWNER TO "app"', 'ALTER DATABASE "app" CONNECTION LIMIT 5']],
    ['drops an existing database', { db: 'app', state: 'absent', force: true }, [app], ['DROP DATABASE "app" WITH (FORCE)']],
    ['drops nothing that is not there', { name: 'app', state: 'absent' }, [], []],
    ['renames', { name: 'app', state: 'rename', target: 'app2' }, [app], ['ALTER DATABASE "app" RENAME TO "app2"']],
    ['a rename already done is ok', { name: 'app', state: 'rename', target: 'app2' }, [{ ...app, name: 'app2' }], []],
    ['quotes a name', { name: 'a"b' }, [], ['CREATE DATABASE "a""b"']],
  ];
  for (const [what, raw, dbs, sql] of table) {
    it(what, () => {
      const plan = planPostgresqlDb(parsePostgresqlDbArgs(raw, loc), sections({ dbs }));
      expect(plan.failure).to.equal(undefined);
      expect(plan.steps.flatMap((s) => sqlOf(s.stdin))).to.deep.equal(sql);
      expect(plan.changes.length > 0).to.equal(sql.length > 0);
    });
  }

  it('refuses to change an existing encoding, as Ansible does', () => {
    expect(planPostgresqlDb(parsePostgresqlDbArgs({ name: 'app', encoding: 'LATIN1' }, loc), sections({ dbs: [app] })).failure?.msg).to.match(/Changing database encoding is not supported/);
  });

  it('probes pg_database in the maintenance database, the password in a private file from stdin', () => {
    const probe = postgresqlDbProbe(parsePostgresqlDbArgs({ name: 'app', login_password: 's3:cr\\t', login_host: 'db' }, loc));
    expect(probe.script).to.contain('PGPASSFILE="$rb_pg"').and.to.contain('rb_psql postgres').and.to.match(/PGHOST='?db'?/).and.not.to.contain('s3');
    expect(probe.stdin).to.match(/^\*:\*:\*:\*:s3\\:cr\\\\t\n/);
    expect(passfileLine('a:b')).to.equal('*:*:*:*:a\\:b');
  });

  it('refuses dump and restore with what to write', () => {
    expect(() => parsePostgresqlDbArgs({ name: 'app', state: 'dump', target: '/x' }, loc)).to.throw(InputError, /state=dump is not supported/);
  });
});

describe('modules/system/postgresql_user', () => {
  const role = (over: Record<string, unknown> = {}) => ({
    rolname: 'django', rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolinherit: true, rolcanlogin: true, rolreplication: false, rolbypassrls: false,
    rolconnlimit: -1, rolpassword: scramVerifier('pw1'), expires_same: null, comment: null, ...over,
  });
  const plan = (raw: Record<string, unknown>, found: Record<string, unknown>, secrets: string[] = []) =>
    planPostgresqlUser(parsePostgresqlUserArgs(raw, loc), sections({ role: found }), { addSecret: (s) => secrets.push(s) });

  it('creates a login role with a SCRAM verifier made here, masked in queries', () => {
    const secrets: string[] = [];
    const p = plan({ name: 'django', password: 'pw1' }, { role: null }, secrets);
    const [sql] = plan({ name: 'django', password: 'pw1' }, { role: null }).steps.flatMap((s) => sqlOf(s.stdin));
    expect(sql).to.match(/^CREATE ROLE "django" PASSWORD 'SCRAM-SHA-256\$4096:[^']+' LOGIN$/);
    expect(p.data?.queries).to.deep.equal(['CREATE ROLE "django" PASSWORD \'********\' LOGIN']);
    for (const s of p.steps) expect(`${s.script}${s.stdin}`).not.to.contain('pw1');
    expect(secrets.some((s) => s.startsWith('SCRAM-SHA-256$'))).to.equal(true);
  });

  it('leaves the same password, flags and limit alone (compared with the stored verifier)', () => {
    const p = plan({ name: 'django', password: 'pw1', role_attr_flags: 'NOSUPERUSER,NOCREATEDB', conn_limit: -1 }, { role: role() });
    expect(p.changes).to.deep.equal([]);
    expect(p.steps).to.deep.equal([]);
  });

  it('changes a different password, and only the flags that differ', () => {
    const p = plan({ name: 'django', password: 'pw2', role_attr_flags: 'CREATEDB,NOSUPERUSER' }, { role: role() });
    const sql = p.steps.flatMap((s) => sqlOf(s.stdin));
    expect(sql[0]).to.match(/^ALTER ROLE "django" WITH PASSWORD 'SCRAM-SHA-256/);
    expect(sql[1]).to.equal('ALTER ROLE "django" WITH CREATEDB');
  });

  it('compares md5 verifiers and takes a verifier as it is', () => {
    expect(passwordMatches(md5Verifier('pw', 'django'), 'pw', 'django')).to.equal(true);
    expect(passwordMatches(scramVerifier('pw'), 'pw', 'django')).to.equal(true);
    expect(passwordMatches(scramVerifier('pw'), 'px', 'django')).to.equal(false);
    const v = md5Verifier('pw', 'django');
    expect(plan({ name: 'django', password: v }, { role: role({ rolpassword: v }) }).changes).to.deep.equal([]);
  });

  it('grants the database and table privileges it lacks (priv, as ansible-examples writes it)', () => {
    const p = plan({ db: 'myapp', name: 'django', priv: 'ALL/orders:SELECT,insert' }, { role: role(), acl: { database: ['CONNECT'], tables: [{ name: 'public.orders', privs: ['SELECT'] }] } });
    expect(p.steps.flatMap((s) => sqlOf(s.stdin))).to.deep.equal(['GRANT CREATE, TEMPORARY ON DATABASE "myapp" TO "django"', 'GRANT INSERT ON TABLE "public"."orders" TO "django"']);
    const probe = postgresqlUserProbe(parsePostgresqlUserArgs({ db: 'myapp', name: 'django', priv: 'ALL' }, loc));
    expect(probe.script).to.contain('rb_psql myapp').and.to.contain('aclexplode');
  });

  it('fails on a table that does not exist', () => {
    expect(plan({ db: 'myapp', name: 'django', priv: 'nope:SELECT' }, { role: role(), acl: { database: [], tables: [{ name: 'public.nope', privs: null }] } }).failure?.msg).to.match(/table public.nope does not exist/);
  });

  it('drops a role, revoking priv first; fail_on_user false reports instead of failing', () => {
    const p = plan({ db: 'myapp', name: 'django', priv: 'CONNECT', state: 'absent', fail_on_user: false }, { role: role(), acl: { database: ['CONNECT'], tables: [] } });
    expect(p.steps.flatMap((s) => sqlOf(s.stdin))).to.deep.equal(['REVOKE CONNECT ON DATABASE "myapp" FROM "django"', 'DROP ROLE "django"']);
    expect(p.afterApply!([{ stdout: '', stderr: 'ERROR: role "django" cannot be dropped because some objects depend on it', code: 3 }])).to.deep.include({ unchanged: true });
    expect(plan({ name: 'django', state: 'absent' }, { role: null }).changes).to.deep.equal([]);
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parsePostgresqlUserArgs({ name: 'u', role_attr_flags: 'SUPERUSR' }, loc)).to.throw(InputError, /'SUPERUSR' is not a role attribute/);
    expect(() => parsePostgresqlUserArgs({ name: 'u', priv: 'CONNECT' }, loc)).to.throw(InputError, /needs db/);
    expect(() => parsePostgresqlUserArgs({ name: 'u', db: 'd', priv: 'SELECT' }, loc)).to.throw(InputError, /not a database privilege/);
  });
});

describe('modules/system/postgresql_privs', () => {
  const TABLE_ALL = ['INSERT', 'SELECT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
  const acl = (grantee: string, privs: string, grantable = false) => privs.split(',').map((priv) => ({ grantee, priv, grantable }));
  const table = (name: string, entries: unknown[] = []) => ({ name, ident: name, found: true, all: TABLE_ALL, acl: [...acl('postgres', TABLE_ALL.join(','), false), ...entries] });
  const db = (entries: unknown[]) => ({ name: 'app', ident: 'app', found: true, all: ['CREATE', 'TEMPORARY', 'CONNECT'], acl: [...acl('postgres', 'CREATE,TEMPORARY,CONNECT'), ...entries] });
  const cases: [string, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    ['grants what a role lacks on listed tables', { db: 'library', privs: 'SELECT,INSERT', objs: 'books,authors', roles: 'reader' },
      { roles: ['reader'], objects: [table('public.books', acl('reader', 'SELECT')), table('public.authors')] },
      ['GRANT INSERT ON TABLE public.books TO "reader"', 'GRANT SELECT, INSERT ON TABLE public.authors TO "reader"']],
    ['sends nothing when every privilege is there', { db: 'library', privs: 'select', objs: 'books', roles: 'reader' },
      { roles: ['reader'], objects: [table('public.books', acl('reader', 'SELECT'))] }, []],
    ['ALL_IN_SCHEMA: each table of the schema, ALL read from the server', { db: 'library', privs: 'ALL', objs: 'ALL_IN_SCHEMA', schema: 'lib', role: 'writer' },
      { roles: ['writer'], objects: [table('lib.a', acl('writer', TABLE_ALL.join(','))), table('lib.b', acl('writer', 'SELECT'))] },
      ['GRANT INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLE lib.b TO "writer"']],
    ['revokes only what is held (state=absent)', { db: 'library', privs: 'INSERT,UPDATE', objs: 'books', roles: 'reader', state: 'absent' },
      { roles: ['reader'], objects: [table('public.books', acl('reader', 'SELECT,UPDATE'))] }, ['REVOKE UPDATE ON TABLE public.books FROM "reader"']],
    ['PUBLIC loses CONNECT and TEMPORARY on a database (as ansible-examples writes it)', { db: 'app', role: 'PUBLIC', type: 'database', priv: 'ALL', state: 'absent' },
      { roles: [], objects: [db(acl('PUBLIC', 'TEMPORARY,CONNECT'))] }, ['REVOKE TEMPORARY, CONNECT ON DATABASE app FROM PUBLIC']],
    ['grant_option: yes upgrades a privilege held without it', { db: 'library', privs: 'SELECT', objs: 'books', roles: 'reader', grant_option: true },
      { roles: ['reader'], objects: [table('public.books', acl('reader', 'SELECT'))] }, ['GRANT SELECT ON TABLE public.books TO "reader" WITH GRANT OPTION']],
    ['grant_option: no revokes only the option', { db: 'library', privs: 'SELECT,INSERT', objs: 'books', roles: 'reader', grant_option: false },
      { roles: ['reader'], objects: [table('public.books', acl('reader', 'SELECT,INSERT', true))] }, ['REVOKE GRANT OPTION FOR SELECT, INSERT ON TABLE public.books FROM "reader"']],
    ['schema USAGE, quoted names', { db: 'library', privs: 'USAGE', type: 'schema', objs: 'Math', roles: 'a"b' },
      { roles: ['a"b'], objects: [{ name: '"Math"', ident: '"Math"', found: true, all: ['USAGE', 'CREATE'], acl: [] }] }, ['GRANT USAGE ON SCHEMA "Math" TO "a""b"']],
    ['a function by its signature', { db: 'library', privs: 'EXECUTE', type: 'function', obj: 'add(int:int)', schema: 'math', roles: 'caller' },
      { roles: ['caller'], objects: [{ name: 'math.add(integer, integer)', ident: 'math.add(integer, integer)', found: true, all: ['EXECUTE'], acl: acl('PUBLIC', 'EXECUTE') }] }, ['GRANT EXECUTE ON FUNCTION math.add(integer, integer) TO "caller"']],
    ['group: membership, then the admin option', { db: 'library', type: 'group', objs: 'librarian,reader', roles: 'alice', admin_option: true },
      { roles: ['alice'], objects: [{ name: 'librarian', found: true, members: [{ member: 'alice', admin: false }] }, { name: 'reader', found: true, members: [] }] },
      ['GRANT "librarian" TO "alice" WITH ADMIN OPTION', 'GRANT "reader" TO "alice" WITH ADMIN OPTION']],
    ['group: state=absent removes the membership', { db: 'library', type: 'group', objs: 'librarian', roles: 'alice', state: 'absent' },
      { roles: ['alice'], objects: [{ name: 'librarian', found: true, members: [{ member: 'alice', admin: true }] }] }, ['REVOKE "librarian" FROM "alice"']],
    ['default_privs: exactly privs, FOR ROLE, IN SCHEMA', { db: 'library', type: 'default_privs', objs: 'TABLES', privs: 'SELECT', schema: 'library', role: 'reader', target_roles: 'librarian' },
      { roles: ['reader'], objects: [{ name: 'TABLES', for: 'librarian', found: true, all: TABLE_ALL, acl: acl('reader', 'INSERT') }] },
      ['ALTER DEFAULT PRIVILEGES FOR ROLE "librarian" IN SCHEMA "library" REVOKE INSERT ON TABLES FROM "reader"', 'ALTER DEFAULT PRIVILEGES FOR ROLE "librarian" IN SCHEMA "library" GRANT SELECT ON TABLES TO "reader"']],
  ];
  for (const [what, raw, found, sql] of cases) {
    it(what, () => {
      const plan = planPostgresqlPrivs(parsePostgresqlPrivsArgs(raw, loc), sections({ privs: { schema: true, ...found } }));
      expect(plan.failure).to.equal(undefined);
      expect(plan.steps.flatMap((s) => sqlOf(s.stdin))).to.deep.equal(sql);
      expect(plan.data?.queries).to.deep.equal(sql);
      expect(plan.changes.length).to.equal(sql.length);
    });
  }

  it('fails on a missing role (fail_on_role), or leaves it out saying so', () => {
    const found = sections({ privs: { roles: [], schema: true, objects: [table('public.books')] } });
    expect(planPostgresqlPrivs(parsePostgresqlPrivsArgs({ db: 'l', privs: 'SELECT', objs: 'books', roles: 'ghost' }, loc), found).failure?.msg).to.equal("Role 'ghost' does not exist");
    const lenient = planPostgresqlPrivs(parsePostgresqlPrivsArgs({ db: 'l', privs: 'SELECT', objs: 'books', roles: 'ghost', fail_on_role: false }, loc), found);
    expect(lenient.failure).to.equal(undefined);
    expect(lenient.steps).to.deep.equal([]);
    expect(lenient.data?.msg).to.equal("Role 'ghost' does not exist, pass it");
  });

  it('fails on a missing table or schema, naming it', () => {
    const plan = (objects: unknown[], schema = true) => planPostgresqlPrivs(parsePostgresqlPrivsArgs({ db: 'l', privs: 'SELECT', objs: 'books', roles: 'r' }, loc), sections({ privs: { roles: ['r'], schema, objects } }));
    expect(plan([{ name: 'books', found: false }]).failure?.msg).to.equal("table 'books' does not exist in schema public");
    expect(plan([], false).failure?.msg).to.equal('Schema "public" does not exist.');
  });

  it('reads every ACL in one psql query on stdin, names quoted as literals', () => {
    const probe = postgresqlPrivsProbe(parsePostgresqlPrivsArgs({ db: 'library', privs: 'SELECT', objs: "bo'oks", roles: 'reader', login_password: 'sEcret' }, loc));
    expect(probe.script).to.contain('rb_psql library').and.to.contain('relname = ').and.not.to.contain('sEcret');
    // The name is a SQL literal inside a shell-quoted query: what psql receives, after sh, holds 'bo''oks'.
    const query = spawnSync('sh', ['-c', `printf '%s' ${probe.script.match(/printf '%s\\n' ('(?:[^']|'\\'')*')/)![1]}`]).stdout.toString();
    expect(query).to.contain("c.relname = 'bo''oks'").and.to.match(/^SELECT json_build_object\('roles'/);
    expect(probe.stdin).to.match(/^\*:\*:\*:\*:sEcret\n/);
    expect(probe.script.match(/\| rb_psql /g)).to.have.length(1); // one query
  });

  it('refuses what Ansible refuses, at the task', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ db: 'l', objs: 'books', roles: 'r' }, /"privs" is required for type "table"/],
      [{ db: 'l', privs: 'SELECT', roles: 'r' }, /"objs" is required for type "table"/],
      [{ db: 'l', type: 'group', privs: 'SELECT', objs: 'g', roles: 'r' }, /"privs" is not allowed for type "group"/],
      [{ db: 'l', type: 'database', privs: 'CONNECT', schema: 'x', roles: 'r' }, /"schema" is not allowed for type "database"/],
      [{ db: 'l', type: 'database', privs: 'SELECT', roles: 'r' }, /SELECT is not a privilege of a database/],
      [{ db: 'l', type: 'schema', privs: 'USAGE', objs: 'ALL_IN_SCHEMA', roles: 'r' }, /ALL_IN_SCHEMA is for type table/],
      [{ db: 'l', type: 'default_privs', privs: 'EXECUTE', objs: 'TABLES', roles: 'r' }, /EXECUTE is not a privilege of default TABLES/],
      [{ db: 'l', type: 'function', privs: 'EXECUTE', objs: 'add', roles: 'r' }, /'add' is not a function signature/],
    ];
    for (const [raw, msg] of bad) expect(() => parsePostgresqlPrivsArgs(raw, loc), JSON.stringify(raw)).to.throw(InputError, msg);
  });
});

describe('modules/system/mongodb_user', () => {
  it('takes the arguments ansible-examples gives it, and fails at run time with what to do', () => {
    const a = mongodbUserModule.parse({ database: 'admin', name: 'admin', password: 'x', login_port: '27019', state: 'present' }, loc);
    const p = mongodbUserModule.plan(a, { stdout: '', stderr: '', code: 0 }, undefined as never);
    expect(p.failure?.msg).to.match(/does not drive MongoDB/);
    expect(() => mongodbUserModule.parse({ database: 'admin', name: 'a', password: 'x', roles: ['read write'] }, loc)).to.throw(InputError, /not a role name/);
    expect(() => mongodbUserModule.parse({ name: 'a', password: 'x' }, loc)).to.throw(InputError, /'database' is required/);
  });
});
