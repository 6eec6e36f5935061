// nagios: the external command lines of each action, the command file found and checked by the probe,
// check mode skipped, the write step run for real with /bin/sh into a FIFO read by a stand-in Nagios.
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors.js';
import { nagiosCommands, type CommandInput } from '../../../../src/modules/system/nagios-commands.js';
import { nagiosProbe, parseNagiosArgs, planNagios } from '../../../../src/modules/system/nagios.js';
import { scratchDir } from '../../../support/temp-dir.js';
import { loc } from './fixtures/context.js';
import { sections } from './fixtures/sections.js';

const base: CommandInput = { action: 'downtime', host: 'web1', author: 'Ansible', comment: 'Scheduling downtime', duration: 1800 };
const fifo = sections({ nagios: 'config=/etc/nagios4/nagios.cfg\ncmdfile=/var/lib/nagios4/rw/nagios.cmd\nexists=yes\nfifo=yes\n' });

function sh(script: string, stdin = '') {
  const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', input: stdin });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status ?? -1 };
}

describe('modules/system/nagios', () => {
  const table: [Partial<CommandInput>, string[]][] = [
    [{ services: 'host' }, ['SCHEDULE_HOST_DOWNTIME;web1;@RB_START@;@RB_END@;1;0;1800;Ansible;Scheduling downtime']],
    [{ services: 'all' }, ['SCHEDULE_HOST_SVC_DOWNTIME;web1;@RB_START@;@RB_END@;1;0;1800;Ansible;Scheduling downtime']],
    [{ services: ['httpd', 'nfs'] }, ['SCHEDULE_SVC_DOWNTIME;web1;httpd;@RB_START@;@RB_END@;1;0;1800;Ansible;Scheduling downtime', 'SCHEDULE_SVC_DOWNTIME;web1;nfs;@RB_START@;@RB_END@;1;0;1800;Ansible;Scheduling downtime']],
    [{ action: 'servicegroup_host_downtime', servicegroup: 'web' }, ['SCHEDULE_SERVICEGROUP_HOST_DOWNTIME;web;@RB_START@;@RB_END@;1;0;1800;Ansible;Scheduling downtime']],
    [{ action: 'delete_downtime', services: 'host' }, ['DEL_DOWNTIME_BY_HOST_NAME;web1;;;Scheduling downtime']],
    [{ action: 'delete_downtime', services: 'all' }, ['DEL_DOWNTIME_BY_HOST_NAME;web1;;;']],
    [{ action: 'delete_downtime', services: ['httpd'] }, ['DEL_DOWNTIME_BY_HOST_NAME;web1;httpd;;Scheduling downtime']],
    [{ action: 'acknowledge', services: 'host', comment: 'power' }, ['ACKNOWLEDGE_HOST_PROBLEM;web1;0;1;0;Ansible;power']],
    [{ action: 'acknowledge', services: ['httpd'] }, ['ACKNOWLEDGE_SVC_PROBLEM;web1;httpd;0;1;0;Ansible;Scheduling downtime']],
    [{ action: 'forced_check', services: 'all' }, ['SCHEDULE_FORCED_HOST_SVC_CHECKS;web1;@RB_CHECK@']],
    [{ action: 'forced_check', services: ['snmp'] }, ['SCHEDULE_FORCED_SVC_CHECK;web1;snmp;@RB_CHECK@']],
    [{ action: 'enable_alerts', services: ['smart'] }, ['ENABLE_SVC_NOTIFICATIONS;web1;smart']],
    [{ action: 'disable_alerts', services: 'host' }, ['DISABLE_HOST_NOTIFICATIONS;web1']],
    [{ action: 'disable_alerts', services: 'all' }, ['DISABLE_HOST_SVC_NOTIFICATIONS;web1']],
    [{ action: 'silence' }, ['DISABLE_HOST_SVC_NOTIFICATIONS;web1', 'DISABLE_HOST_NOTIFICATIONS;web1']],
    [{ action: 'unsilence' }, ['ENABLE_HOST_SVC_NOTIFICATIONS;web1', 'ENABLE_HOST_NOTIFICATIONS;web1']],
    [{ action: 'silence_nagios' }, ['DISABLE_NOTIFICATIONS']],
    [{ action: 'command', command: 'DISABLE_FAILURE_PREDICTION' }, ['DISABLE_FAILURE_PREDICTION']],
  ];
  for (const [input, lines] of table) {
    it(`${input.action ?? 'downtime'} ${JSON.stringify(input.services ?? '')} writes ${lines[0]!.split(';')[0]}`, () => {
      expect(nagiosCommands({ ...base, ...input })).to.deep.equal(lines);
    });
  }

  it('plans one step with every line on stdin, and is skipped in check mode before reading the host', () => {
    const a = parseNagiosArgs({ action: 'downtime', host: 'web1', services: 'httpd, nfs', minutes: 60 }, loc);
    expect(a.serviceList).to.deep.equal(['httpd', 'nfs']);
    const plan = planNagios(a, fifo);
    expect(plan.runsArbitraryCommand).to.equal(true);
    expect(plan.changes).to.have.length(2);
    expect(plan.steps[0]!.stdin).to.equal('[@RB_NOW@] SCHEDULE_SVC_DOWNTIME;web1;httpd;@RB_START@;@RB_END@;1;0;3600;Ansible;Scheduling downtime\n[@RB_NOW@] SCHEDULE_SVC_DOWNTIME;web1;nfs;@RB_START@;@RB_END@;1;0;3600;Ansible;Scheduling downtime\n');
    expect(plan.steps[0]!.script).to.contain("timeout 30 sh -c 'cat > \"$1\"' sh /var/lib/nagios4/rw/nagios.cmd");
    const check = planNagios(a, sections({ nagios: '' }), { check: true });
    expect(check.failure).to.equal(undefined);
    expect(check.runsArbitraryCommand).to.equal(true);
  });

  it('fails with why when the command file is not found, missing or not a FIFO', () => {
    const a = parseNagiosArgs({ action: 'silence_nagios' }, loc);
    expect(planNagios(a, sections({ nagios: '' })).failure?.msg).to.equal('unable to locate nagios.cfg: give cmdfile');
    expect(planNagios(a, sections({ nagios: 'config=/etc/nagios4/nagios.cfg\n' })).failure?.msg).to.equal('no command_file in /etc/nagios4/nagios.cfg: give cmdfile');
    expect(planNagios(a, sections({ nagios: 'cmdfile=/x\n' })).failure?.msg).to.match(/nagios command file \/x does not exist/);
    expect(planNagios(a, sections({ nagios: 'cmdfile=/x\nexists=yes\n' })).failure?.msg).to.equal('nagios command file /x is not a fifo file');
  });

  it('its probe reads command_file from the nagios.cfg given, and the step writes the lines into the FIFO with times filled in', async () => {
    const dir = scratchDir('nagios');
    const cmd = join(dir, 'nagios.cmd');
    sh(`mkfifo '${cmd}'`);
    const a = parseNagiosArgs({ action: 'downtime', host: 'web1', services: 'host', start: '1555984800', minutes: 60, cmdfile: cmd }, loc);
    const plan = planNagios(a, sh(nagiosProbe(a)));
    expect(plan.failure).to.equal(undefined);
    // A stand-in Nagios: reads the FIFO once.
    const reader = spawn('/bin/sh', ['-c', `cat '${cmd}'`]);
    let read = '';
    reader.stdout.on('data', (d: Buffer) => (read += d.toString()));
    const ended = new Promise((done) => reader.once('exit', done));
    const r = sh(plan.steps[0]!.script, plan.steps[0]!.stdin as string);
    // Once written, the reader ends by itself (end of file); stop it only when nothing was written.
    if (r.code !== 0 && reader.exitCode === null) reader.kill();
    await ended;
    expect(r.code, r.stderr).to.equal(0);
    expect(read).to.match(/^\[\d+\] SCHEDULE_HOST_DOWNTIME;web1;1555984800;1555988400;1;0;3600;Ansible;Scheduling downtime\n$/);
    expect(plan.afterApply!([r]).data?.nagios_commands).to.deep.equal([read.trim()]);
  });

  it('refuses bad arguments at the task, with its file:line:col', () => {
    expect(() => parseNagiosArgs({ action: 'downtime', host: 'web1' }, loc)).to.throw(InputError, /services/);
    expect(() => parseNagiosArgs({ action: 'command' }, loc)).to.throw(InputError, /command/);
    expect(() => parseNagiosArgs({ action: 'reboot' }, loc)).to.throw(InputError, /action/);
    expect(() => parseNagiosArgs({ action: 'downtime', host: 'web1', services: 'host,httpd' }, loc)).to.throw(InputError, /cannot be given with other services/);
    expect(() => parseNagiosArgs({ action: 'acknowledge', host: 'web1', services: 'all' }, loc)).to.throw(InputError, /not all/);
    expect(() => parseNagiosArgs({ action: 'downtime', host: 'web1', services: 'host', start: 'tomorrow' }, loc)).to.throw(InputError, /seconds since the epoch/);
    try {
      parseNagiosArgs({ action: 'command', command: 'A\n[1] SHUTDOWN_PROGRAM' }, loc);
      expect.fail('no error');
    } catch (err) {
      expect((err as InputError).describe()).to.match(/^roles\/test\/tasks\/main.yml:3:3: nagios: 'command' must be one line/);
    }
  });
});
