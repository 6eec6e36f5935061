// mysql_replication plans from canned client output: the status it registers, the statements each
// mode would run (and only when the replica is not already so), the password only in the SQL on stdin.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { mysqlReplicationModule, mysqlReplicationProbe, parseMysqlReplicationArgs, planMysqlReplication, replicaWord } from '../../../../src/modules/system/mysql_replication.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { loc } from './fixtures/context.js';

function sections(parts: Record<string, string>): ExecResult {
  const body = Object.entries(parts).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const sqlOf = (stdin: unknown): string => {
  const text = String(stdin);
  return text.slice(text.indexOf('@@runbook-end-login@@\n') + '@@runbook-end-login@@\n'.length);
};

const MARIADB = '10.11.6-MariaDB-0+deb12u1';
const primaryStatus = 'File\tPosition\tBinlog_Do_DB\tBinlog_Ignore_DB\nmysql-bin.000003\t1234\t\t\n';
const replicaStatus = (io: string, sql: string): string =>
  `Slave_IO_State\tMaster_Host\tMaster_Port\tSlave_IO_Running\tSlave_SQL_Running\tSeconds_Behind_Master\nWaiting for master\tdb1\t3306\t${io}\t${sql}\tNULL\n`;
const plan = (raw: Record<string, unknown>, parts: Record<string, string>, secrets: string[] = []) =>
  planMysqlReplication(parseMysqlReplicationArgs(raw, loc), sections({ version: `${MARIADB}\n`, ...parts }), { addSecret: (s) => secrets.push(s) });

describe('modules/system/mysql_replication', () => {
  it('getprimary registers the binary log position, numbers as numbers', () => {
    const p = plan({ mode: 'getprimary' }, { primary: primaryStatus });
    expect(p.changes).to.deep.equal([]);
    expect(p.data).to.deep.equal({ queries: [], File: 'mysql-bin.000003', Position: 1234, Binlog_Do_DB: '', Binlog_Ignore_DB: '', Is_Primary: true });
  });

  it('getprimary on a server without a binary log says so', () => {
    expect(plan({ mode: 'getprimary' }, { primary: '' }).data).to.deep.equal({ queries: [], Is_Primary: false, msg: 'Server is not configured as mysql primary' });
  });

  it('the old names run the same modes and register the old keys too', () => {
    expect(plan({ mode: 'getmaster' }, { primary: primaryStatus }).data).to.include({ Is_Primary: true, Is_Master: true });
    expect(plan({ mode: 'getslave' }, { replica: '' }).data).to.include({ Is_Replica: false, Is_Slave: false });
  });

  it('getreplica registers every status column, NULL as null', () => {
    const p = plan({ mode: 'getreplica' }, { replica: replicaStatus('Yes', 'Yes') });
    expect(p.data).to.deep.include({ Is_Replica: true, Master_Host: 'db1', Master_Port: 3306, Slave_IO_Running: 'Yes', Seconds_Behind_Master: null });
  });

  it('getreplica is the default mode and reads SHOW REPLICA STATUS, then SHOW SLAVE STATUS', () => {
    const probe = mysqlReplicationProbe(parseMysqlReplicationArgs({}, loc));
    expect(probe.script).to.contain('SHOW REPLICA STATUS;').and.to.contain('SHOW SLAVE STATUS;').and.to.contain('--column-names');
    const named = mysqlReplicationProbe(parseMysqlReplicationArgs({ connection_name: 'east' }, loc));
    expect(named.script).to.contain("SHOW REPLICA '\\''east'\\'' STATUS;");
  });

  it('startreplica starts only a stopped replica', () => {
    const p = plan({ mode: 'startreplica' }, { replica: replicaStatus('No', 'No') });
    expect(p.changes).to.deep.equal(['start the replica']);
    expect(sqlOf(p.steps[0]!.stdin)).to.equal('START REPLICA;\n');
    expect(plan({ mode: 'startreplica' }, { replica: replicaStatus('Yes', 'Yes') }).changes).to.deep.equal([]);
    expect(plan({ mode: 'startreplica' }, { replica: replicaStatus('Connecting', 'Yes') }).changes).to.deep.equal([]);
    expect(plan({ mode: 'startreplica' }, { replica: replicaStatus('Yes', 'No') }).changes).to.deep.equal(['start the replica']);
  });

  it('stopreplica stops only a running one; an old server gets SLAVE', () => {
    expect(plan({ mode: 'stopreplica' }, { replica: replicaStatus('No', 'No') }).changes).to.deep.equal([]);
    const old = planMysqlReplication(parseMysqlReplicationArgs({ mode: 'stopslave' }, loc), sections({ version: '10.3.39-MariaDB\n', replica: replicaStatus('Yes', 'Yes') }));
    expect(sqlOf(old.steps[0]!.stdin)).to.equal('STOP SLAVE;\n');
  });

  it('startreplica on a server that is no replica: ok as in Ansible, failed with fail_on_error', () => {
    const p = plan({ mode: 'startreplica' }, { replica: '' });
    expect(p.failure).to.equal(undefined);
    expect(p.changes).to.deep.equal([]);
    expect(String(p.data?.msg)).to.match(/^Replica already started \(Or cannot be started\)/);
    expect(plan({ mode: 'startreplica', fail_on_error: true }, { replica: '' }).failure?.msg).to.match(/not a replica/);
  });

  it('a refused START is unchanged, or failed with fail_on_error', () => {
    const p = plan({ mode: 'startreplica' }, { replica: replicaStatus('No', 'No') });
    const refused = { stdout: '', stderr: 'ERROR 1200 (HY000): Misconfigured slave', code: 1 };
    expect(p.afterApply!([refused])).to.deep.include({ unchanged: true });
    const strict = plan({ mode: 'startreplica', fail_on_error: true }, { replica: replicaStatus('No', 'No') });
    expect(strict.afterApply!([refused]).failed).to.match(/START REPLICA failed: ERROR 1200/);
  });

  it('changeprimary sends the password only on stdin and masks it in queries', () => {
    const secrets: string[] = [];
    const p = plan({
      mode: 'changemaster', master_host: 'db1', master_user: 'repl', master_password: "pa'ss", master_log_file: 'mysql-bin.000003', master_log_pos: '1234', primary_use_gtid: 'disabled',
    }, {}, secrets);
    const sql = "CHANGE MASTER TO MASTER_HOST='db1', MASTER_USER='repl', MASTER_PASSWORD='pa''ss', MASTER_LOG_FILE='mysql-bin.000003', MASTER_LOG_POS=1234, MASTER_USE_GTID=no";
    expect(sqlOf(p.steps[0]!.stdin)).to.equal(`${sql};\n`);
    expect(p.steps[0]!.script).not.to.contain('pa');
    expect(p.data?.queries).to.deep.equal([sql.replace("'pa''ss'", "'********'")]);
    expect(secrets).to.deep.equal(["pa'ss"]);
    expect(p.changes).to.deep.equal(['point the replica to db1']);
  });

  it('changeprimary names the connection (MariaDB) or channel (MySQL)', () => {
    const named = plan({ mode: 'changeprimary', primary_host: 'db1', connection_name: 'east' }, {});
    expect(sqlOf(named.steps[0]!.stdin)).to.equal("CHANGE MASTER 'east' TO MASTER_HOST='db1';\n");
    const channel = plan({ mode: 'changeprimary', primary_host: 'db1', channel: 'c1', primary_ssl: true }, {});
    expect(sqlOf(channel.steps[0]!.stdin)).to.equal("CHANGE MASTER TO MASTER_HOST='db1', MASTER_SSL=1 FOR CHANNEL 'c1';\n");
  });

  it('resets are always a change', () => {
    expect(sqlOf(plan({ mode: 'resetprimary' }, {}).steps[0]!.stdin)).to.equal('RESET MASTER;\n');
    expect(sqlOf(plan({ mode: 'resetreplicaall' }, {}).steps[0]!.stdin)).to.equal('RESET REPLICA ALL;\n');
  });

  it('knows which servers say REPLICA', () => {
    expect(replicaWord('10.11.6-MariaDB-0+deb12u1')).to.equal('REPLICA');
    expect(replicaWord('10.5.0-MariaDB')).to.equal('SLAVE');
    expect(replicaWord('8.0.22')).to.equal('REPLICA');
    expect(replicaWord('5.7.44-log')).to.equal('SLAVE');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseMysqlReplicationArgs({ mode: 'getmastr' }, loc)).to.throw(InputError, /mode/);
    expect(() => parseMysqlReplicationArgs({ connection_name: 'a', channel: 'b' }, loc)).to.throw(InputError);
    expect(() => parseMysqlReplicationArgs({ connection_name: "a'; DROP" }, loc)).to.throw(InputError, /not a name/);
    expect(() => parseMysqlReplicationArgs({ mode: 'changeprimary', master_log_pos: 'x' }, loc)).to.throw(InputError);
    expect(() => mysqlReplicationModule.parse({ mode: 'getreplica', primary_hots: 'x' }, loc)).to.throw(InputError, /has no argument 'primary_hots'/);
    expect(plan({ mode: 'changeprimary' }, {}).failure?.msg).to.match(/needs at least one primary_\* setting/);
  });
});
