// mysql_db: databases present or absent, dumped to or imported from a file, as community.mysql's
// mysql_db does, through the host's `mysql` client (mysql-conn.ts), decided from one read of
// information_schema.SCHEMATA.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule, Step } from '../types.js';
import { batchRows, loginArgs, probeFailure, loginPrelude, loginStdin, sqlIdent, sqlString } from './mysql-conn.js';

export const mysqlDbSpec = defineSpec({
  description: 'Makes sure MariaDB/MySQL databases exist or do not, or dumps them to a file or imports one, through the mysql client on the host.',
  args: {
    name: { type: 'list', required: true, aliases: ['db'], description: "The databases. With dump and import, 'all' is every database." },
    state: {
      type: 'str',
      choices: ['present', 'absent', 'dump', 'import'],
      default: 'present',
      description: 'present: they exist (an existing database keeps its encoding, as in Ansible); absent: they do not; dump: written to target with mysqldump (always a change); import: target is run into the database, created first when missing (always a change).',
    },
    target: { type: 'str', description: 'The dump file on the host (dump, import). A name ending in .gz, .bz2 or .xz is compressed (dump) or decompressed (import) with that tool.' },
    encoding: { type: 'str', default: '', description: 'Character set of a database created (utf8mb4); empty: the server default.' },
    collation: { type: 'str', default: '', description: 'Collation of a database created (utf8mb4_general_ci); empty: the default of its character set.' },
    single_transaction: { type: 'bool', default: false, description: 'dump: --single-transaction (a consistent InnoDB dump without locking).' },
    quick: { type: 'bool', default: true, description: 'dump: --quick (rows streamed, not buffered).' },
    hex_blob: { type: 'bool', default: false, description: 'dump: --hex-blob.' },
    skip_lock_tables: { type: 'bool', default: false, description: 'dump: --skip-lock-tables.' },
    ignore_tables: { type: 'list', default: [], description: 'dump: tables left out, each as db.table.' },
    force: { type: 'bool', default: false, description: 'dump and import: go on after an SQL error (--force).' },
    dump_extra_args: { type: 'str', description: 'dump: more mysqldump options, as one string split on spaces.' },
    ...loginArgs,
  },
  requiredIf: [['state', 'dump', ['target']], ['state', 'import', ['target']]],
  examples: `- name: The application's database
  mysql_db:
    name: app
    encoding: utf8mb4
    collation: utf8mb4_general_ci
    login_unix_socket: /run/mysqld/mysqld.sock

- name: A nightly-style dump
  mysql_db:
    name: app
    state: dump
    target: /var/backups/app.sql.gz

- name: Seed it from a dump
  mysql_db:
    name: app
    state: import
    target: /srv/app/schema.sql`,
  returns: {
    db: 'The databases, separated by spaces (as in Ansible).',
    db_list: 'The databases, as a list.',
    executed_commands: 'The SQL run (present, absent), or the dump/import command.',
  },
});

export type MysqlDbArgs = ArgsOf<typeof mysqlDbSpec>;

const WORD = /^[A-Za-z0-9_]+$/;

export function parseMysqlDbArgs(raw: Record<string, unknown>, loc: SourceLoc): MysqlDbArgs {
  const { args, reader } = parseSpec('mysql_db', mysqlDbSpec, raw, loc);
  if (args.name.length === 0 || args.name.some((n) => n === '')) throw reader.error("'name' needs at least one database name");
  if (args.name.includes('all') && (args.state === 'present' || args.state === 'absent')) throw reader.error("name 'all' is only for state=dump and state=import", 'list the databases by name');
  if (args.name.includes('all') && args.name.length > 1) throw reader.error("name 'all' cannot be listed with other databases");
  if (args.encoding !== '' && !WORD.test(args.encoding)) throw reader.error(`'${args.encoding}' is not a character set name`);
  if (args.collation !== '' && !WORD.test(args.collation)) throw reader.error(`'${args.collation}' is not a collation name`);
  for (const t of args.ignore_tables) if (!/^[^.\s]+\.[^.\s]+$/.test(t)) throw reader.error(`ignore_tables: '${t}' is not db.table`);
  return args;
}

/** Which of the databases exist, with their character set and collation. */
export function mysqlDbProbe(a: MysqlDbArgs): { script: string; stdin: string } {
  const names = a.name.includes('all') ? [] : a.name;
  const query = names.length
    ? `SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (${names.map(sqlString).join(', ')});`
    : 'SELECT 1;';
  return {
    script: `${loginPrelude(a)}\n${sectionsScript({ dbs: `printf '%s\\n' ${shQuote(query)} | rb_mysql || exit 1` })}`,
    stdin: loginStdin(a),
  };
}

/** The step that runs `sql` with the task's login. */
function sqlStep(a: MysqlDbArgs, sql: string[]): Step {
  return { script: `${loginPrelude(a)}\nrb_mysql`, stdin: loginStdin(a, `${sql.join(';\n')};\n`) };
}

const COMPRESSORS: Record<string, string> = { '.gz': 'gzip', '.bz2': 'bzip2', '.xz': 'xz' };

function compressor(target: string): string | undefined {
  const ext = Object.keys(COMPRESSORS).find((e) => target.endsWith(e));
  return ext ? COMPRESSORS[ext] : undefined;
}

/** mysqldump into a private temporary file beside target, renamed over it once complete. */
function dumpStep(a: MysqlDbArgs): { step: Step; command: string } {
  const opts: string[] = [];
  if (a.single_transaction) opts.push('--single-transaction');
  if (a.quick) opts.push('--quick');
  if (a.hex_blob) opts.push('--hex-blob');
  if (a.skip_lock_tables) opts.push('--skip-lock-tables');
  if (a.force) opts.push('--force');
  for (const t of a.ignore_tables) opts.push(`--ignore-table=${t}`);
  if (a.dump_extra_args) opts.push(...a.dump_extra_args.split(/\s+/).filter(Boolean));
  const dbs = a.name.includes('all') ? ['--all-databases'] : a.name.length > 1 ? ['--databases', ...a.name] : ['--', ...a.name];
  const words = [...opts, ...dbs].map(shQuote).join(' ');
  const zip = compressor(a.target!);
  const command = `mysqldump ${words}${zip ? ` | ${zip}` : ''} > ${a.target}`;
  const script = [
    loginPrelude(a),
    `rb_target=${shQuote(a.target!)}`,
    'rb_tmp=$(umask 077; mktemp "$(dirname -- "$rb_target")/.runbook-dump.XXXXXXXXXX") || exit 1',
    `trap 'rm -f -- "$rb_my" "$rb_tmp"' EXIT`,
    // pipefail is not in every /bin/sh: the dump's exit status is kept by hand.
    zip
      ? `{ rb_mysqldump ${words} || echo $? > "$rb_tmp.rc"; } | ${zip} > "$rb_tmp" || exit 1; if [ -f "$rb_tmp.rc" ]; then rm -f -- "$rb_tmp.rc"; exit 1; fi`
      : `rb_mysqldump ${words} > "$rb_tmp" || exit 1`,
    'mv -fT -- "$rb_tmp" "$rb_target"',
  ].join('\n');
  return { step: { script, stdin: loginStdin(a) }, command };
}

const DECOMPRESSORS: Record<string, string> = { gzip: 'gzip -dc', bzip2: 'bzip2 -dc', xz: 'xz -dc' };

function importStep(a: MysqlDbArgs, create: string[]): { step: Step; command: string } {
  const zip = compressor(a.target!);
  const reader = zip ? `${DECOMPRESSORS[zip]} -- "$rb_target"` : 'cat -- "$rb_target"';
  const db = a.name.includes('all') ? '' : ` ${shQuote(a.name[0]!)}`;
  const force = a.force ? ' --force' : '';
  const script = [
    loginPrelude(a),
    `rb_target=${shQuote(a.target!)}`,
    '[ -f "$rb_target" ] || { printf "target %s does not exist\\n" "$rb_target" >&2; exit 1; }',
    ...(create.length ? [`printf '%s\\n' ${shQuote(create.map((c) => `${c};`).join('\n'))} | rb_mysql || exit 1`] : []),
    `${reader} | rb_mysql${force}${db}`,
  ].join('\n');
  return { step: { script, stdin: loginStdin(a) }, command: `mysql${force}${db} < ${a.target}` };
}

function createSql(a: MysqlDbArgs, db: string): string {
  return `CREATE DATABASE ${sqlIdent(db)}${a.encoding ? ` CHARACTER SET ${a.encoding}` : ''}${a.collation ? ` COLLATE ${a.collation}` : ''}`;
}

export function planMysqlDb(a: MysqlDbArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: probeFailure(parsed.error.replace("the host's state", 'the databases'), probe, a) };
  const existing = new Set(batchRows(parsed.sections.dbs).map((r) => r[0]!));
  const all = a.name.includes('all');
  const data = { db: a.name.join(' '), db_list: a.name };
  const missing = all ? [] : a.name.filter((n) => !existing.has(n));
  const present = a.name.filter((n) => existing.has(n));
  switch (a.state) {
    case 'present': {
      if (missing.length === 0) return { changes: [], steps: [], data: { ...data, executed_commands: [] } };
      const sql = missing.map((n) => createSql(a, n));
      return { changes: missing.map((n) => `create database ${n}`), steps: [sqlStep(a, sql)], data: { ...data, executed_commands: sql } };
    }
    case 'absent': {
      if (present.length === 0) return { changes: [], steps: [], data: { ...data, executed_commands: [] } };
      const sql = present.map((n) => `DROP DATABASE ${sqlIdent(n)}`);
      return { changes: present.map((n) => `drop database ${n}`), steps: [sqlStep(a, sql)], data: { ...data, executed_commands: sql } };
    }
    case 'dump': {
      if (missing.length) return { changes: [], steps: [], data, failure: { msg: `cannot dump database(s) ${missing.join(', ')}: not found` } };
      const { step, command } = dumpStep(a);
      return { changes: [`dump ${all ? 'all databases' : a.name.join(', ')} to ${a.target}`], steps: [step], data: { ...data, executed_commands: [command] }, provides: [{ kind: 'path', path: a.target! }] };
    }
    case 'import': {
      if (!all && a.name.length > 1) return { changes: [], steps: [], data, failure: { msg: 'import takes one database (or all)' } };
      const create = missing.map((n) => createSql(a, n));
      const { step, command } = importStep(a, create);
      return { changes: [`import ${a.target} into ${all ? 'the server' : a.name[0]}`], steps: [step], data: { ...data, executed_commands: [...create, command] } };
    }
  }
}

export const mysqlDbModule: RemoteModule<MysqlDbArgs> = {
  kind: 'remote',
  name: 'mysql_db',
  ...specFields(mysqlDbSpec),
  parse: parseMysqlDbArgs,
  probe: (a) => mysqlDbProbe(a),
  plan: (a, probe) => planMysqlDb(a, probe),
};
