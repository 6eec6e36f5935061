// postgresql_db: a PostgreSQL database present (with its owner, connection limit, tablespace and
// comment), absent, or renamed, as community.postgresql's postgresql_db does, decided from one read
// of pg_database through psql on the host (pg-conn.ts).
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';
import { pgIdent, pgJson, pgLoginArgs, pgPrelude, pgProbeFailure, pgQuery, pgSqlStep, pgStdin, pgString } from './pg-conn.js';

export const postgresqlDbSpec = defineSpec({
  description: 'Makes sure a PostgreSQL database exists (with an owner, connection limit, tablespace and comment), does not exist, or is renamed, through psql on the host.',
  args: {
    name: { type: 'str', required: true, aliases: ['db', 'datname'], description: 'The database.' },
    state: {
      type: 'str',
      choices: ['present', 'absent', 'rename'],
      default: 'present',
      unsupported: { dump: 'run pg_dump in a command task (become_user: postgres)', restore: 'run pg_restore or psql in a command task (become_user: postgres)' },
      description: 'present: it exists; absent: it does not; rename: name is renamed to target (ok when only target exists).',
    },
    owner: { type: 'str', description: 'The role that owns it (set on an existing database too).' },
    template: { type: 'str', description: 'The template a new database is copied from (template0 to choose another encoding or locale).' },
    encoding: { type: 'str', description: 'Encoding of a new database (UTF8). An existing database with another encoding fails the task, as in Ansible.' },
    lc_collate: { type: 'str', description: 'LC_COLLATE of a new database; an existing one that differs fails the task.' },
    lc_ctype: { type: 'str', description: 'LC_CTYPE of a new database; an existing one that differs fails the task.' },
    conn_limit: { type: 'str', description: 'Its connection limit (-1: none).' },
    tablespace: { type: 'str', description: 'Its default tablespace (an existing database is moved).' },
    comment: { type: 'str', description: "Its comment (COMMENT ON DATABASE); '' removes it." },
    target: { type: 'str', description: 'rename: the new name.' },
    force: { type: 'bool', default: false, description: 'absent: drop it even with sessions connected (DROP DATABASE ... WITH (FORCE), PostgreSQL 13+).' },
    maintenance_db: { type: 'str', default: 'postgres', aliases: ['login_db'], description: 'The database to connect to while creating, changing or dropping this one.' },
    ...pgLoginArgs,
  },
  requiredIf: [['state', 'rename', ['target']]],
  examples: `- name: The application's database
  postgresql_db:
    name: app
    owner: app
    encoding: UTF8
    template: template0
  become: yes
  become_user: postgres

- name: No demo database
  postgresql_db:
    name: demo
    state: absent
  become: yes
  become_user: postgres`,
  returns: { executed_commands: 'The SQL run (or, in check mode, that would run).' },
});

export type PostgresqlDbArgs = ArgsOf<typeof postgresqlDbSpec>;

export function parsePostgresqlDbArgs(raw: Record<string, unknown>, loc: SourceLoc): PostgresqlDbArgs {
  const { args, reader } = parseSpec('postgresql_db', postgresqlDbSpec, raw, loc);
  if (args.name === '') throw reader.error("'name' needs a database name");
  if (args.conn_limit !== undefined && args.conn_limit !== '' && !/^-?\d+$/.test(args.conn_limit)) throw reader.error(`conn_limit '${args.conn_limit}' is not a number`);
  if (args.encoding !== undefined && !/^[A-Za-z0-9_-]*$/.test(args.encoding)) throw reader.error(`'${args.encoding}' is not an encoding name`);
  return args;
}

interface Db {
  name: string;
  encoding: string;
  lc_collate: string;
  lc_ctype: string;
  owner: string;
  conn_limit: number;
  tablespace: string;
  comment: string | null;
}

export function postgresqlDbProbe(a: PostgresqlDbArgs): { script: string; stdin: string } {
  const names = [a.name, ...(a.target ? [a.target] : [])].map(pgString).join(', ');
  const query = `SELECT coalesce(json_agg(t), '[]'::json) FROM (SELECT d.datname AS name, pg_encoding_to_char(d.encoding) AS encoding, d.datcollate AS lc_collate, d.datctype AS lc_ctype, r.rolname AS owner, d.datconnlimit AS conn_limit, s.spcname AS tablespace, shobj_description(d.oid, 'pg_database') AS comment FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba JOIN pg_tablespace s ON s.oid = d.dattablespace WHERE d.datname IN (${names})) t;`;
  return { script: `${pgPrelude(a)}\n${sectionsScript({ dbs: pgQuery(a.maintenance_db, query) })}`, stdin: pgStdin(a) };
}

function createSql(a: PostgresqlDbArgs): string {
  const parts = [`CREATE DATABASE ${pgIdent(a.name)}`];
  if (a.owner) parts.push(`OWNER ${pgIdent(a.owner)}`);
  if (a.template) parts.push(`TEMPLATE ${pgIdent(a.template)}`);
  if (a.encoding) parts.push(`ENCODING ${pgString(a.encoding)}`);
  if (a.lc_collate) parts.push(`LC_COLLATE ${pgString(a.lc_collate)}`);
  if (a.lc_ctype) parts.push(`LC_CTYPE ${pgString(a.lc_ctype)}`);
  if (a.conn_limit) parts.push(`CONNECTION LIMIT ${Number(a.conn_limit)}`);
  if (a.tablespace) parts.push(`TABLESPACE ${pgIdent(a.tablespace)}`);
  return parts.join(' ');
}

const norm = (e: string): string => e.toUpperCase().replace(/[-_]/g, '');

export function planPostgresqlDb(a: PostgresqlDbArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: pgProbeFailure(parsed.error.replace("the host's state", 'the databases'), probe, a) };
  const dbs = pgJson<Db[]>(parsed.sections.dbs, []);
  const db = dbs.find((d) => d.name === a.name);
  const sql: string[] = [];
  const changes: string[] = [];
  const done = (): Plan => (sql.length ? { changes, steps: [pgSqlStep(a, a.maintenance_db, sql)], data: { executed_commands: sql } } : { changes: [], steps: [], data: { executed_commands: [] } });
  if (a.state === 'absent') {
    if (db) {
      sql.push(`DROP DATABASE ${pgIdent(a.name)}${a.force ? ' WITH (FORCE)' : ''}`);
      changes.push(`drop database ${a.name}`);
    }
    return done();
  }
  if (a.state === 'rename') {
    const target = dbs.find((d) => d.name === a.target);
    if (!db && target) return done();
    if (!db) return { changes: [], steps: [], failure: { msg: `The source and the target databases do not exist: ${a.name}, ${a.target}` } };
    if (target) return { changes: [], steps: [], failure: { msg: `Both the source and the target databases exist: ${a.name}, ${a.target}` } };
    sql.push(`ALTER DATABASE ${pgIdent(a.name)} RENAME TO ${pgIdent(a.target!)}`);
    changes.push(`rename database ${a.name} to ${a.target}`);
    return done();
  }
  if (!db) {
    sql.push(createSql(a));
    changes.push(`create database ${a.name}`);
    if (a.comment) sql.push(`COMMENT ON DATABASE ${pgIdent(a.name)} IS ${pgString(a.comment)}`);
    return done();
  }
  if (a.encoding && norm(a.encoding) !== norm(db.encoding)) return { changes: [], steps: [], failure: { msg: `Changing database encoding is not supported. Current encoding: ${db.encoding}` } };
  if (a.lc_collate && a.lc_collate !== db.lc_collate) return { changes: [], steps: [], failure: { msg: `Changing LC_COLLATE is not supported. Current LC_COLLATE: ${db.lc_collate}` } };
  if (a.lc_ctype && a.lc_ctype !== db.lc_ctype) return { changes: [], steps: [], failure: { msg: `Changing LC_CTYPE is not supported. Current LC_CTYPE: ${db.lc_ctype}` } };
  if (a.owner && a.owner !== db.owner) {
    sql.push(`ALTER DATABASE ${pgIdent(a.name)} OWNER TO ${pgIdent(a.owner)}`);
    changes.push(`set ${a.name}'s owner to ${a.owner}`);
  }
  if (a.conn_limit && Number(a.conn_limit) !== db.conn_limit) {
    sql.push(`ALTER DATABASE ${pgIdent(a.name)} CONNECTION LIMIT ${Number(a.conn_limit)}`);
    changes.push(`set ${a.name}'s connection limit to ${a.conn_limit}`);
  }
  if (a.tablespace && a.tablespace !== db.tablespace) {
    sql.push(`ALTER DATABASE ${pgIdent(a.name)} SET TABLESPACE ${pgIdent(a.tablespace)}`);
    changes.push(`move ${a.name} to tablespace ${a.tablespace}`);
  }
  if (a.comment !== undefined && a.comment !== (db.comment ?? '')) {
    sql.push(`COMMENT ON DATABASE ${pgIdent(a.name)} IS ${a.comment === '' ? 'NULL' : pgString(a.comment)}`);
    changes.push(`set ${a.name}'s comment`);
  }
  return done();
}

export const postgresqlDbModule: RemoteModule<PostgresqlDbArgs> = {
  kind: 'remote',
  name: 'postgresql_db',
  ...specFields(postgresqlDbSpec),
  parse: parsePostgresqlDbArgs,
  probe: (a) => postgresqlDbProbe(a),
  plan: (a, probe) => planPostgresqlDb(a, probe),
};
