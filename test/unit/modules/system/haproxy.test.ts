// haproxy plans from canned `show stat` / `get weight` output: socket commands only for a server not
// yet in the wanted state, every backend holding it when none is named, waits and drains in the step,
// and arguments refused at the task's file:line:col.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { InputError } from '../../../../src/core/errors.js';
import { haproxyProbe, parseHaproxyArgs, planHaproxy } from '../../../../src/modules/system/haproxy.js';
import { backendsOf, parseShowStat } from '../../../../src/modules/system/haproxy-socket.js';
import { loc } from './fixtures/context.js';
import { sections } from './fixtures/sections.js';

const HEADER = '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck';
const row = (px: string, sv: string, status: string, weight = '10', scur = '0') => `${px},${sv},0,0,${scur},0,,0,0,0,,0,,0,0,0,0,${status},${weight},1,0`;

function stat(rows: string[], weights: Record<string, string> = {}, facts = 'client=yes\nsocket=yes\n') {
  return sections({
    client: facts,
    stat: [HEADER, row('site', 'FRONTEND', 'OPEN', ''), ...rows, row('app', 'BACKEND', 'UP'), row('other', 'BACKEND', 'UP'), ''].join('\n'),
    weights: Object.entries(weights).map(([b, w]) => `${b}=${w}\n`).join(''),
  });
}

const args = (raw: Record<string, unknown>) => parseHaproxyArgs({ host: 'web1', ...raw }, loc);
const sentBy = (script: string | undefined) => [...(script ?? '').matchAll(/^rb_do '([^']*)'$/gm)].map((m) => m[1]);

describe('modules/system/haproxy', () => {
  it('reads show stat by its header, and backends by their BACKEND rows', () => {
    const rows = parseShowStat(`${HEADER}\n${row('app', 'web1', 'MAINT', '3', '2')}\n${row('app', 'BACKEND', 'UP')}\n`)!;
    expect(rows[0]).to.deep.equal({ backend: 'app', server: 'web1', status: 'MAINT', weight: '3', scur: '2' });
    expect(backendsOf(rows)).to.deep.equal(['app']);
    expect(parseShowStat('Permission denied\n')).to.equal(null);
  });

  it('disables a server in service, and leaves one in maintenance alone (idempotent)', () => {
    const plan = planHaproxy(args({ state: 'disabled', backend: 'app' }), stat([row('app', 'web1', 'no check')]));
    expect(plan.changes).to.deep.equal(['disable app/web1 (no check)']);
    expect(sentBy(plan.steps[0]!.script)).to.deep.equal(['disable server app/web1']);
    expect(plan.data).to.deep.equal({ state_before: [{ status: 'no check', weight: '10', scur: '0' }] });
    const again = planHaproxy(args({ state: 'disabled', backend: 'app' }), stat([row('app', 'web1', 'MAINT')]));
    expect(again.changes).to.deep.equal([]);
    expect(again.steps).to.deep.equal([]);
  });

  it('"MAINT (via app/web2)" counts as in maintenance', () => {
    expect(planHaproxy(args({ state: 'disabled', backend: 'app' }), stat([row('app', 'web1', 'MAINT (via app/web2)')])).changes).to.deep.equal([]);
  });

  it('enables from maintenance or drain, and not a server already up', () => {
    for (const status of ['MAINT', 'DRAIN']) {
      const plan = planHaproxy(args({ state: 'enabled', backend: 'app' }), stat([row('app', 'web1', status)]));
      expect(sentBy(plan.steps[0]!.script), status).to.deep.equal(['enable server app/web1']);
    }
    for (const status of ['UP', 'no check', 'DOWN', 'UP 1/3']) {
      expect(planHaproxy(args({ state: 'enabled', backend: 'app' }), stat([row('app', 'web1', status)])).changes, status).to.deep.equal([]);
    }
  });

  it('sets a weight only when get weight says another, a % of the configured one', () => {
    const w = (answer: string, weight: string) => planHaproxy(args({ state: 'enabled', backend: 'app', weight }), stat([row('app', 'web1', 'UP')], { app: answer }));
    expect(w('5 (initial 10)', '50%').changes).to.deep.equal([]);
    expect(w('10 (initial 10)', '50%').changes).to.deep.equal(['set the weight of app/web1 to 50% (was 10)']);
    expect(sentBy(w('10 (initial 10)', '50%').steps[0]!.script)).to.deep.equal(['set weight app/web1 50%']);
    expect(w('7 (initial 10)', '7').changes).to.deep.equal([]);
    expect(w('No such server.', '7').changes).to.have.length(1);
  });

  it('drains a server once; disabled with drain waits for its sessions before maintenance', () => {
    const drain = planHaproxy(args({ state: 'drain', backend: 'app' }), stat([row('app', 'web1', 'UP')]));
    expect(sentBy(drain.steps[0]!.script)).to.deep.equal(['set server app/web1 state drain']);
    expect(planHaproxy(args({ state: 'drain', backend: 'app' }), stat([row('app', 'web1', 'DRAIN')])).changes).to.deep.equal([]);
    const plan = planHaproxy(args({ state: 'disabled', backend: 'app', drain: true, shutdown_sessions: true }), stat([row('app', 'web1', 'UP', '10', '4')]));
    const script = plan.steps[0]!.script;
    expect(sentBy(script)).to.deep.equal(['set server app/web1 state drain', 'disable server app/web1']);
    // The wait for no session sits between the two and gives up quietly (break), as documented.
    expect(script.indexOf('$5 == "0"')).to.be.within(script.indexOf('state drain'), script.indexOf("'disable server"));
    expect(script).to.contain('then break; fi');
  });

  it('without a backend, acts in every backend that has the server', () => {
    const plan = planHaproxy(args({ state: 'disabled', shutdown_sessions: true }), stat([row('app', 'web1', 'UP'), row('app', 'web2', 'UP'), row('other', 'web1', 'MAINT')]));
    expect(sentBy(plan.steps[0]!.script)).to.deep.equal(['disable server app/web1', 'shutdown sessions server app/web1']);
    expect(plan.data?.state_before).to.have.length(2);
  });

  it('a server in no backend is ok, or a failure with fail_on_not_found', () => {
    expect(planHaproxy(args({ state: 'disabled', host: 'nosuch' }), stat([row('app', 'web1', 'UP')])).failure).to.equal(undefined);
    const plan = planHaproxy(args({ state: 'disabled', host: 'nosuch', backend: 'app', fail_on_not_found: true }), stat([row('app', 'web1', 'UP')]));
    expect(plan.failure?.msg).to.match(/^The specified backend 'app\/nosuch' was not found/);
  });

  it('agent and health commands run on every run without counting as a change; wait adds a status loop', () => {
    const plan = planHaproxy(args({ state: 'enabled', backend: 'app', health: true, agent: true, wait: true }), stat([row('app', 'web1', 'UP')]));
    expect(plan.changes).to.deep.equal([]);
    expect(sentBy(plan.sideSteps![0]!.script)).to.deep.equal(['enable agent app/web1', 'enable health app/web1']);
    const down = planHaproxy(args({ state: 'enabled', backend: 'app', wait: true, wait_retries: 3 }), stat([row('app', 'web1', 'DOWN')]));
    expect(down.changes).to.deep.equal([]);
    expect(down.sideSteps![0]!.script).to.match(/not status .*UP.* after 3 retries/);
  });

  it('fails with why when the socket or a client is missing, or HAProxy refuses', () => {
    expect(planHaproxy(args({ state: 'enabled' }), stat([], {}, 'client=yes\n')).failure?.msg).to.match(/socket \/var\/run\/haproxy.sock does not exist/);
    expect(planHaproxy(args({ state: 'enabled' }), stat([], {}, 'socket=yes\n')).failure?.msg).to.match(/install socat/);
    const plan = planHaproxy(args({ state: 'disabled', backend: 'app' }), stat([row('app', 'web1', 'UP')]));
    expect(plan.afterApply!([{ code: 6, stdout: '', stderr: 'disable server app/web1: Permission denied\n' }]).failed).to.match(/level admin/);
    expect(plan.afterApply!([{ code: 0, stdout: `disable server app/web1\n@@state-after@@\n${HEADER}\n${row('app', 'web1', 'MAINT')}\n`, stderr: '' }]).data).to.deep.include({
      state_after: [{ status: 'MAINT', weight: '10', scur: '0' }],
      command: ['disable server app/web1'],
    });
  });

  it('its probe and step scripts are valid sh', () => {
    const a = args({ state: 'disabled', backend: 'app', weight: '5', drain: true, wait: true });
    const plan = planHaproxy(a, stat([row('app', 'web1', 'UP')]));
    for (const script of [haproxyProbe(a), plan.steps[0]!.script]) {
      const r = spawnSync('/bin/sh', ['-n', '-c', script], { encoding: 'utf8' });
      expect(r.stderr, script).to.equal('');
    }
  });

  it('refuses bad arguments at the task, with its file:line:col', () => {
    expect(() => args({ state: 'up' })).to.throw(InputError, /state/);
    expect(() => parseHaproxyArgs({ state: 'enabled' }, loc)).to.throw(InputError, /'host' is required/);
    expect(() => args({ state: 'enabled', weight: '300' })).to.throw(InputError, /out of range/);
    expect(() => args({ state: 'enabled', weight: '150%' })).to.throw(InputError, /out of range/);
    expect(() => args({ state: 'enabled', weight: 'heavy' })).to.throw(InputError, /is not a weight/);
    try {
      args({ state: 'enabled', backend: 'app; disable server x/y' });
      expect.fail('no error');
    } catch (err) {
      expect((err as InputError).describe()).to.match(/^roles\/test\/tasks\/main.yml:3:3: haproxy: backend 'app; disable server x\/y' is not a HAProxy backend name/);
    }
  });
});
