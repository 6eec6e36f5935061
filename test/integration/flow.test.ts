// The flow modules on one lab host: script with creates (changed, then ok), raw, a poll: 0 job
// waited for with async_status, add_host and group_by used by later plays, and fail stopping a
// host with exit 2; --check on the bare host changes nothing.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { RunEvent } from '../../src/executor/events.js';
import { onHost, type Lab } from './lab/fixture.js';
import { oneHostLab } from './support/one-host.js';
import { describeRun, runbook, totalChanged } from './support/runbook.js';

const STATE = 'ls -A /srv/rbflow 2>/dev/null | tr "\\n" " "; echo; cat /srv/rbflow/* 2>/dev/null; ls -A /root/.ansible_async 2>/dev/null | wc -l';

function results(events: RunEvent[], task: string): Extract<RunEvent, { type: 'host_result' }>[] {
  return events.filter((e): e is Extract<RunEvent, { type: 'host_result' }> => e.type === 'host_result' && e.task === task);
}

describe('flow modules on a lab host (script, raw, async, add_host, group_by, fail)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let cleanup = (): void => {};
  let site: string;

  before(async () => {
    ({ lab, work, inventory, cleanup } = await oneHostLab({ host: 'flow1', prefix: 'flow' }));
    await onHost(lab, 'flow1', 'rm -rf /srv/rbflow /root/.ansible_async');
    // The playbook is Ansible content: its {{ }} values are Jinja2 (group_names | join).
    writeFileSync(join(work, 'runbook.cfg'), '[defaults]\ntemplate_dialect = jinja2\n');
    mkdirSync(join(work, 'files'));
    writeFileSync(join(work, 'files', 'mk.sh'), '#!/bin/sh\nset -e\nmkdir -p "$1"\nprintf "%s\\n" "$2" > "$1/made"\necho "made in $(pwd)"\n');
    site = join(work, 'site.yml');
    writeFileSync(site, stringify([
      {
        name: 'flow', hosts: 'all', gather_facts: false,
        tasks: [
          { name: 'script once', script: 'mk.sh /srv/rbflow "from script"', args: { creates: '/srv/rbflow/made', chdir: '/tmp' }, register: 'made' },
          { name: 'raw read', raw: 'cat /srv/rbflow/made 2>/dev/null || echo none', register: 'rawout', changed_when: false },
          { name: 'long job', shell: 'sleep 2; echo async-done > /srv/rbflow/async; echo finished', args: { creates: '/srv/rbflow/async' }, async: 60, poll: 0, register: 'job' },
          {
            // Nothing was started in check mode: there is no job to wait for (as with Ansible).
            name: 'the job', when: 'not ansible_check_mode',
            block: [
              { name: 'wait for the job', async_status: { jid: '{{ job.ansible_job_id }}' }, register: 'st', until: 'st.finished', retries: 60, delay: 1 },
              { name: 'what the job said', debug: { msg: 'job-stdout={{ st.stdout }} finished={{ st.finished }}' } },
              { name: 'job cleanup', async_status: { jid: '{{ job.ansible_job_id }}', mode: 'cleanup' } },
            ],
          },
          { name: 'an alias for the next play', add_host: { name: 'flowalias', groups: ['aliases'], ansible_host: '{{ ansible_host }}', alias_note: 'via-add_host' } },
          { name: 'group by name', group_by: { key: 'grp_{{ inventory_hostname }}' } },
        ],
      },
      {
        name: 'on the added host', hosts: 'aliases', gather_facts: false,
        tasks: [{ name: 'alias says', command: 'echo {{ inventory_hostname }} {{ alias_note }}', register: 'alias', changed_when: false }, { debug: { msg: 'alias-out={{ alias.stdout }}' } }],
      },
      {
        name: 'on the group_by group', hosts: 'grp_flow1', gather_facts: false,
        tasks: [{ name: 'group says', debug: { msg: 'grouped={{ group_names | join(",") }}' } }],
      },
    ]));
  });

  after(() => cleanup());

  it('--check on the bare host: script forecast changed (creates decides), raw and the job not run, nothing on the host', async () => {
    const before = (await onHost(lab, 'flow1', STATE)).stdout;
    const run = await runbook(['apply', site, '-i', inventory, '--check', '--json'], { cwd: work });
    expect(run.code, describeRun(run)).to.equal(0);
    expect(results(run.events, 'script once')[0], describeRun(run)).to.deep.include({ status: 'changed' });
    expect(results(run.events, 'raw read')[0]).to.deep.include({ status: 'skipped' });
    expect(results(run.events, 'long job')[0]).to.deep.include({ status: 'changed' });
    expect((await onHost(lab, 'flow1', STATE)).stdout).to.equal(before);
  });

  it('converges: script runs once, the poll: 0 job is waited for, later plays target add_host and group_by; a re-run changes only add_host', async () => {
    const first = await runbook(['apply', site, '-i', inventory, '--json'], { cwd: work });
    expect(first.code, describeRun(first)).to.equal(0);
    expect(results(first.events, 'script once')[0]).to.deep.include({ status: 'changed' });
    expect(results(first.events, 'long job')[0]).to.deep.include({ status: 'changed' });
    const out = first.stdout;
    expect(out).to.include('job-stdout=finished finished=1');
    expect(out).to.include('alias-out=flowalias via-add_host');
    expect(out).to.match(/grouped=[^"]*grp_flow1/);
    expect(first.recap.flowalias).to.include({ failed: 0 });
    const state = (await onHost(lab, 'flow1', STATE)).stdout;
    expect(state).to.equal('async made \nasync-done\nfrom script\n0\n');
    // The script's private copy is gone from the host's temp dir.
    expect((await onHost(lab, 'flow1', 'ls -d /tmp/.runbook-script.* 2>/dev/null | wc -l')).stdout.trim()).to.equal('0');

    const again = await runbook(['apply', site, '-i', inventory, '--json'], { cwd: work });
    expect(again.code, describeRun(again)).to.equal(0);
    expect(results(again.events, 'script once')[0]).to.deep.include({ status: 'ok' });
    expect(results(again.events, 'long job')[0]).to.deep.include({ status: 'ok' });
    // add_host adds to the in-memory inventory of each run: changed, as in Ansible.
    expect(totalChanged(again)).to.equal(1);
    expect(results(again.events, 'an alias for the next play')[0]).to.deep.include({ status: 'changed' });
  });

  it('fail stops the host with its message: exit 2, later tasks do not run', async () => {
    const stop = join(work, 'stop.yml');
    writeFileSync(stop, stringify([{
      name: 'stop', hosts: 'all', gather_facts: false,
      tasks: [
        { name: 'refuse', fail: { msg: 'release {{ inventory_hostname }} is not supported' }, when: 'inventory_hostname == "flow1"' },
        { name: 'never', raw: 'touch /srv/rbflow/never' },
      ],
    }]));
    const run = await runbook(['apply', stop, '-i', inventory], { cwd: work });
    expect(run.code, describeRun(run)).to.equal(2);
    expect(run.stdout).to.include('release flow1 is not supported');
    expect((await onHost(lab, 'flow1', 'test -e /srv/rbflow/never && echo yes || echo no')).stdout).to.equal('no\n');
  });
});
