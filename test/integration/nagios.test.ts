// nagios on a lab host running Debian's nagios4 (the core, with its localhost objects): the command
// file is found from /etc/nagios4/nagios.cfg, the lines written reach Nagios, which logs each
// external command it reads; check mode writes nothing; every real run writes again (not idempotent).
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { oneHostLab, type OneHost } from './support/one-host.js';
import { MONITORING_PACKAGES } from './support/monitoring-host.js';
import { describeRun, totalChanged } from './support/runbook.js';

const FIFO = '/var/lib/nagios4/rw/nagios.cmd';
const LOG = '/var/log/nagios4/nagios.log';

describe('nagios on a lab host, against a real Nagios 4 command file', function () {
  this.timeout(900_000);
  let h: OneHost;

  /** Waits (bounded) until Nagios logged the external command PATTERN (a grep -E), and returns the matching lines. */
  const logged = (pattern: string): Promise<string> =>
    h.sh(`for i in $(seq 150); do grep -E ${JSON.stringify(`EXTERNAL COMMAND: ${pattern}`)} ${LOG} && exit 0; sleep 0.2; done; exit 1`);

  before(async () => {
    h = await oneHostLab({ host: 'mon1', prefix: 'nagios', extraPackages: MONITORING_PACKAGES });
    writeFileSync(join(h.work, 'ansible.cfg'), '[defaults]\n');
    await h.sh(`systemctl restart nagios4 && for i in $(seq 100); do [ -p ${FIFO} ] && exit 0; sleep 0.2; done; exit 1`);
  });

  after(() => h.cleanup());

  it('--check skips the task and writes nothing', async () => {
    const run = await h.play('check', [{ nagios: { action: 'disable_alerts', host: 'localhost', services: 'host' } }], '--check', '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(run.recap.mon1?.skipped).to.equal(1);
    expect(await h.sh(`grep -c 'EXTERNAL COMMAND' ${LOG} || true`)).to.equal('0\n');
  });

  it('schedules an hour of downtime for two services, from the host clock; a re-run writes again', async () => {
    const task = { nagios: { action: 'downtime', host: 'localhost', services: 'Current Load, HTTP', minutes: 60, comment: 'runbook lab' } };
    const run = await h.play('downtime', [task], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(1);
    const lines = await logged('SCHEDULE_SVC_DOWNTIME;localhost;HTTP;');
    const m = /SCHEDULE_SVC_DOWNTIME;localhost;HTTP;(\d+);(\d+);1;0;3600;Ansible;runbook lab$/m.exec(lines);
    expect(m, lines).to.not.equal(null);
    expect(Number(m![2]) - Number(m![1])).to.equal(3600);
    await logged('SCHEDULE_SVC_DOWNTIME;localhost;Current Load;');
    const again = await h.play('downtime', [task], '--json');
    expect(totalChanged(again)).to.equal(1);
  });

  it('disables and enables the host\'s alerts', async () => {
    const run = await h.play('alerts', [
      { nagios: { action: 'disable_alerts', host: 'localhost', service: 'host' } },
      { nagios: { action: 'unsilence', host: 'localhost' } },
    ], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(2);
    await logged('DISABLE_HOST_NOTIFICATIONS;localhost');
    await logged('ENABLE_HOST_SVC_NOTIFICATIONS;localhost');
    await logged('ENABLE_HOST_NOTIFICATIONS;localhost');
  });

  it('fails when cmdfile is not a FIFO', async () => {
    await h.sh('touch /tmp/not-a-fifo');
    const run = await h.play('nofifo', [{ nagios: { action: 'silence_nagios', cmdfile: '/tmp/not-a-fifo' } }], '--json');
    expect(run.code).to.equal(2);
    expect(describeRun(run)).to.contain('nagios command file /tmp/not-a-fifo is not a fifo file');
  });
});
