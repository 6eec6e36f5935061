// mysql_replication: a MariaDB/MySQL server's replication, as community.mysql's mysql_replication
// does: read the primary's binary log position or the replica's status, point a replica at its
// primary, start, stop or reset it. Through the host's `mysql` client (mysql-conn.ts); the replication
// password travels in the SQL on stdin, never on a command line, and is masked in `queries`.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule, Step } from '../types.js';
import { batchRows, loginArgs, loginPrelude, loginStdin, probeFailure, sqlString } from './mysql-conn.js';

const MODES = ['getprimary', 'getreplica', 'changeprimary', 'startreplica', 'stopreplica', 'resetprimary', 'resetreplica', 'resetreplicaall'] as const;
type Mode = (typeof MODES)[number];

/** The names community.mysql used before 3.0; they still run, and getmaster/getslave register the old Is_Master/Is_Slave keys too. */
const OLD_MODES: Record<string, Mode> = {
  getmaster: 'getprimary',
  getslave: 'getreplica',
  changemaster: 'changeprimary',
  startslave: 'startreplica',
  stopslave: 'stopreplica',
  resetmaster: 'resetprimary',
  resetslave: 'resetreplica',
  resetslaveall: 'resetreplicaall',
};

export const mysqlReplicationSpec = defineSpec({
  description: "Reads a MariaDB/MySQL primary's binary log position or a replica's status, points a replica at its primary, starts, stops or resets it, through the mysql client on the host.",
  args: {
    mode: {
      type: 'str',
      choices: [...MODES, ...Object.keys(OLD_MODES)],
      default: 'getreplica',
      description:
        'getprimary: SHOW MASTER STATUS (registers File, Position, Is_Primary); getreplica: SHOW REPLICA STATUS (its columns, Is_Replica); changeprimary: CHANGE MASTER TO with the primary_* arguments (always a change, as in Ansible); startreplica/stopreplica: START/STOP REPLICA, a change only when the replica threads are not already so; resetprimary: RESET MASTER; resetreplica: RESET REPLICA; resetreplicaall: RESET REPLICA ALL. The pre-3.0 names (getmaster, getslave, changemaster, startslave, stopslave, resetmaster, resetslave, resetslaveall) are accepted.',
    },
    primary_host: { type: 'str', aliases: ['master_host'], description: 'MASTER_HOST: the primary to replicate from.' },
    primary_user: { type: 'str', aliases: ['master_user'], description: 'MASTER_USER: the replication account on the primary.' },
    primary_password: { type: 'str', noLog: true, aliases: ['master_password'], description: "MASTER_PASSWORD: its password. Sent in the SQL on stdin, never on a command line; shown as '********' in queries." },
    primary_port: { type: 'int', max: 65535, aliases: ['master_port'], description: 'MASTER_PORT.' },
    primary_connect_retry: { type: 'int', aliases: ['master_connect_retry'], description: 'MASTER_CONNECT_RETRY: seconds between connection attempts.' },
    primary_retry_count: { type: 'int', description: 'MASTER_RETRY_COUNT.' },
    primary_heartbeat_period: { type: 'int', description: 'MASTER_HEARTBEAT_PERIOD, in seconds.' },
    primary_bind: { type: 'str', description: 'MASTER_BIND: the network interface to replicate through.' },
    primary_log_file: { type: 'str', aliases: ['master_log_file'], description: "MASTER_LOG_FILE: the primary's binary log to start from (File from getprimary)." },
    primary_log_pos: { type: 'int', aliases: ['master_log_pos'], description: 'MASTER_LOG_POS: the position in it (Position from getprimary).' },
    relay_log_file: { type: 'str', description: 'RELAY_LOG_FILE.' },
    relay_log_pos: { type: 'int', description: 'RELAY_LOG_POS.' },
    primary_ssl: { type: 'bool', aliases: ['master_ssl'], description: 'MASTER_SSL: replicate over TLS only.' },
    primary_ssl_ca: { type: 'str', aliases: ['master_ssl_ca'], description: 'MASTER_SSL_CA: a CA certificate file on the replica.' },
    primary_ssl_capath: { type: 'str', aliases: ['master_ssl_capath'], description: 'MASTER_SSL_CAPATH.' },
    primary_ssl_cert: { type: 'str', aliases: ['master_ssl_cert'], description: 'MASTER_SSL_CERT: the replica\'s client certificate.' },
    primary_ssl_key: { type: 'str', aliases: ['master_ssl_key'], description: 'MASTER_SSL_KEY: its key file (a path, not a secret).' },
    primary_ssl_cipher: { type: 'str', aliases: ['master_ssl_cipher'], description: 'MASTER_SSL_CIPHER: colon-separated ciphers.' },
    primary_ssl_crl: { type: 'str', description: 'MASTER_SSL_CRL.' },
    primary_ssl_crlpath: { type: 'str', description: 'MASTER_SSL_CRLPATH.' },
    primary_ssl_verify_server_cert: { type: 'bool', default: false, description: "MASTER_SSL_VERIFY_SERVER_CERT=1: check the primary's certificate name." },
    primary_auto_position: { type: 'bool', default: false, aliases: ['master_auto_position'], description: 'MASTER_AUTO_POSITION=1: MySQL GTID-based positioning.' },
    primary_use_gtid: { type: 'str', choices: ['current_pos', 'replica_pos', 'slave_pos', 'disabled'], aliases: ['master_use_gtid'], description: "MariaDB's MASTER_USE_GTID (disabled: no)." },
    primary_delay: { type: 'int', aliases: ['master_delay'], description: "MASTER_DELAY: seconds the replica stays behind the primary." },
    ignore_server_ids: { type: 'list', description: 'IGNORE_SERVER_IDS: server ids whose events are ignored.' },
    do_domain_ids: { type: 'list', description: "MariaDB's DO_DOMAIN_IDS." },
    ignore_domain_ids: { type: 'list', description: "MariaDB's IGNORE_DOMAIN_IDS." },
    connection_name: { type: 'str', description: "MariaDB multi-source replication: the connection's name." },
    channel: { type: 'str', description: 'MySQL multi-source replication: the channel (FOR CHANNEL).' },
    fail_on_error: {
      type: 'bool',
      default: false,
      description: 'startreplica, stopreplica and the resets: fail when the server refuses the statement; false (as in Ansible): the task is ok, not changed, with the error in msg.',
    },
    ...loginArgs,
  },
  mutuallyExclusive: [['connection_name', 'channel']],
  examples: `- name: Where the primary's binary log is
  mysql_replication:
    mode: getprimary
  delegate_to: db1
  register: primary

- name: Point the replica at it
  mysql_replication:
    mode: changeprimary
    primary_host: db1.example.com
    primary_user: replicator
    primary_password: "{{ replication_password }}"
    primary_log_file: "{{ primary.File }}"
    primary_log_pos: "{{ primary.Position }}"

- name: Replicating
  mysql_replication:
    mode: startreplica

- name: Is it?
  mysql_replication:
    mode: getreplica
  register: replica`,
  returns: {
    queries: "The statements run (or, in check mode, that would run), the password shown as '********'.",
    Is_Primary: 'getprimary: whether the server writes a binary log (then File, Position, Binlog_Do_DB, Binlog_Ignore_DB). getmaster also sets Is_Master.',
    Is_Replica: 'getreplica: whether the server is a replica (then every column of SHOW REPLICA STATUS: Slave_IO_Running, Seconds_Behind_Master, ...). getslave also sets Is_Slave.',
  },
  checkMode: 'Reads as usual (get modes run in check mode); the statements that change the server are reported, not run.',
});

export type MysqlReplicationArgs = ArgsOf<typeof mysqlReplicationSpec> & { mode: Mode; oldMode: boolean };

const NAME = /^[A-Za-z0-9_.-]+$/;

export function parseMysqlReplicationArgs(raw: Record<string, unknown>, loc: SourceLoc): MysqlReplicationArgs {
  const { args, reader } = parseSpec('mysql_replication', mysqlReplicationSpec, raw, loc);
  const mode = OLD_MODES[args.mode] ?? (args.mode as Mode);
  for (const key of ['connection_name', 'channel'] as const) {
    const v = args[key];
    if (v !== undefined && !NAME.test(v)) throw reader.error(`${key} '${v}' is not a name (letters, digits, _ . -)`);
  }
  for (const key of ['ignore_server_ids', 'do_domain_ids', 'ignore_domain_ids'] as const) {
    for (const id of args[key] ?? []) if (!/^\d+$/.test(id)) throw reader.error(`${key}: '${id}' is not a number`);
  }
  return { ...args, mode, oldMode: args.mode in OLD_MODES };
}

/** SHOW statements with column names: the first row of a `--batch` table. */
function showRows(text: string | undefined): Record<string, string>[] {
  const rows = batchRows(text);
  const header = rows[0];
  if (!header) return [];
  return rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** A column as Ansible's driver returns it: numbers as numbers, NULL as null. */
function typed(v: string): string | number | null {
  if (v === 'NULL') return null;
  return /^-?\d{1,15}$/.test(v) ? Number(v) : v;
}

/** The connection's name in a statement: MariaDB's 'name' after the keyword, MySQL's FOR CHANNEL after it all. */
function target(a: MysqlReplicationArgs): { name: string; channel: string } {
  return { name: a.connection_name ? ` ${sqlString(a.connection_name)}` : '', channel: a.channel ? ` FOR CHANNEL ${sqlString(a.channel)}` : '' };
}

/**
 * What the mode needs to read: the primary's status, or the replica's. REPLICA is the word since
 * MariaDB 10.5.1 and MySQL 8.0.22, SLAVE before; the client tries the first, then the second.
 */
export function mysqlReplicationProbe(a: MysqlReplicationArgs): { script: string; stdin: string } {
  const { name, channel } = target(a);
  const read = (...statements: string[]): string =>
    statements.map((s) => `printf '%s\\n' ${shQuote(`${s};`)} | rb_mysql --column-names 2>/dev/null`).join(' || ') +
    ` || { printf '%s\\n' ${shQuote(`${statements[0]};`)} | rb_mysql --column-names || exit 1; }`;
  const parts: Record<string, string> = { version: `printf '%s\\n' 'SELECT VERSION();' | rb_mysql || exit 1` };
  if (a.mode === 'getprimary') parts.primary = read('SHOW MASTER STATUS', 'SHOW BINARY LOG STATUS');
  if (a.mode === 'getreplica' || a.mode === 'startreplica' || a.mode === 'stopreplica') {
    parts.replica = read(`SHOW REPLICA${name} STATUS${channel}`, `SHOW SLAVE${name} STATUS${channel}`);
  }
  return { script: `${loginPrelude(a)}\n${sectionsScript(parts)}`, stdin: loginStdin(a) };
}

/** Whether the server takes REPLICA (MariaDB 10.5.1+, MySQL 8.0.22+) or only SLAVE. */
export function replicaWord(version: string): 'REPLICA' | 'SLAVE' {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return 'REPLICA';
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  const atLeast = (min: number[]): boolean => v[0]! !== min[0]! ? v[0]! > min[0]! : v[1]! !== min[1]! ? v[1]! > min[1]! : v[2]! >= min[2]!;
  return /mariadb/i.test(version) ? (atLeast([10, 5, 1]) ? 'REPLICA' : 'SLAVE') : atLeast([8, 0, 22]) ? 'REPLICA' : 'SLAVE';
}

const MASK = '********';

/** CHANGE MASTER TO's settings from the primary_* arguments, in community.mysql's order; `shown` masks the password. */
function changeSettings(a: MysqlReplicationArgs, word: 'REPLICA' | 'SLAVE'): { sql: string[]; shown: string[] } {
  const sql: string[] = [];
  const shown: string[] = [];
  const text = (key: string, v: string | undefined, secret = false): void => {
    if (v === undefined) return;
    sql.push(`${key}=${sqlString(v)}`);
    shown.push(`${key}=${secret ? `'${MASK}'` : sqlString(v)}`);
  };
  const num = (key: string, v: number | boolean | undefined): void => {
    if (v === undefined) return;
    const s = `${key}=${typeof v === 'boolean' ? (v ? 1 : 0) : v}`;
    sql.push(s);
    shown.push(s);
  };
  const ids = (key: string, v: string[] | undefined): void => {
    if (!v || v.length === 0) return;
    const s = `${key}=(${v.join(',')})`;
    sql.push(s);
    shown.push(s);
  };
  text('MASTER_BIND', a.primary_bind);
  text('MASTER_HOST', a.primary_host);
  text('MASTER_USER', a.primary_user);
  text('MASTER_PASSWORD', a.primary_password, true);
  num('MASTER_PORT', a.primary_port);
  num('MASTER_HEARTBEAT_PERIOD', a.primary_heartbeat_period);
  num('MASTER_CONNECT_RETRY', a.primary_connect_retry);
  num('MASTER_RETRY_COUNT', a.primary_retry_count);
  text('MASTER_LOG_FILE', a.primary_log_file);
  num('MASTER_LOG_POS', a.primary_log_pos);
  num('MASTER_DELAY', a.primary_delay);
  text('RELAY_LOG_FILE', a.relay_log_file);
  num('RELAY_LOG_POS', a.relay_log_pos);
  num('MASTER_SSL', a.primary_ssl);
  text('MASTER_SSL_CA', a.primary_ssl_ca);
  text('MASTER_SSL_CAPATH', a.primary_ssl_capath);
  text('MASTER_SSL_CERT', a.primary_ssl_cert);
  text('MASTER_SSL_CRL', a.primary_ssl_crl);
  text('MASTER_SSL_CRLPATH', a.primary_ssl_crlpath);
  text('MASTER_SSL_KEY', a.primary_ssl_key);
  text('MASTER_SSL_CIPHER', a.primary_ssl_cipher);
  if (a.primary_ssl_verify_server_cert) num('MASTER_SSL_VERIFY_SERVER_CERT', true);
  if (a.primary_auto_position) num('MASTER_AUTO_POSITION', true);
  if (a.primary_use_gtid !== undefined) {
    const gtid = a.primary_use_gtid === 'disabled' ? 'no' : a.primary_use_gtid === 'replica_pos' && word === 'SLAVE' ? 'slave_pos' : a.primary_use_gtid;
    sql.push(`MASTER_USE_GTID=${gtid}`);
    shown.push(`MASTER_USE_GTID=${gtid}`);
  }
  ids('IGNORE_SERVER_IDS', a.ignore_server_ids);
  ids('DO_DOMAIN_IDS', a.do_domain_ids);
  ids('IGNORE_DOMAIN_IDS', a.ignore_domain_ids);
  return { sql, shown };
}

const allCodes = Array.from({ length: 256 }, (_, i) => i);

/**
 * The step for one statement that Ansible runs and reports unchanged when the server refuses it
 * (unless fail_on_error): its exit code is read after, not fatal.
 */
function statementStep(a: MysqlReplicationArgs, sql: string, shown: string, done: string, refused: string): Pick<Plan, 'steps' | 'afterApply'> {
  const step: Step = { script: `${loginPrelude(a)}\nrb_mysql`, stdin: loginStdin(a, `${sql};\n`), okCodes: allCodes };
  return {
    steps: [step],
    afterApply: (results) => {
      const r = results[0];
      if (r && r.code === 0) return { data: { queries: [shown], msg: done } };
      const why = r?.stderr.trim() || `exit code ${r?.code}`;
      if (a.fail_on_error) return { data: { queries: [shown], msg: why }, failed: `${shown} failed: ${why}` };
      return { data: { queries: [shown], msg: `${refused}: ${why}` }, unchanged: true };
    },
  };
}

/** Whether a replica thread column says it runs ('Yes', or 'Connecting' for the IO thread). */
function running(status: Record<string, string>, thread: 'IO' | 'SQL'): boolean {
  const v = status[`Slave_${thread}_Running`] ?? status[`Replica_${thread}_Running`] ?? 'No';
  return v !== 'No' && v !== '';
}

export function planMysqlReplication(a: MysqlReplicationArgs, probe: ExecResult, ctx?: Pick<ModuleContext, 'addSecret'>): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: probeFailure(parsed.error.replace("the host's state", 'the replication status'), probe, a) };
  const version = (parsed.sections.version ?? '').trim();
  const word = replicaWord(version);
  const { name, channel } = target(a);
  if (a.primary_password !== undefined && ctx) ctx.addSecret(a.primary_password);
  switch (a.mode) {
    case 'getprimary': {
      const row = showRows(parsed.sections.primary)[0];
      const old = a.oldMode ? (v: boolean): Record<string, boolean> => ({ Is_Master: v }) : (): Record<string, boolean> => ({});
      if (!row) return { changes: [], steps: [], data: { queries: [], Is_Primary: false, ...old(false), msg: 'Server is not configured as mysql primary' } };
      return { changes: [], steps: [], data: { queries: [], ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typed(v)])), Is_Primary: true, ...old(true) } };
    }
    case 'getreplica': {
      const row = showRows(parsed.sections.replica)[0];
      const old = a.oldMode ? (v: boolean): Record<string, boolean> => ({ Is_Slave: v }) : (): Record<string, boolean> => ({});
      if (!row) return { changes: [], steps: [], data: { queries: [], Is_Replica: false, ...old(false), msg: 'Server is not configured as mysql replica' } };
      return { changes: [], steps: [], data: { queries: [], ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typed(v)])), Is_Replica: true, ...old(true) } };
    }
    case 'startreplica':
    case 'stopreplica': {
      const start = a.mode === 'startreplica';
      const row = showRows(parsed.sections.replica)[0];
      const sql = `${start ? 'START' : 'STOP'} ${word}${name}${channel}`;
      if (!row) {
        const msg = `the server is not a replica (no ${word} STATUS${a.connection_name ? ` for connection ${a.connection_name}` : ''}${a.channel ? ` for channel ${a.channel}` : ''}): run mode=changeprimary first`;
        if (!start) return { changes: [], steps: [], data: { queries: [], msg: 'Replica already stopped' } };
        // As in Ansible, a replica that cannot start is not a failure unless fail_on_error.
        if (a.fail_on_error) return { changes: [], steps: [], data: { queries: [] }, failure: { msg } };
        return { changes: [], steps: [], data: { queries: [], msg: `Replica already started (Or cannot be started): ${msg}` } };
      }
      const io = running(row, 'IO');
      const sqlThread = running(row, 'SQL');
      if (start && io && sqlThread) return { changes: [], steps: [], data: { queries: [], msg: 'Replica already started' } };
      if (!start && !io && !sqlThread) return { changes: [], steps: [], data: { queries: [], msg: 'Replica already stopped' } };
      return {
        changes: [start ? 'start the replica' : 'stop the replica'],
        data: { queries: [sql] },
        ...statementStep(a, sql, sql, start ? 'Replica started' : 'Replica stopped', start ? 'Replica already started (Or cannot be started)' : 'Replica already stopped'),
      };
    }
    case 'changeprimary': {
      const { sql, shown } = changeSettings(a, word);
      if (sql.length === 0) return { changes: [], steps: [], failure: { msg: 'changeprimary needs at least one primary_* setting (primary_host, primary_log_file, ...)' } };
      const statement = `CHANGE MASTER${name} TO ${sql.join(', ')}${channel}`;
      const display = `CHANGE MASTER${name} TO ${shown.join(', ')}${channel}`;
      const where = a.primary_host ? ` to ${a.primary_host}` : '';
      return {
        changes: [`point the replica${where}`],
        steps: [{ script: `${loginPrelude(a)}\nrb_mysql`, stdin: loginStdin(a, `${statement};\n`) }],
        data: { queries: [display] },
      };
    }
    case 'resetprimary':
    case 'resetreplica':
    case 'resetreplicaall': {
      const sql = a.mode === 'resetprimary' ? 'RESET MASTER' : `RESET ${word}${name}${a.mode === 'resetreplicaall' ? ' ALL' : ''}${channel}`;
      const primary = a.mode === 'resetprimary';
      return {
        changes: [primary ? "reset the primary's binary logs" : a.mode === 'resetreplicaall' ? "reset the replica and forget its primary" : 'reset the replica'],
        data: { queries: [sql] },
        ...statementStep(a, sql, sql, primary ? 'Primary reset' : 'Replica reset', primary ? 'Primary already reset' : 'Replica already reset'),
      };
    }
  }
}

export const mysqlReplicationModule: RemoteModule<MysqlReplicationArgs> = {
  kind: 'remote',
  name: 'mysql_replication',
  ...specFields(mysqlReplicationSpec),
  parse: parseMysqlReplicationArgs,
  probe: (a) => mysqlReplicationProbe(a),
  plan: (a, probe, ctx) => planMysqlReplication(a, probe, ctx),
};
