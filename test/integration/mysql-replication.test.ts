// mysql_replication between two lab hosts running Debian's MariaDB, driven the way geerlingguy's
// mysql role drives it: the replica reads its status (getreplica), and when it is none yet reads the
// primary's binary log position (getprimary, delegated to the primary), points itself there
// (changeprimary) and starts (startreplica). A database made on the primary then reaches the replica,
// a second run reports changed=0, and the replication password never shows in the output.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, resetHost, type Lab } from './lab/fixture.js';
import { describeRun, runbook, totalChanged, type CliRun } from './support/runbook.js';

const PASSWORD = 'rb-Repl#pw "q" 9';

function site(primaryAddress: string): unknown[] {
  const server = {
    name: 'MariaDB with a binary log',
    hosts: 'all',
    gather_facts: false,
    tasks: [
      { name: 'MariaDB installed', apt: { name: 'mariadb-server', state: 'present' } },
      {
        name: 'replication settings',
        copy: {
          dest: '/etc/mysql/mariadb.conf.d/70-replication.cnf',
          content: '[mysqld]\nserver_id = {{ server_id }}\nlog_bin = mysql-bin\nbind-address = 0.0.0.0\n',
        },
        register: 'cnf',
      },
      { name: 'MariaDB running', service: { name: 'mariadb', state: 'started' } },
      { name: 'MariaDB restarted for new settings', service: { name: 'mariadb', state: 'restarted' }, when: 'cnf is changed' },
    ],
  };
  const primary = {
    name: 'primary',
    hosts: 'primary',
    gather_facts: false,
    tasks: [
      {
        name: 'replication account',
        mysql_user: { name: 'rbrepl', host: '%', password: '{{ repl_password }}', priv: '*.*:REPLICATION SLAVE,REPLICATION CLIENT', tls_requires: {}, column_case_sensitive: false },
      },
    ],
  };
  const replica = {
    name: 'replica',
    hosts: 'replica',
    gather_facts: false,
    tasks: [
      { name: 'replica status', mysql_replication: { mode: 'getreplica' }, register: 'replica_status' },
      { name: 'primary position', mysql_replication: { mode: 'getprimary' }, delegate_to: 'db1', register: 'primary_status', when: 'not replica_status.Is_Replica' },
      {
        name: 'point the replica at the primary',
        mysql_replication: {
          mode: 'changeprimary',
          primary_host: primaryAddress,
          primary_user: 'rbrepl',
          primary_password: '{{ repl_password }}',
          primary_log_file: '{{ primary_status.File }}',
          primary_log_pos: '{{ primary_status.Position }}',
        },
        when: 'not replica_status.Is_Replica',
        register: 'pointed',
      },
      { name: 'what was run', debug: { var: 'pointed.queries' }, when: 'not replica_status.Is_Replica' },
      { name: 'replicating', mysql_replication: { mode: 'startreplica' } },
    ],
  };
  return [server, primary, replica];
}

function sql(lab: Lab, host: string, query: string): Promise<string> {
  return onHost(lab, host, 'mysql -N -B', { input: `${query}\n` }).then((r) => {
    if (r.code !== 0) throw new Error(`${host}: ${query}: ${r.stderr}`);
    return r.stdout;
  });
}

describe('mysql_replication between two lab hosts (MariaDB)', function () {
  this.timeout(900_000);
  let lab: Lab;
  let work: string;
  let inventory: string;

  const apply = (file: string, extra: string[] = []): Promise<CliRun> =>
    runbook(['apply', file, '-i', inventory, '--json', '-e', JSON.stringify({ repl_password: PASSWORD }), ...extra]);
  const write = (name: string, plays: unknown[]): string => {
    const file = join(work, name);
    writeFileSync(file, stringify(plays));
    return file;
  };

  before(async () => {
    lab = await getLab({ hosts: [{ name: 'db1', groups: ['primary'] }, { name: 'db2', groups: ['replica'] }] });
    await Promise.all([resetHost(lab, 'db1'), resetHost(lab, 'db2')]);
    work = mkdtempSync(join(tmpdir(), 'runbook-replication-'));
    inventory = join(work, 'inventory.yml');
    const host = (i: number, id: number) => ({ ansible_host: lab.hosts[i]!.address, server_id: id });
    writeFileSync(inventory, stringify({
      all: {
        vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile },
        children: { primary: { hosts: { db1: host(0, 1) } }, replica: { hosts: { db2: host(1, 2) } } },
      },
    }));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('sets up replication as the mysql role does, then reports changed=0', async () => {
    const play = write('site.yml', site(lab.hosts[0]!.address));
    const first = await apply(play);
    expect(first.code, describeRun(first)).to.equal(0);
    expect(first.stdout).not.to.include('Repl#pw');
    expect(first.stdout).to.include("MASTER_PASSWORD='********'");

    // The replica has caught up with the primary's position once MASTER_POS_WAIT returns 0 or more.
    await sql(lab, 'db1', 'CREATE DATABASE rbreplicated');
    const [file, pos] = (await sql(lab, 'db1', 'SHOW MASTER STATUS')).split('\t');
    expect(Number(await sql(lab, 'db2', `SELECT MASTER_POS_WAIT('${file}', ${pos}, 120)`))).to.be.at.least(0);
    expect(await sql(lab, 'db2', "SHOW DATABASES LIKE 'rbreplicated'")).to.equal('rbreplicated\n');

    const again = await apply(play);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again), JSON.stringify(again.events.filter((e) => e.type === 'host_result' && e.status === 'changed'))).to.equal(0);
  });

  it('registers the status, and stops only a running replica (check mode runs nothing)', async () => {
    const status = write('status.yml', [{
      name: 'status',
      hosts: 'replica',
      gather_facts: false,
      tasks: [
        { name: 'replica', mysql_replication: { mode: 'getslave' }, register: 'r' },
        { name: 'facts', assert: { that: ['r.Is_Replica', 'r.Is_Slave', "r.Slave_SQL_Running == 'Yes'", 'r.Read_Master_Log_Pos > 0'] } },
        { name: 'primary', mysql_replication: { mode: 'getprimary' }, delegate_to: 'db1', register: 'p' },
        { name: 'its position', assert: { that: ['p.Is_Primary', "'mysql-bin' in p.File"] } },
      ],
    }]);
    const read = await apply(status);
    expect(read.code, describeRun(read)).to.equal(0);
    expect(totalChanged(read)).to.equal(0);

    const stop = write('stop.yml', [{ name: 'stop', hosts: 'replica', gather_facts: false, tasks: [{ name: 'stop', mysql_replication: { mode: 'stopreplica' } }] }]);
    const check = await apply(stop, ['--check']);
    expect(totalChanged(check), describeRun(check)).to.equal(1);
    expect(await sql(lab, 'db2', "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVE_RUNNING'")).to.equal('ON\n');
    expect(totalChanged(await apply(stop))).to.equal(1);
    expect(await sql(lab, 'db2', "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'SLAVE_RUNNING'")).to.equal('OFF\n');
    expect(totalChanged(await apply(stop))).to.equal(0);
  });
});
