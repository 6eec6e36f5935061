// postgresql_user: a PostgreSQL login role with its password, attributes (role_attr_flags), expiry,
// connection limit, comment and (deprecated in Ansible, still used) priv on the database `db` and its
// tables, as community.postgresql's postgresql_user does, decided from one read of pg_authid and the
// objects' ACLs. The password is compared with the stored verifier and set as a SCRAM verifier
// computed on the controller (pg-password.ts): its text never reaches the host.
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule } from '../types.js';
import { pgIdent, pgJson, pgLoginArgs, pgPrelude, pgProbeFailure, pgQuery, pgStdin, pgString } from './pg-conn.js';
import { isVerifier, passwordMatches, scramVerifier } from './pg-password.js';
import { shQuote } from '../../core/shell.js';

export const postgresqlUserSpec = defineSpec({
  description: 'Makes sure a PostgreSQL role exists with a password, attributes, expiry, connection limit and privileges on a database and its tables, or does not exist, through psql on the host.',
  args: {
    name: { type: 'str', required: true, aliases: ['user'], description: 'The role.' },
    password: {
      type: 'str',
      noLog: true,
      description: "Its password: text (compared with the stored SCRAM or md5 verifier, and set as a SCRAM-SHA-256 verifier made on the controller), an md5 or SCRAM verifier (used as it is), or '' for none.",
    },
    encrypted: { type: 'bool', default: true, ignored: true, description: 'Accepted and ignored: PostgreSQL 10 and later store only verifiers, and runbook always sends one.' },
    db: { type: 'str', default: '', aliases: ['login_db'], description: 'The database to connect to, and where priv applies; empty: postgres.' },
    priv: {
      type: 'str',
      description: "Privileges on db and its tables, as in Ansible: 'CONNECT/CREATE/products:SELECT,INSERT/other.table:ALL' (database privileges alone, table ones after 'table:'; schema public unless given). Granted with state=present, revoked before the role is dropped with state=absent. Needs db.",
    },
    role_attr_flags: {
      type: 'str',
      default: '',
      description: 'Attributes, comma separated: SUPERUSER, CREATEROLE, CREATEDB, INHERIT, LOGIN, REPLICATION, BYPASSRLS, each or its NO form. Those not listed are left as they are.',
    },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the role exists (a new one with LOGIN unless NOLOGIN); absent: it does not.' },
    expires: { type: 'str', description: "When its password expires (VALID UNTIL), a SQL timestamp; 'infinity': never." },
    no_password_changes: { type: 'bool', default: false, description: 'An existing role keeps its password whatever password says.' },
    conn_limit: { type: 'int', min: -1, description: 'Its connection limit (-1: none).' },
    comment: { type: 'str', description: "Its comment (COMMENT ON ROLE); '' removes it." },
    fail_on_user: { type: 'bool', default: true, aliases: ['fail_on_role'], description: 'state=absent: fail when the role cannot be dropped (it owns objects or has privileges elsewhere); false: the task is ok, not changed, and says so.' },
    ...pgLoginArgs,
  },
  requiredIf: [],
  examples: `- name: The application's role, with access to its database
  postgresql_user:
    db: app
    name: app
    password: "{{ app_db_password }}"
    priv: CONNECT/orders:SELECT,INSERT
  become: yes
  become_user: postgres

- name: Not a superuser, cannot create databases
  postgresql_user:
    name: app
    role_attr_flags: NOSUPERUSER,NOCREATEDB
  become: yes
  become_user: postgres`,
  returns: { queries: "The SQL run (or, in check mode, that would run), the password shown as '********'.", user: 'The role.', user_removed: 'state=absent: whether the role was dropped.' },
});

export type PostgresqlUserArgs = ArgsOf<typeof postgresqlUserSpec>;

const FLAGS: Record<string, string> = {
  SUPERUSER: 'rolsuper', CREATEROLE: 'rolcreaterole', CREATEDB: 'rolcreatedb', INHERIT: 'rolinherit', LOGIN: 'rolcanlogin', REPLICATION: 'rolreplication', BYPASSRLS: 'rolbypassrls',
};
const DB_PRIVS = ['CREATE', 'CONNECT', 'TEMPORARY'];
const TABLE_PRIVS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];

export interface UserPrivs {
  database: string[];
  /** schema.table -> privileges. */
  tables: Map<string, string[]>;
}

export type PostgresqlUserParsed = PostgresqlUserArgs & { flags: Map<string, boolean>; privs?: UserPrivs };

/** Ansible's priv string: database privileges, then table:PRIVS items. Throws Error(message). */
export function parseUserPrivs(text: string): UserPrivs {
  const out: UserPrivs = { database: [], tables: new Map() };
  const expand = (list: string, all: string[], what: string): string[] => {
    const privs = list.split(',').map((p) => p.trim().toUpperCase()).filter(Boolean).map((p) => (p === 'TEMP' ? 'TEMPORARY' : p));
    if (privs.length === 0) throw new Error(`priv: no privileges in '${list}'`);
    const bad = privs.find((p) => p !== 'ALL' && p !== 'ALL PRIVILEGES' && !all.includes(p));
    if (bad) throw new Error(`priv: '${bad}' is not a ${what} privilege (${[...all, 'ALL'].join(', ')})`);
    return privs.some((p) => p.startsWith('ALL')) ? [...all] : [...new Set(privs)];
  };
  for (const item of text.split('/').map((s) => s.trim()).filter(Boolean)) {
    const colon = item.indexOf(':');
    if (colon < 0) {
      out.database.push(...expand(item, DB_PRIVS, 'database'));
      continue;
    }
    const table = item.slice(0, colon).trim();
    if (!table) throw new Error(`priv: '${item}' names no table`);
    out.tables.set(table.includes('.') ? table : `public.${table}`, expand(item.slice(colon + 1), TABLE_PRIVS, 'table'));
  }
  out.database = [...new Set(out.database)];
  return out;
}

export function parsePostgresqlUserArgs(raw: Record<string, unknown>, loc: SourceLoc): PostgresqlUserParsed {
  const { args, reader } = parseSpec('postgresql_user', postgresqlUserSpec, raw, loc);
  if (args.name === '') throw reader.error("'name' needs a role name");
  if (args.name.toUpperCase() === 'PUBLIC' && (args.password !== undefined || args.role_attr_flags !== '')) throw reader.error('PUBLIC takes no password or role_attr_flags');
  const flags = new Map<string, boolean>();
  for (const f of args.role_attr_flags.split(/[,\s]+/).map((s) => s.trim().toUpperCase()).filter(Boolean)) {
    const on = !(f.startsWith('NO') && FLAGS[f.slice(2)] !== undefined);
    const base = on ? f : f.slice(2);
    if (FLAGS[base] === undefined) throw reader.error(`role_attr_flags: '${f}' is not a role attribute`, `write ${Object.keys(FLAGS).join(', ')} or their NO forms`);
    flags.set(base, on);
  }
  let privs: UserPrivs | undefined;
  if (args.priv !== undefined && args.priv !== '') {
    if (args.db === '') throw reader.error("'priv' needs db: the database the privileges are on");
    try {
      privs = parseUserPrivs(args.priv);
    } catch (err) {
      throw reader.error((err as Error).message);
    }
  }
  return { ...args, flags, ...(privs ? { privs } : {}) };
}

const dbOf = (a: PostgresqlUserArgs): string => a.db || 'postgres';

interface Role {
  rolname: string;
  rolpassword: string | null;
  rolconnlimit: number;
  expires_same: boolean | null;
  comment: string | null;
  [flag: string]: unknown;
}

interface Acl {
  database: string[] | null;
  tables: { name: string; privs: string[] | null }[];
}

/** The role's row in pg_authid, and its privileges on db and the tables of priv, in one JSON value. */
export function postgresqlUserProbe(a: PostgresqlUserParsed): { script: string; stdin: string } {
  const name = pgString(a.name);
  const grantee = a.name.toUpperCase() === 'PUBLIC' ? '0' : `(SELECT oid FROM pg_roles WHERE rolname = ${name})`;
  const expires = a.expires !== undefined ? `a.rolvaliduntil IS NOT DISTINCT FROM ${pgString(a.expires)}::timestamptz` : 'NULL';
  const role = `(SELECT row_to_json(r) FROM (SELECT a.rolname, a.rolsuper, a.rolcreaterole, a.rolcreatedb, a.rolinherit, a.rolcanlogin, a.rolreplication, a.rolbypassrls, a.rolconnlimit, a.rolpassword, ${expires} AS expires_same, shobj_description(a.oid, 'pg_authid') AS comment FROM pg_authid a WHERE a.rolname = ${name}) r)`;
  const parts = [`'role', ${role}`];
  if (a.privs) {
    const db = `(SELECT json_agg(DISTINCT x.privilege_type) FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) x WHERE d.datname = current_database() AND x.grantee = ${grantee})`;
    const tables = [...a.privs.tables.keys()].map((t) => {
      const dot = t.indexOf('.');
      const where = `n.nspname = ${pgString(t.slice(0, dot))} AND c.relname = ${pgString(t.slice(dot + 1))}`;
      const privs = `(SELECT coalesce(json_agg(DISTINCT x.privilege_type), '[]'::json) FROM aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) x WHERE x.grantee = ${grantee})`;
      return `json_build_object('name', ${pgString(t)}, 'privs', (SELECT ${privs} FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${where}))`;
    });
    parts.push(`'acl', json_build_object('database', ${db}, 'tables', json_build_array(${tables.join(', ')}))`);
  }
  const query = `SELECT json_build_object(${parts.join(', ')});`;
  return { script: `${pgPrelude(a)}\n${sectionsScript({ role: pgQuery(dbOf(a), query) })}`, stdin: pgStdin(a) };
}

const MASK = '********';
const allCodes = Array.from({ length: 256 }, (_, i) => i);

function tableIdent(t: string): string {
  const dot = t.indexOf('.');
  return `${pgIdent(t.slice(0, dot))}.${pgIdent(t.slice(dot + 1))}`;
}

export function planPostgresqlUser(a: PostgresqlUserParsed, probe: ExecResult, ctx?: Pick<ModuleContext, 'addSecret'>): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: pgProbeFailure(parsed.error.replace("the host's state", 'the role'), probe, a) };
  const found = pgJson<{ role: Role | null; acl?: Acl }>(parsed.sections.role, { role: null });
  const role = found.role;
  if (role?.rolpassword && ctx) ctx.addSecret(role.rolpassword);
  const who = a.name.toUpperCase() === 'PUBLIC' ? 'PUBLIC' : pgIdent(a.name);
  const sql: string[] = [];
  const shown: string[] = [];
  const changes: string[] = [];
  const run = (s: string, display = s): void => {
    sql.push(s);
    shown.push(display);
  };

  const privStatements = (grant: boolean): void => {
    if (!a.privs || !found.acl) return;
    const have = new Set(found.acl.database ?? []);
    const dbPrivs = a.privs.database.filter((p) => have.has(p) !== grant);
    if (dbPrivs.length) {
      run(grant ? `GRANT ${dbPrivs.join(', ')} ON DATABASE ${pgIdent(dbOf(a))} TO ${who}` : `REVOKE ${dbPrivs.join(', ')} ON DATABASE ${pgIdent(dbOf(a))} FROM ${who}`);
      changes.push(`${grant ? 'grant' : 'revoke'} ${dbPrivs.join(', ')} on database ${dbOf(a)}`);
    }
    for (const [table, want] of a.privs.tables) {
      const current = found.acl.tables.find((t) => t.name === table)?.privs;
      if (current === null || current === undefined) {
        if (grant) throw new TableMissing(table);
        continue;
      }
      const tset = new Set(current);
      const diff = want.filter((p) => tset.has(p) !== grant);
      if (diff.length === 0) continue;
      run(grant ? `GRANT ${diff.join(', ')} ON TABLE ${tableIdent(table)} TO ${who}` : `REVOKE ${diff.join(', ')} ON TABLE ${tableIdent(table)} FROM ${who}`);
      changes.push(`${grant ? 'grant' : 'revoke'} ${diff.join(', ')} on ${table}`);
    }
  };

  try {
    if (a.state === 'absent') {
      if (!role) return { changes: [], steps: [], data: { user: a.name, queries: [], user_removed: false } };
      privStatements(false);
      run(`DROP ROLE ${who}`);
      changes.push(`drop role ${a.name}`);
      const step = { script: `${pgPrelude(a)}\nrb_psql ${shQuote(dbOf(a))}`, stdin: pgStdin(a, sql.map((s) => `${s};\n`).join('')), okCodes: allCodes };
      return {
        changes,
        steps: [step],
        data: { user: a.name, queries: shown, user_removed: true },
        afterApply: (results) => {
          const r = results[0];
          if (r && r.code === 0) return { data: { user: a.name, queries: shown, user_removed: true } };
          const why = r?.stderr.trim() || `exit code ${r?.code}`;
          if (a.fail_on_user) return { failed: `Unable to remove user ${a.name}: ${why}` };
          return { data: { user: a.name, queries: shown, user_removed: false, msg: `Unable to remove user ${a.name}: ${why}` }, unchanged: true };
        },
      };
    }

    let password: { sql: string; shown: string } | undefined;
    if (a.password !== undefined && !(role && a.no_password_changes)) {
      if (a.password === '') {
        if (!role || role.rolpassword !== null) password = { sql: 'PASSWORD NULL', shown: 'PASSWORD NULL' };
      } else if (!role || !passwordMatches(role.rolpassword, a.password, a.name)) {
        const verifier = isVerifier(a.password) ? a.password : scramVerifier(a.password);
        ctx?.addSecret(verifier);
        password = { sql: `PASSWORD ${pgString(verifier)}`, shown: `PASSWORD '${MASK}'` };
      }
    }
    const options: string[] = [];
    for (const [flag, on] of a.flags) if (!role || role[FLAGS[flag]!] !== on) options.push(on ? flag : `NO${flag}`);
    if (a.expires !== undefined && (!role || role.expires_same !== true)) options.push(`VALID UNTIL ${pgString(a.expires)}`);
    if (a.conn_limit !== undefined && (!role || role.rolconnlimit !== a.conn_limit)) options.push(`CONNECTION LIMIT ${a.conn_limit}`);

    if (!role) {
      const opts = [...options, ...(a.flags.has('LOGIN') ? [] : ['LOGIN'])];
      run(`CREATE ROLE ${who}${password ? ` ${password.sql}` : ''} ${opts.join(' ')}`.trimEnd(), `CREATE ROLE ${who}${password ? ` ${password.shown}` : ''} ${opts.join(' ')}`.trimEnd());
      changes.push(`create role ${a.name}`);
    } else {
      if (password) {
        run(`ALTER ROLE ${who} WITH ${password.sql}`, `ALTER ROLE ${who} WITH ${password.shown}`);
        changes.push(`change ${a.name}'s password`);
      }
      if (options.length) {
        run(`ALTER ROLE ${who} WITH ${options.join(' ')}`);
        changes.push(`set ${a.name}'s ${options.join(' ')}`);
      }
    }
    if (a.comment !== undefined && a.comment !== (role?.comment ?? '')) {
      run(`COMMENT ON ROLE ${who} IS ${a.comment === '' ? 'NULL' : pgString(a.comment)}`);
      changes.push(`set ${a.name}'s comment`);
    }
    privStatements(true);
  } catch (err) {
    if (err instanceof TableMissing) return { changes: [], steps: [], failure: { msg: `priv: table ${err.table} does not exist in database ${dbOf(a)}` } };
    throw err;
  }
  if (sql.length === 0) return { changes: [], steps: [], data: { user: a.name, queries: [] } };
  return {
    changes,
    steps: [{ script: `${pgPrelude(a)}\nrb_psql ${shQuote(dbOf(a))}`, stdin: pgStdin(a, sql.map((s) => `${s};\n`).join('')) }],
    data: { user: a.name, queries: shown },
  };
}

class TableMissing extends Error {
  constructor(readonly table: string) {
    super(table);
  }
}

export const postgresqlUserModule: RemoteModule<PostgresqlUserParsed> = {
  kind: 'remote',
  name: 'postgresql_user',
  ...specFields(postgresqlUserSpec),
  parse: parsePostgresqlUserArgs,
  probe: (a) => postgresqlUserProbe(a),
  plan: (a, probe, ctx) => planPostgresqlUser(a, probe, ctx),
};
