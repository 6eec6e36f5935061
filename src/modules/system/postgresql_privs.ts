// postgresql_privs: privileges of roles on PostgreSQL objects (tables, sequences, functions,
// schemas, databases, ...), group memberships and default privileges, as community.postgresql's
// postgresql_privs grants and revokes them. Ansible runs the GRANT and compares the ACLs before and
// after (rolling back in check mode); here one psql read of the ACLs (aclexplode) decides which
// GRANT/REVOKE statements are needed, so --check forecasts exactly and a re-run sends nothing.
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';
import { pgIdent, pgJson, pgLoginArgs, pgPrelude, pgProbeFailure, pgQuery, pgSqlStep, pgStdin, pgString } from './pg-conn.js';

const TYPES = ['table', 'sequence', 'function', 'procedure', 'database', 'schema', 'language', 'tablespace', 'group', 'default_privs', 'foreign_data_wrapper', 'foreign_server', 'type'] as const;
type ObjType = (typeof TYPES)[number];

export const postgresqlPrivsSpec = defineSpec({
  description: 'Grants or revokes privileges of roles on PostgreSQL objects (tables, sequences, functions, schemas, databases, ...), group memberships and default privileges, through psql on the host.',
  args: {
    database: { type: 'str', required: true, aliases: ['db', 'login_db'], description: 'The database to connect to (the objects are in it; for type=database, the default of objs).' },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the privileges are granted; absent: they are revoked.' },
    privs: { type: 'str', aliases: ['priv'], description: 'Privileges, comma separated (SELECT,INSERT; ALL: every privilege the object type has). Required except for type=group.' },
    type: { type: 'str', choices: [...TYPES], default: 'table', description: 'The kind of objects in objs. group: objs are roles that roles become members of; default_privs: objs are TABLES, SEQUENCES, FUNCTIONS, TYPES, SCHEMAS or ALL_DEFAULT (ALTER DEFAULT PRIVILEGES).' },
    objs: { type: 'str', aliases: ['obj'], description: "The objects, comma separated. ALL_IN_SCHEMA: every table, sequence, function or procedure of schema. A function's arguments are separated by ':' (add(int:int)). type=database: defaults to database." },
    schema: { type: 'str', description: "The schema of the objects (table, sequence, function, procedure, type, default_privs); default public. default_privs: 'not-specified' means every schema (no IN SCHEMA)." },
    roles: { type: 'str', required: true, aliases: ['role'], description: 'The roles that get or lose the privileges, comma separated; PUBLIC: every role.' },
    fail_on_role: { type: 'bool', default: true, description: 'Fail when a role in roles does not exist; false: leave it out (the task says so in msg).' },
    target_roles: { type: 'str', description: 'default_privs: the roles whose future objects get the default privileges (FOR ROLE), comma separated; default: the login (or session) role. Ignored for other types, as in Ansible.' },
    grant_option: { type: 'bool', aliases: ['admin_option'], description: 'state=present: true grants WITH GRANT OPTION (ADMIN OPTION for group); false revokes the option, keeping the privilege; unset: the option is left as it is.' },
    usage_on_types: { type: 'bool', default: true, ignored: true, description: 'Accepted and ignored: deprecated in community.postgresql (removed in 3.0.0); use type=type to grant USAGE on types.' },
    ...pgLoginArgs,
    login_password: { ...pgLoginArgs.login_password, aliases: ['password'] },
  },
  requiredIf: [],
  examples: `- name: The reader role may read the library's tables
  postgresql_privs:
    db: library
    privs: SELECT
    objs: ALL_IN_SCHEMA
    roles: reader
  become: yes
  become_user: postgres

- name: No other role can connect to the database (as ansible-examples writes it)
  postgresql_privs: db=app role=PUBLIC type=database priv=ALL state=absent
  become: yes
  become_user: postgres`,
  returns: { queries: 'The GRANT/REVOKE statements run (or, in check mode, that would run).' },
});

export type PostgresqlPrivsArgs = ArgsOf<typeof postgresqlPrivsSpec>;

/** Every privilege an object type takes (PostgreSQL's GRANT): ALL means these (MAINTAIN: PostgreSQL 17; ALL is read from the server). */
const TYPE_PRIVS: Record<Exclude<ObjType, 'group' | 'default_privs'>, readonly string[]> = {
  table: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'],
  sequence: ['USAGE', 'SELECT', 'UPDATE'],
  function: ['EXECUTE'],
  procedure: ['EXECUTE'],
  database: ['CREATE', 'CONNECT', 'TEMPORARY'],
  schema: ['CREATE', 'USAGE'],
  language: ['USAGE'],
  tablespace: ['CREATE'],
  foreign_data_wrapper: ['USAGE'],
  foreign_server: ['USAGE'],
  type: ['USAGE'],
};

/** ALTER DEFAULT PRIVILEGES' object kinds: their privileges, pg_default_acl's letter and acldefault's. */
const DEFAULT_OBJS: Record<string, { privs: readonly string[]; objtype: string; aclType: string }> = {
  TABLES: { privs: TYPE_PRIVS.table, objtype: 'r', aclType: 'r' },
  SEQUENCES: { privs: TYPE_PRIVS.sequence, objtype: 'S', aclType: 's' },
  FUNCTIONS: { privs: ['EXECUTE'], objtype: 'f', aclType: 'f' },
  TYPES: { privs: ['USAGE'], objtype: 'T', aclType: 'T' },
  SCHEMAS: { privs: ['CREATE', 'USAGE'], objtype: 'n', aclType: 'n' },
};

/** How each object type's ACL is read: its catalog, name match, owner, ACL column, acldefault letter and its word in GRANT. */
interface Catalog {
  from: string;
  /** SQL true for the object named `name` (in `schema` where the type has one). */
  match: (name: string, schema: string) => string;
  /** SQL true for every object of the type in `schema` (ALL_IN_SCHEMA). */
  inSchema?: (schema: string) => string;
  ident: string;
  owner: string;
  acl: string;
  aclType: string;
  keyword: string;
}

const inNs = (schema: string): string => `n.nspname = ${pgString(schema)}`;
const REL = 'pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace';
const PROC = 'pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace';
/** `add(int,int)` in `schema` as to_regprocedure reads it. */
const signature = (name: string, schema: string): string => {
  const open = name.indexOf('(');
  return `${pgIdent(schema)}.${pgIdent(name.slice(0, open).trim())}${name.slice(open)}`;
};

const CATALOGS: Record<Exclude<ObjType, 'group' | 'default_privs'>, Catalog> = {
  table: { from: REL, match: (o, s) => `${inNs(s)} AND c.relname = ${pgString(o)} AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`, inSchema: (s) => `${inNs(s)} AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`, ident: "format('%I.%I', n.nspname, c.relname)", owner: 'c.relowner', acl: 'c.relacl', aclType: 'r', keyword: 'TABLE' },
  sequence: { from: REL, match: (o, s) => `${inNs(s)} AND c.relname = ${pgString(o)} AND c.relkind = 'S'`, inSchema: (s) => `${inNs(s)} AND c.relkind = 'S'`, ident: "format('%I.%I', n.nspname, c.relname)", owner: 'c.relowner', acl: 'c.relacl', aclType: 's', keyword: 'SEQUENCE' },
  function: { from: PROC, match: (o, s) => `p.oid = to_regprocedure(${pgString(signature(o, s))}) AND p.prokind <> 'p'`, inSchema: (s) => `${inNs(s)} AND p.prokind = 'f'`, ident: "format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes))", owner: 'p.proowner', acl: 'p.proacl', aclType: 'f', keyword: 'FUNCTION' },
  procedure: { from: PROC, match: (o, s) => `p.oid = to_regprocedure(${pgString(signature(o, s))}) AND p.prokind = 'p'`, inSchema: (s) => `${inNs(s)} AND p.prokind = 'p'`, ident: "format('%I.%I(%s)', n.nspname, p.proname, oidvectortypes(p.proargtypes))", owner: 'p.proowner', acl: 'p.proacl', aclType: 'f', keyword: 'PROCEDURE' },
  database: { from: 'pg_database d', match: (o) => `d.datname = ${pgString(o)}`, ident: "format('%I', d.datname)", owner: 'd.datdba', acl: 'd.datacl', aclType: 'd', keyword: 'DATABASE' },
  schema: { from: 'pg_namespace n', match: (o) => `n.nspname = ${pgString(o)}`, ident: "format('%I', n.nspname)", owner: 'n.nspowner', acl: 'n.nspacl', aclType: 'n', keyword: 'SCHEMA' },
  language: { from: 'pg_language l', match: (o) => `l.lanname = ${pgString(o)}`, ident: "format('%I', l.lanname)", owner: 'l.lanowner', acl: 'l.lanacl', aclType: 'l', keyword: 'LANGUAGE' },
  tablespace: { from: 'pg_tablespace t', match: (o) => `t.spcname = ${pgString(o)}`, ident: "format('%I', t.spcname)", owner: 't.spcowner', acl: 't.spcacl', aclType: 't', keyword: 'TABLESPACE' },
  foreign_data_wrapper: { from: 'pg_foreign_data_wrapper w', match: (o) => `w.fdwname = ${pgString(o)}`, ident: "format('%I', w.fdwname)", owner: 'w.fdwowner', acl: 'w.fdwacl', aclType: 'F', keyword: 'FOREIGN DATA WRAPPER' },
  foreign_server: { from: 'pg_foreign_server v', match: (o) => `v.srvname = ${pgString(o)}`, ident: "format('%I', v.srvname)", owner: 'v.srvowner', acl: 'v.srvacl', aclType: 'S', keyword: 'FOREIGN SERVER' },
  type: { from: 'pg_type y JOIN pg_namespace n ON n.oid = y.typnamespace', match: (o, s) => `${inNs(s)} AND y.typname = ${pgString(o)}`, ident: "format('%I.%I', n.nspname, y.typname)", owner: 'y.typowner', acl: 'y.typacl', aclType: 'T', keyword: 'TYPE' },
};

export interface PostgresqlPrivsParsed extends PostgresqlPrivsArgs {
  kind: ObjType;
  /** Upper case, TEMP as TEMPORARY; ['ALL'] for every privilege of the type; [] for group. */
  privList: string[];
  /** The objects as written (functions with ',' between arguments), or 'ALL_IN_SCHEMA'. */
  objList: string[] | 'ALL_IN_SCHEMA';
  schemaName: string | undefined;
  /** Role names; 'PUBLIC' stands for every role. */
  roleList: string[];
  targetRoles: string[];
}

const splitList = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);

export function parsePostgresqlPrivsArgs(raw: Record<string, unknown>, loc: SourceLoc): PostgresqlPrivsParsed {
  const { args, reader } = parseSpec('postgresql_privs', postgresqlPrivsSpec, raw, loc);
  const kind = args.type as ObjType;
  if (args.database === '') throw reader.error("'database' needs a database name");
  const schemaTypes: ObjType[] = ['table', 'sequence', 'function', 'procedure', 'type', 'default_privs'];
  if (args.schema !== undefined && !schemaTypes.includes(kind)) throw reader.error(`Argument "schema" is not allowed for type "${kind}"`, `schema goes with type ${schemaTypes.join(', ')}`);
  const schemaName = schemaTypes.includes(kind) ? args.schema || 'public' : undefined;
  const objsText = args.objs ?? (kind === 'database' ? args.database : undefined);
  if (objsText === undefined || splitList(objsText).length === 0) throw reader.error(`Argument "objs" is required for type "${kind}"`);
  let privList: string[] = [];
  if (kind === 'group') {
    if (args.privs) throw reader.error('Argument "privs" is not allowed for type "group"', 'group grants membership in the roles of objs');
  } else {
    if (!args.privs) throw reader.error(`Argument "privs" is required for type "${kind}"`);
    privList = [...new Set(splitList(args.privs).map((p) => p.toUpperCase().replace(/\s+/g, ' ')).map((p) => (p === 'TEMP' ? 'TEMPORARY' : p === 'ALL PRIVILEGES' ? 'ALL' : p)))];
    if (privList.includes('ALL')) privList = ['ALL'];
  }
  let objList: string[] | 'ALL_IN_SCHEMA';
  if (objsText === 'ALL_IN_SCHEMA') {
    if (!['table', 'sequence', 'function', 'procedure'].includes(kind)) throw reader.error(`objs: ALL_IN_SCHEMA is for type table, sequence, function or procedure, not ${kind}`);
    objList = 'ALL_IN_SCHEMA';
  } else if (kind === 'default_privs') {
    objList = objsText === 'ALL_DEFAULT' ? ['TABLES', 'SEQUENCES', 'FUNCTIONS', 'TYPES'] : [...new Set(splitList(objsText).map((o) => o.toUpperCase()))];
    const bad = objList.find((o) => DEFAULT_OBJS[o] === undefined);
    if (bad) throw reader.error(`objs: '${bad}' is not a default privileges object`, `write ${Object.keys(DEFAULT_OBJS).join(', ')} or ALL_DEFAULT`);
    if (objList.includes('SCHEMAS') && schemaName !== 'not-specified') throw reader.error("objs: SCHEMAS takes no schema (ALTER DEFAULT PRIVILEGES cannot name one)", "write schema: not-specified");
    for (const o of objList) {
      const wrong = privList.find((p) => p !== 'ALL' && !DEFAULT_OBJS[o]!.privs.includes(p));
      if (wrong) throw reader.error(`privs: ${wrong} is not a privilege of default ${o} (${DEFAULT_OBJS[o]!.privs.join(', ')}, ALL)`);
    }
  } else {
    objList = splitList(objsText);
    if (kind === 'function' || kind === 'procedure') {
      objList = objList.map((o) => o.replace(/:/g, ','));
      const bad = objList.find((o) => !/^[^(]+\(.*\)$/.test(o));
      if (bad) throw reader.error(`objs: '${bad}' is not a ${kind} signature`, 'write name(argtype:argtype), or name() for none');
    }
  }
  if (kind !== 'group' && kind !== 'default_privs') {
    const valid = TYPE_PRIVS[kind];
    const wrong = privList.find((p) => p !== 'ALL' && !valid.includes(p));
    if (wrong) throw reader.error(`privs: ${wrong} is not a privilege of a ${kind.replace(/_/g, ' ')}`, `write ${[...valid.filter((p) => p !== 'MAINTAIN'), 'ALL'].join(', ')}`);
  }
  const roleList = [...new Set(splitList(args.roles).map((r) => (r.toUpperCase() === 'PUBLIC' ? 'PUBLIC' : r)))];
  if (roleList.length === 0) throw reader.error("'roles' needs a role name, or PUBLIC");
  if (kind === 'group' && roleList.includes('PUBLIC')) throw reader.error('type=group: PUBLIC cannot be a member of a role');
  const targetRoles = kind === 'default_privs' && args.target_roles ? splitList(args.target_roles) : [];
  return { ...args, kind, privList, objList, schemaName, roleList, targetRoles };
}

const json = (s: string): string => `coalesce(${s}, '[]'::json)`;
/** An ACL's entries as {grantee, priv, grantable}; PUBLIC is grantee 0. */
const aclEntries = (acl: string): string =>
  json(`(SELECT json_agg(json_build_object('grantee', CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(x.grantee) END, 'priv', x.privilege_type, 'grantable', x.is_grantable)) FROM aclexplode(${acl}) x)`);
/** Every privilege the owner has by default: what ALL means for this kind of object on this server. */
const allOf = (aclType: string, owner: string): string => json(`(SELECT json_agg(x.privilege_type) FROM aclexplode(acldefault('${aclType}', ${owner})) x WHERE x.grantee = ${owner})`);

/** The query part reading the objects' ACLs (a JSON array), or their memberships for type=group. */
function objectsQuery(a: PostgresqlPrivsParsed): string {
  if (a.kind === 'group') {
    const groups = (a.objList as string[]).map((g) => `json_build_object('name', ${pgString(g)}, 'found', EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${pgString(g)}), 'members', ${json(`(SELECT json_agg(json_build_object('member', m.rolname, 'admin', am.admin_option)) FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member WHERE g.rolname = ${pgString(g)})`)})`);
    return `json_build_array(${groups.join(', ')})`;
  }
  if (a.kind === 'default_privs') {
    const everywhere = a.schemaName === 'not-specified';
    const fors = a.targetRoles.length ? a.targetRoles.map((r) => ({ name: pgString(r), oid: `(SELECT oid FROM pg_roles WHERE rolname = ${pgString(r)})` })) : [{ name: 'current_user', oid: '(SELECT oid FROM pg_roles WHERE rolname = current_user)' }];
    const ns = everywhere ? '0' : `(SELECT oid FROM pg_namespace WHERE nspname = ${pgString(a.schemaName!)})`;
    const parts = fors.flatMap((f) => (a.objList as string[]).map((o) => {
      const d = DEFAULT_OBJS[o]!;
      // Without IN SCHEMA, a missing row means the built-in defaults; in a schema, nothing beyond them.
      const acl = `(SELECT d.defaclacl FROM pg_default_acl d WHERE d.defaclrole = ${f.oid} AND d.defaclnamespace = ${ns} AND d.defaclobjtype = '${d.objtype}')`;
      const current = everywhere ? `coalesce(${acl}, acldefault('${d.aclType}', ${f.oid}))` : acl;
      return `json_build_object('name', ${pgString(o)}, 'for', ${f.name}, 'found', ${f.oid} IS NOT NULL, 'all', ${allOf(d.aclType, f.oid)}, 'acl', ${aclEntries(current)})`;
    }));
    return `json_build_array(${parts.join(', ')})`;
  }
  const c = CATALOGS[a.kind];
  const row = `json_build_object('name', ${c.ident}, 'ident', ${c.ident}, 'found', true, 'all', ${allOf(c.aclType, c.owner)}, 'acl', ${aclEntries(`coalesce(${c.acl}, acldefault('${c.aclType}', ${c.owner}))`)})`;
  if (a.objList === 'ALL_IN_SCHEMA') return json(`(SELECT json_agg(${row} ORDER BY ${c.ident}) FROM ${c.from} WHERE ${c.inSchema!(a.schemaName!)})`);
  const one = (o: string): string => `coalesce((SELECT ${row} FROM ${c.from} WHERE ${c.match(o, a.schemaName ?? '')} LIMIT 1), json_build_object('name', ${pgString(o)}, 'found', false))`;
  return `json_build_array(${a.objList.map(one).join(', ')})`;
}

/** One read: which roles exist, whether the schema does (ALL_IN_SCHEMA), and the objects' ACLs or memberships. */
export function postgresqlPrivsProbe(a: PostgresqlPrivsParsed): { script: string; stdin: string } {
  const names = a.roleList.filter((r) => r !== 'PUBLIC');
  const roles = names.length ? json(`(SELECT json_agg(rolname) FROM pg_roles WHERE rolname IN (${names.map(pgString).join(', ')}))`) : "'[]'::json";
  const schema = a.objList === 'ALL_IN_SCHEMA' ? `EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${pgString(a.schemaName!)})` : 'true';
  const query = `SELECT json_build_object('roles', ${roles}, 'schema', ${schema}, 'objects', ${objectsQuery(a)});`;
  return { script: `${pgPrelude(a)}\n${sectionsScript({ privs: pgQuery(a.database, query) })}`, stdin: pgStdin(a) };
}

interface AclEntry {
  grantee: string;
  priv: string;
  grantable: boolean;
}
interface Found {
  roles: string[];
  schema: boolean;
  objects: { name: string; ident?: string; for?: string; found: boolean; all?: string[]; acl?: AclEntry[]; members?: { member: string; admin: boolean }[] }[];
}

const who = (role: string): string => (role === 'PUBLIC' ? 'PUBLIC' : pgIdent(role));

export function planPostgresqlPrivs(a: PostgresqlPrivsParsed, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: pgProbeFailure(parsed.error.replace("the host's state", 'the privileges'), probe, a) };
  const found = pgJson<Found>(parsed.sections.privs, { roles: [], schema: true, objects: [] });
  const fail = (msg: string): Plan => ({ changes: [], steps: [], failure: { msg } });

  const missing = a.roleList.filter((r) => r !== 'PUBLIC' && !found.roles.includes(r));
  if (missing.length && a.fail_on_role) return fail(`Role '${missing[0]}' does not exist`);
  const roles = a.roleList.filter((r) => !missing.includes(r));
  const notes = missing.map((r) => `Role '${r}' does not exist, pass it`);
  if (!found.schema) return fail(`Schema "${a.schemaName}" does not exist.`);
  const absentObj = found.objects.find((o) => !o.found);
  if (absentObj) {
    if (a.kind === 'default_privs') return fail(`Role '${absentObj.for}' does not exist (target_roles)`);
    return fail(`${a.kind === 'group' ? 'Role' : a.kind.replace(/_/g, ' ')} '${absentObj.name}' does not exist${a.schemaName && a.kind !== 'group' ? ` in schema ${a.schemaName}` : ''}`);
  }

  const sql: string[] = [];
  const changes: string[] = [];
  const add = (statement: string, change: string): void => {
    sql.push(statement);
    changes.push(change);
  };
  const grantOpt = a.kind === 'group' ? 'ADMIN OPTION' : 'GRANT OPTION';
  for (const obj of found.objects) {
    for (const role of roles) {
      if (a.kind === 'group') {
        const rows = (obj.members ?? []).filter((m) => m.member === role);
        const member = rows.length > 0;
        const admin = rows.some((m) => m.admin);
        const g = pgIdent(obj.name);
        if (a.state === 'absent') {
          if (member) add(`REVOKE ${g} FROM ${who(role)}`, `remove ${role} from ${obj.name}`);
        } else if (!member || (a.grant_option === true && !admin)) {
          add(`GRANT ${g} TO ${who(role)}${a.grant_option === true ? ' WITH ADMIN OPTION' : ''}`, `make ${role} a member of ${obj.name}${a.grant_option === true ? ' with admin option' : ''}`);
        } else if (a.grant_option === false && admin) {
          add(`REVOKE ADMIN OPTION FOR ${g} FROM ${who(role)}`, `revoke ${role}'s admin option on ${obj.name}`);
        }
        continue;
      }
      const have = new Map((obj.acl ?? []).filter((e) => e.grantee === role).map((e) => [e.priv, e.grantable]));
      const want = a.privList[0] === 'ALL' ? obj.all ?? [] : a.privList;
      const target = a.kind === 'default_privs'
        ? { pre: `ALTER DEFAULT PRIVILEGES${a.targetRoles.length ? ` FOR ROLE ${pgIdent(obj.for!)}` : ''}${a.schemaName !== 'not-specified' ? ` IN SCHEMA ${pgIdent(a.schemaName!)}` : ''} `, on: obj.name, what: `default ${obj.name.toLowerCase()}${a.targetRoles.length ? ` of ${obj.for}` : ''}` }
        : { pre: '', on: `${CATALOGS[a.kind].keyword} ${obj.ident}`, what: `${a.kind.replace(/_/g, ' ')} ${obj.name}` };
      const grant = (privs: string[], option: boolean): void =>
        add(`${target.pre}GRANT ${privs.join(', ')} ON ${target.on} TO ${who(role)}${option ? ' WITH GRANT OPTION' : ''}`, `grant ${privs.join(', ')} on ${target.what} to ${role}${option ? ' with grant option' : ''}`);
      const revoke = (privs: string[], optionOnly: boolean): void =>
        add(`${target.pre}REVOKE ${optionOnly ? `${grantOpt} FOR ` : ''}${privs.join(', ')} ON ${target.on} FROM ${who(role)}`, `revoke ${optionOnly ? 'the grant option for ' : ''}${privs.join(', ')} on ${target.what} from ${role}`);
      if (a.state === 'absent') {
        const held = want.filter((p) => have.has(p));
        if (held.length) revoke(held, false);
        continue;
      }
      // default_privs: as Ansible (which revokes ALL first), the role's default privileges become exactly privs.
      if (a.kind === 'default_privs') {
        const extra = [...have.keys()].filter((p) => !want.includes(p));
        if (extra.length) revoke(extra, false);
      }
      const toGrant = want.filter((p) => !have.has(p) || (a.grant_option === true && have.get(p) !== true));
      if (toGrant.length) grant(toGrant, a.grant_option === true);
      if (a.grant_option === false) {
        const optioned = want.filter((p) => have.get(p) === true);
        if (optioned.length) revoke(optioned, true);
      }
    }
  }
  const data = { queries: sql, ...(notes.length ? { msg: notes.join('; ') } : {}) };
  if (sql.length === 0) return { changes: [], steps: [], data };
  return { changes, steps: [pgSqlStep(a, a.database, sql)], data };
}

export const postgresqlPrivsModule: RemoteModule<PostgresqlPrivsParsed> = {
  kind: 'remote',
  name: 'postgresql_privs',
  ...specFields(postgresqlPrivsSpec),
  parse: parsePostgresqlPrivsArgs,
  probe: (a) => postgresqlPrivsProbe(a),
  plan: (a, probe) => planPostgresqlPrivs(a, probe),
};
