import { expect } from 'chai';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { harness, kvModule, noteModule, play, recapOf, task } from './harness.js';

describe('executor/run-playbook', () => {
  it('converges, then a second run changes nothing', async () => {
    const plays = [play([task('kv', { key: 'motd', value: 'hello {{inventory_hostname}}' })])];
    const first = harness(plays, ['web1', 'web2']);
    expect(await runPlaybook(first.ctx)).to.equal(0);
    expect(first.hosts.get('web2')!.kv.get('motd')).to.equal('hello web2');
    expect(recapOf(first).hosts.web1).to.include({ ok: 1, changed: 1, failed: 0 });

    const second = harness(plays, ['web1', 'web2']);
    second.hosts.forEach((h, name) => h.kv.set('motd', `hello ${name}`));
    expect(await runPlaybook(second.ctx)).to.equal(0);
    expect(recapOf(second).hosts.web1).to.include({ ok: 1, changed: 0 });
  });

  it('check mode reports what would change and applies nothing', async () => {
    const h = harness([play([task('kv', { key: 'a', value: '1' })])], ['web1'], { check: true });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('web1')!.kv.has('a')).to.equal(false);
    expect(h.hosts.get('web1')!.scripts).to.deep.equal(['get a']);
    const result = h.events.find((e) => e.type === 'host_result');
    expect(result).to.include({ status: 'changed' });
    expect(result && 'diffs' in result ? result.diffs : undefined).to.deep.equal([{ path: 'a', before: '', after: '1' }]);
  });

  it('check mode forecasts a task that depends on an earlier would-be change instead of failing', async () => {
    const tasks = [task('kv', { key: 'ready', value: 'yes' }), task('kv', { key: 'conf', value: 'x', needs_ready: true })];
    const check = harness([play(tasks)], ['web1'], { check: true });
    expect(await runPlaybook(check.ctx)).to.equal(0);
    expect(recapOf(check).hosts.web1).to.include({ changed: 2, failed: 0 });

    // Without an earlier change the same missing precondition is a real failure.
    const alone = harness([play([tasks[1]!])], ['web1'], { check: true });
    expect(await runPlaybook(alone.ctx)).to.equal(2);
  });

  it('check mode fails a task whose missing precondition no earlier would-be change provides, as the real run would', async () => {
    // An unrelated change first (`file: /tmp/x` before `apt: nosuch`): it excuses nothing.
    const tasks = [task('kv', { key: 'other', value: 'yes' }), task('kv', { key: 'conf', value: 'x', needs_ready: true })];
    const check = harness([play(tasks)], ['web1'], { check: true });
    expect(await runPlaybook(check.ctx)).to.equal(2);
    expect(recapOf(check).hosts.web1).to.include({ changed: 1, failed: 1 });
    const real = harness([play(tasks)], ['web1']);
    expect(await runPlaybook(real.ctx)).to.equal(2);
  });

  it('runs a handler once, at the end of the play, only where a change notified it', async () => {
    const handler = task('kv', { key: 'restarted', value: 'yes' }, { name: 'restart app' });
    const tasks = [
      task('kv', { key: 'conf', value: 'v2' }, { notify: ['restart app'] }),
      task('kv', { key: 'other', value: 'v' }, { notify: ['restart app'] }),
      task('kv', { key: 'after', value: 'x' }),
    ];
    const h = harness([play(tasks, { handlers: [handler] })], ['web1', 'web2']);
    h.hosts.get('web2')!.kv.set('conf', 'v2');
    h.hosts.get('web2')!.kv.set('other', 'v');
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('web1')!.kv.get('restarted')).to.equal('yes');
    expect(h.hosts.get('web2')!.kv.has('restarted')).to.equal(false);
    const order = h.hosts.get('web1')!.scripts.filter((s) => s.startsWith('set'));
    expect(order).to.deep.equal(['set conf', 'set other', 'set after', 'set restarted']);
  });

  it('a failed host leaves the run while the others finish; exit 2', async () => {
    const tasks = [task('kv', { key: 'a', value: '1' }), task('kv', { key: 'b', value: '2' })];
    const h = harness([play(tasks)], ['web1', 'web2']);
    h.hosts.get('web1')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(h.hosts.get('web2')!.kv.get('b')).to.equal('2');
    // b's probe was read ahead with a's, but web1 never ran b.
    expect(h.hosts.get('web1')!.batched).to.deep.equal(['get a', 'get b']);
    expect(h.hosts.get('web1')!.scripts.slice(1)).to.deep.equal(['set a']);
    const fatal = h.events.find((e) => e.type === 'host_result' && e.status === 'failed');
    expect(fatal && 'msg' in fatal ? fatal.msg : '').to.include('disk on fire');
  });

  it('an unreachable host is reported as such; the others finish; exit 4', async () => {
    const h = harness([play([task('kv', { key: 'a', value: '1' })])], ['web1', 'web2'], {}, ['web1']);
    expect(await runPlaybook(h.ctx)).to.equal(4);
    expect(recapOf(h).hosts.web1).to.include({ unreachable: 1, failed: 0 });
    expect(h.hosts.get('web2')!.kv.get('a')).to.equal('1');
  });

  it('serial with max_fail_percentage 0 aborts after a failing batch and leaves later batches untouched; exit 8', async () => {
    const hosts = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
    const h = harness([play([task('kv', { key: 'a', value: '1' })], { serial: [2], maxFailPercentage: 0 })], hosts);
    h.hosts.get('w3')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(8);
    expect(h.hosts.get('w1')!.kv.get('a')).to.equal('1');
    expect(h.hosts.get('w5')!.scripts).to.deep.equal([]);
    const aborted = h.events.find((e) => e.type === 'aborted');
    expect(aborted && 'notRun' in aborted ? aborted.notRun : []).to.deep.equal(['w5', 'w6']);
  });

  it('when, register and changed_when', async () => {
    const tasks = [
      task('kv', { key: 'a', value: '1' }, { register: 'first' }),
      task('kv', { key: 'b', value: '2' }, { when: ['first is changed'] }),
      task('kv', { key: 'c', value: '3' }, { when: ['not first'] }),
      task('kv', { key: 'd', value: '4' }, { changedWhen: ['nothing_here'] }),
    ];
    const h = harness([play(tasks)], ['web1']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    const kv = h.hosts.get('web1')!.kv;
    expect(kv.get('b')).to.equal('2');
    expect(kv.has('c')).to.equal(false);
    expect(recapOf(h).hosts.web1).to.include({ ok: 3, changed: 2, skipped: 1 });
  });

  it('loops with loop_var, one result per item', async () => {
    const t = task('kv', { key: '{{item}}', value: 'on' }, { loop: ['x', 'y', 'z'] });
    const h = harness([play([t])], ['web1']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect([...h.hosts.get('web1')!.kv.keys()]).to.deep.equal(['x', 'y', 'z']);
    expect(h.events.filter((e) => e.type === 'host_result').map((e) => ('item' in e ? e.item : ''))).to.deep.equal(['x', 'y', 'z']);
  });

  it('an empty loop reports the host as skipped, with why', async () => {
    const h = harness([play([task('kv', { key: '{{item}}', value: 'on' }, { loop: [] })])], ['web1']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    const results = h.events.filter((e) => e.type === 'host_result');
    expect(results).to.have.length(1);
    expect(results[0]).to.include({ status: 'skipped', msg: 'no items in loop' });
    expect(recapOf(h).hosts.web1).to.include({ skipped: 1 });
  });

  it('no_log makes templated arguments and values it sets secret, not its literal words', async () => {
    const tasks = [
      task('kv', { key: 'pw', value: '{{db_password}}' }, { noLog: true }),
      task('note', { text: 'literal' }, { noLog: true, register: 'out' }),
    ];
    const h = harness([play(tasks, { vars: { db_password: 's3cret-value' } })], ['web1']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.secrets.has('s3cret-value')).to.equal(true);
    expect(h.secrets.has('pw')).to.equal(false);
    const shown = h.events.filter((e) => e.type === 'host_result').map((e) => ('msg' in e ? e.msg : ''));
    expect(shown).to.deep.equal(['the output has been hidden due to no_log: true', 'the output has been hidden due to no_log: true']);
  });

  it("a module's noLog argument (a password in its spec) is secret without no_log, and only that one", async () => {
    const secretKv = { ...kvModule, name: 'secret_kv', noLogArgs: ['value'] };
    const tasks = [task('secret_kv', { key: 'pw', value: '{{db_password}}' })];
    const h = harness([play(tasks, { vars: { db_password: 'hunter2-value' } })], ['web1'], {}, [], [secretKv, noteModule]);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.secrets.has('hunter2-value')).to.equal(true);
    expect(h.secrets.has('pw')).to.equal(false);
  });

  it('run_once runs on the first host only and registers the result everywhere', async () => {
    const tasks = [task('kv', { key: 'once', value: '1' }, { runOnce: true, register: 'r' }), task('kv', { key: 'seen', value: '{{r.value}}' })];
    const h = harness([play(tasks)], ['web1', 'web2']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('web2')!.kv.has('once')).to.equal(false);
    expect(h.hosts.get('web2')!.kv.get('seen')).to.equal('1');
  });

  it('ignore_errors keeps the host in the run and counts it as ignored', async () => {
    const tasks = [task('kv', { key: 'a', value: '1' }, { ignoreErrors: true }), task('note', 'still here')];
    const h = harness([play(tasks)], ['web1']);
    h.hosts.get('web1')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(recapOf(h).hosts.web1).to.include({ ignored: 1, failed: 0, ok: 2 });
  });

  it('--limit that matches nothing is an input error before any connection', async () => {
    const h = harness([play([task('kv', { key: 'a', value: '1' })])], ['web1'], { limit: 'nosuch' });
    let error: unknown;
    await runPlaybook(h.ctx).catch((e) => (error = e));
    expect(String(error)).to.include("--limit 'nosuch' matches no host");
    expect(h.connects).to.deep.equal([]);
  });

  it('a notify naming no handler is an input error before any connection', async () => {
    const h = harness([play([task('kv', { key: 'a', value: '1' }, { notify: ['restart nginx'] })])], ['web1']);
    let error: unknown;
    await runPlaybook(h.ctx).catch((e) => (error = e));
    expect(String(error)).to.include("handler 'restart nginx'");
    expect(h.connects).to.deep.equal([]);
  });
});
