// cron plans from canned crontabs: a table of arguments and crontab text mapped to the crontab the
// task installs, with Ansible 2.14's rules (the `#Ansible: NAME` marker, env lines, cron_file).
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { cronModule, cronProbe, parseCronArgs, planCron } from '../../../../src/modules/system/cron.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { loc } from './fixtures/context.js';

function sections(parts: Record<string, string>): ExecResult {
  const body = Object.entries(parts).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

/** A host whose user crontab is `text` (null: no crontab yet, `crontab -l` exits 1). */
function userTab(text: string | null, tools = 'crontab=yes\nuser=yes\n'): ExecResult {
  return sections({ tools, tab: text === null ? 'rc=1\n' : `rc=0\n${Buffer.from(text).toString('base64')}\n` });
}

/** A host where the cron file holds `text` (null: no such file). */
function cronFile(text: string | null): ExecResult {
  if (text === null) return sections({ tools: 'crontab=yes\nuser=yes\n', file: 'parent=dir\n', 'file.content': '' });
  const stat = `stat=regular file|644|0|0|root|root|${text.length}|1700000000\n`;
  return sections({ tools: 'crontab=yes\nuser=yes\n', file: `parent=dir\n${stat}readable=1\nwritable=1\n`, 'file.content': `read\n${Buffer.from(text).toString('base64')}\n` });
}

/** A crontab Ansible wrote: its markers, a variable on top, and a line a person added. */
const ANSIBLE_WROTE = `PATH="/usr/bin:/bin"
#Ansible: backup
0 3 * * * /usr/local/bin/backup
# a comment someone added
*/10 * * * * /usr/local/bin/poll
#Ansible: report
30 6 * * 1 /usr/local/bin/report
`;

/** [what, args, crontab before, crontab after (null: nothing written)]. */
const table: [string, Record<string, unknown>, string | null, string | null][] = [
  ['adds a job to an empty crontab', { name: 'clean', job: '/bin/clean', minute: '5' }, null, '#Ansible: clean\n5 * * * * /bin/clean\n'],
  ['leaves the same job alone', { name: 'clean', job: '/bin/clean', minute: '5' }, '#Ansible: clean\n5 * * * * /bin/clean\n', null],
  ['takes over a crontab Ansible wrote without duplicating its job', { name: 'backup', job: '/usr/local/bin/backup', minute: '0', hour: '3' }, ANSIBLE_WROTE, null],
  ['changes the time of a job Ansible wrote, in place', { name: 'backup', job: '/usr/local/bin/backup', minute: '15', hour: '3' }, ANSIBLE_WROTE, ANSIBLE_WROTE.replace('0 3 * * * /usr/local/bin/backup', '15 3 * * * /usr/local/bin/backup')],
  ['adopts the exact line found without a marker, giving it one', { name: 'poll', job: '/usr/local/bin/poll', minute: '*/10' }, ANSIBLE_WROTE, ANSIBLE_WROTE.replace('*/10 * * * *', '#Ansible: poll\n*/10 * * * *')],
  ['removes a job and its marker', { name: 'report', state: 'absent' }, ANSIBLE_WROTE, ANSIBLE_WROTE.replace('#Ansible: report\n30 6 * * 1 /usr/local/bin/report\n', '')],
  ['removes nothing that is not there', { name: 'gone', state: 'absent' }, ANSIBLE_WROTE, null],
  ['removes nothing from no crontab', { name: 'gone', state: 'absent' }, null, null],
  ['writes special_time', { name: 'boot', job: '/bin/boot', special_time: 'reboot' }, null, '#Ansible: boot\n@reboot /bin/boot\n'],
  ['comments out a disabled job', { name: 'backup', job: '/usr/local/bin/backup', minute: '0', hour: '3', disabled: true }, ANSIBLE_WROTE, ANSIBLE_WROTE.replace('0 3 * * * /usr/local/bin/backup', '#0 3 * * * /usr/local/bin/backup')],
  ['adds a variable on top', { name: 'MAILTO', env: true, job: 'ops@example.com' }, ANSIBLE_WROTE, `MAILTO="ops@example.com"\n${ANSIBLE_WROTE}`],
  ['adds a variable after another', { name: 'SHELL', env: true, job: '/bin/bash', insertafter: 'PATH' }, ANSIBLE_WROTE, ANSIBLE_WROTE.replace('PATH="/usr/bin:/bin"\n', 'PATH="/usr/bin:/bin"\nSHELL="/bin/bash"\n')],
  ['adds a variable before another', { name: 'SHELL', env: true, job: '/bin/bash', insertbefore: 'PATH' }, ANSIBLE_WROTE, `SHELL="/bin/bash"\n${ANSIBLE_WROTE}`],
  ['changes a variable where it is', { name: 'PATH', env: true, job: '/opt/bin:/usr/bin:/bin' }, ANSIBLE_WROTE, ANSIBLE_WROTE.replace('PATH="/usr/bin:/bin"', 'PATH="/opt/bin:/usr/bin:/bin"')],
  ['leaves the same variable alone', { name: 'PATH', env: true, value: '/usr/bin:/bin' }, ANSIBLE_WROTE, null],
  ['removes a variable', { name: 'PATH', env: true, state: 'absent' }, ANSIBLE_WROTE, ANSIBLE_WROTE.replace('PATH="/usr/bin:/bin"\n', '')],
  ['adds the last newline a crontab lacks, changing nothing else', { name: 'clean', job: '/bin/clean' }, '#Ansible: clean\n* * * * * /bin/clean', '#Ansible: clean\n* * * * * /bin/clean\n'],
];

describe('modules/system/cron', () => {
  for (const [what, raw, before, after] of table) {
    it(what, () => {
      const plan = planCron(parseCronArgs(raw, loc), userTab(before), { diff: true });
      expect(plan.failure).to.equal(undefined);
      if (after === null) {
        expect(plan.changes).to.deep.equal([]);
        expect(plan.steps).to.deep.equal([]);
        return;
      }
      expect(plan.changes).to.have.length(1);
      expect(plan.steps).to.have.length(1);
      expect(plan.steps[0]!.script).to.match(/rb_ct -$/);
      expect(plan.steps[0]!.stdin).to.equal(after);
      expect(plan.diffs).to.deep.equal([{ path: 'crontab', before: before ?? '', after }]);
    });
  }

  it("installs with crontab -u for another user, reading and writing through stdin", () => {
    const a = parseCronArgs({ name: 'x', job: '/bin/x', user: 'www-data' }, loc);
    expect(cronProbe(a)).to.contain(`crontab -u www-data "$@"`).and.to.contain('rb_ct -l').and.to.contain("id -u www-data");
    const plan = planCron(a, userTab(null), { diff: true });
    expect(plan.steps[0]!.script).to.contain('crontab -u www-data "$@"');
    expect(plan.diffs![0]!.path).to.equal('crontab for user "www-data"');
    expect(plan.data).to.deep.include({ jobs: ['x'], envs: [] });
  });

  it('reports the jobs and variables the crontab holds', () => {
    const plan = planCron(parseCronArgs({ name: 'backup', job: '/usr/local/bin/backup', minute: '0', hour: '3' }, loc), userTab(ANSIBLE_WROTE), { diff: false });
    expect(plan.data).to.deep.equal({ jobs: ['backup', 'report'], envs: ['PATH'] });
  });

  it('writes a cron_file job with its user field, as a 0644 file in /etc/cron.d', () => {
    const plan = planCron(parseCronArgs({ name: 'queue', cron_file: 'app-queue', user: 'www-data', minute: '*/5', job: '/srv/drain' }, loc), cronFile(null), { diff: true });
    expect(plan.changes).to.deep.equal(["set job 'queue' in /etc/cron.d/app-queue"]);
    expect(plan.steps[0]!.stdin?.toString()).to.equal('#Ansible: queue\n*/5 * * * * www-data /srv/drain\n');
    expect(plan.steps[0]!.script).to.contain("dest=/etc/cron.d/app-queue").and.to.contain("chmod 0644");
    expect(plan.provides).to.deep.equal([{ kind: 'path', path: '/etc/cron.d/app-queue' }]);
    expect(plan.data).to.deep.include({ cron_file: 'app-queue' });
  });

  it('leaves a cron_file job as it is, and removes the file once its last job goes', () => {
    const text = '#Ansible: queue\n*/5 * * * * www-data /srv/drain\n';
    const same = planCron(parseCronArgs({ name: 'queue', cron_file: 'app-queue', user: 'www-data', minute: '*/5', job: '/srv/drain' }, loc), cronFile(text), { diff: false });
    expect(same.changes).to.deep.equal([]);
    const gone = planCron(parseCronArgs({ name: 'queue', cron_file: 'app-queue', state: 'absent' }, loc), cronFile(text), { diff: true });
    expect(gone.changes).to.deep.equal(["remove job 'queue' and the now empty /etc/cron.d/app-queue"]);
    expect(gone.steps[0]!.script).to.match(/rm -f -- "\$rb_name"$/);
    expect(gone.diffs).to.deep.equal([{ path: '/etc/cron.d/app-queue', before: text, after: '' }]);
    const none = planCron(parseCronArgs({ name: 'queue', cron_file: 'app-queue', state: 'absent' }, loc), cronFile(null), { diff: false });
    expect(none.changes).to.deep.equal([]);
  });

  it('keeps a backup of the old crontab first, and returns its path', () => {
    const plan = planCron(parseCronArgs({ name: 'clean', job: '/bin/clean', backup: true }, loc), userTab(ANSIBLE_WROTE), { diff: false });
    expect(plan.steps).to.have.length(2);
    expect(plan.steps[0]!.stdin).to.equal(ANSIBLE_WROTE);
    expect(plan.steps[0]!.script).to.contain('umask 077').and.to.contain('crontabXXXXXXXX');
    const ok = { stderr: '', code: 0 };
    expect(plan.afterApply!([{ ...ok, stdout: 'backup_file=/tmp/crontabAbc\n' }, { ...ok, stdout: '' }]).data).to.deep.include({ backup_file: '/tmp/crontabAbc' });
  });

  it('drops the header some crons print with crontab -l', () => {
    const headed = '# DO NOT EDIT THIS FILE - edit the master and reinstall.\n# (/tmp/crontab.x installed on Mon)\n# (Cron version -- $Id$)\n#Ansible: a\n* * * * * /bin/a\n';
    const plan = planCron(parseCronArgs({ name: 'a', job: '/bin/a' }, loc), userTab(headed), { diff: false });
    expect(plan.changes).to.deep.equal([]);
  });

  it('forecasts instead of failing when the user or cron comes from an earlier task', () => {
    const noUser = planCron(parseCronArgs({ name: 'a', job: '/bin/a', user: 'app' }, loc), sections({ tools: 'crontab=yes\n', tab: 'rc=1\n' }), { diff: false });
    expect(noUser.failure).to.deep.equal({ msg: 'user app does not exist on this host', needs: [{ kind: 'user', name: 'app' }] });
    const noCron = planCron(parseCronArgs({ name: 'a', job: '/bin/a' }, loc), sections({ tools: '', tab: '' }), { diff: false });
    expect(noCron.failure?.needs).to.deep.equal([{ kind: 'package', name: 'cron' }]);
    const absent = planCron(parseCronArgs({ name: 'a', state: 'absent', user: 'app' }, loc), sections({ tools: 'crontab=yes\n', tab: 'rc=1\n' }), { diff: false });
    expect(absent.changes).to.deep.equal([]);
  });

  it('says why the crontab could not be read', () => {
    const plan = planCron(parseCronArgs({ name: 'a', job: '/bin/a' }, loc), sections({ tools: 'crontab=yes\n', tab: 'rc=2\nerror=must be privileged to use -u \n' }), { diff: false });
    expect(plan.failure?.msg).to.equal('Unable to read crontab: must be privileged to use -u');
  });

  it('fails when the variable to insert after is not there', () => {
    const plan = planCron(parseCronArgs({ name: 'A', env: true, job: '1', insertafter: 'NOPE' }, loc), userTab(ANSIBLE_WROTE), { diff: false });
    expect(plan.failure?.msg).to.equal("Variable named 'NOPE' not found.");
  });

  it('refuses bad arguments at the task', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ job: '/bin/a' }, /'name' is required/],
      [{ name: 'a' }, /You must specify 'job'/],
      [{ name: 'a', job: '/bin/a', special_time: 'daily', hour: '3' }, /time and date fields or special time/],
      [{ name: 'a', job: '/bin/a', cron_file: 'x' }, /must specify user=/],
      [{ name: 'a', job: '/bin/a', cron_file: '/etc/crontab', user: 'root' }, /will not manage \/etc\/crontab/],
      [{ name: 'a', job: '/bin/a', cron_file: 'app.cron', user: 'root' }, /would be ignored by cron/],
      [{ name: 'a', job: 'one\ntwo' }, /must be one line/],
      [{ name: 'a', job: '/bin/a', insertafter: 'PATH' }, /valid only with env=yes/],
      [{ name: 'A B', env: true, job: '1' }, /Invalid name for environment variable/],
      [{ name: 'a', job: '/bin/a', insertafter: 'X', insertbefore: 'Y', env: true }, /insertafter.*insertbefore|insertbefore.*insertafter/],
      [{ name: 'a', job: '/bin/a', minute: '1 2' }, /not a crontab time field/],
      [{ name: 'a', job: '/bin/a', special_time: 'sometimes' }, /special_time/],
      [{ name: 'a', job: '/bin/a', user: '-rf' }, /not a user name/],
    ];
    for (const [raw, message] of bad) expect(() => parseCronArgs(raw, loc), JSON.stringify(raw)).to.throw(InputError, message);
    expect(() => cronModule.parse({ name: 'a', job: 'x', minutes: '1' }, loc)).to.throw(InputError, /has no argument 'minutes'/);
  });

  it('reads aliases: value for job, dom and dow', () => {
    const a = parseCronArgs({ name: 'a', value: '/bin/a', dom: '1', dow: '2' }, loc);
    expect(planCron(a, userTab(null), { diff: false }).steps[0]!.stdin).to.equal('#Ansible: a\n* * 1 * 2 /bin/a\n');
  });
});
