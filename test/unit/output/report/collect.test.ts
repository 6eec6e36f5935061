import { expect } from 'chai';
import { ReportCollector } from '../../../../src/output/report/collect.js';
import type { RunEvent } from '../../../../src/executor/events.js';
import { counters, sampleRun } from './events.js';

function collect(events: RunEvent[]) {
  const c = new ReportCollector();
  events.forEach((e) => c.add(e));
  return c.report({ title: 't' });
}

describe('output/report/collect', () => {
  it('makes one task per task_start (a handler sharing a task name is its own) and one bar per task and host', () => {
    const r = collect(sampleRun());
    expect(r.hosts).to.deep.equal(['web1', 'web2']);
    expect(r.tasks.map((t) => [t.index, t.name, t.handler, t.startMs])).to.deep.equal([
      [0, 'write config', false, 1],
      [1, 'packages', false, 42],
      [2, 'may fail', false, 143],
      [3, 'write config', true, 154],
    ]);
    expect(r.bars.map((b) => `${b.taskIndex}:${b.host}:${b.status}`)).to.deep.equal([
      '0:web1:changed', '0:web2:ok', '1:web1:changed', '1:web2:skipped', '2:web1:failed', '2:web2:ok', '3:web1:changed',
    ]);
  });

  it('places a bar from when the host started the task (atMs - durationMs) to when it finished', () => {
    const bar = collect(sampleRun()).bars.find((b) => b.taskIndex === 0 && b.host === 'web1')!;
    expect(bar).to.include({ startMs: 1, endMs: 41, durationMs: 40, items: 1 });
  });

  it('folds loop items as the executor does: changed beats ok, all skipped is skipped', () => {
    const r = collect(sampleRun());
    const loop = r.bars.filter((b) => b.taskIndex === 1);
    expect(loop.map((b) => [b.host, b.status, b.items, b.startMs, b.endMs])).to.deep.equal([
      ['web1', 'changed', 2, 40, 142],
      ['web2', 'skipped', 2, 42, 45],
    ]);
  });

  it('a failure worse than earlier items wins, with its message; ignore_errors is kept', () => {
    const events: RunEvent[] = [
      { type: 'task_start', play: 'p', task: 'l', loc: { file: 'a', line: 1, col: 1 }, handler: false, atMs: 0 },
      { type: 'host_result', task: 'l', handler: false, host: 'h', status: 'changed', item: '1', msg: 'fine', durationMs: 9, atMs: 5 },
      { type: 'host_result', task: 'l', handler: false, host: 'h', status: 'failed', item: '2', msg: 'broke', ignored: true, durationMs: 9, atMs: 9 },
      { type: 'host_result', task: 'l', handler: false, host: 'h', status: 'ok', item: '3', msg: 'later', durationMs: 9, atMs: 9 },
    ];
    expect(collect(events).bars[0]).to.include({ status: 'failed', msg: 'broke', ignored: true, items: 3 });
  });

  it("a host run again by another worker (its first was lost) has one cell: the second attempt's, naming that worker", () => {
    const events: RunEvent[] = [
      { type: 'task_start', play: 'p', task: 't', loc: { file: 'a', line: 1, col: 1 }, handler: false, atMs: 0 },
      { type: 'host_result', task: 't', handler: false, host: 'h', status: 'changed', durationMs: 4, atMs: 5, worker: 'w1' },
      { type: 'host_result', task: 't', handler: false, host: 'h', status: 'ok', durationMs: 3, atMs: 20, worker: 'w2' },
      { type: 'host_result', task: 't', handler: false, host: 'g', status: 'ok', item: '1', durationMs: 1, atMs: 21, worker: 'w2' },
      { type: 'host_result', task: 't', handler: false, host: 'g', status: 'ok', item: '2', durationMs: 1, atMs: 22, worker: 'w2' },
    ];
    const bars = collect(events).bars;
    expect(bars.find((b) => b.host === 'h')).to.include({ status: 'ok', items: 1, worker: 'w2', startMs: 17, endMs: 20 });
    expect(bars.find((b) => b.host === 'g')).to.include({ items: 2, worker: 'w2' });
  });

  it('keeps the recap event numbers as they are, and the run length', () => {
    const r = collect(sampleRun());
    expect(r.recap).to.deep.equal({ web1: counters({ ok: 4, changed: 3, ignored: 1 }), web2: counters({ ok: 2, skipped: 1 }) });
    expect(r.exitCode).to.equal(0);
    expect(r.durationMs).to.equal(161);
  });

  it('collects diffs of changed results only, with their host and task', () => {
    const events = sampleRun();
    events.splice(2, 0, { type: 'host_result', task: 'write config', handler: false, host: 'web3', status: 'failed', durationMs: 1, atMs: 2, diffs: [{ path: '/never', before: '', after: 'x' }] });
    const r = collect(events);
    expect(r.diffs.map((d) => [d.host, d.taskIndex, d.task, d.path])).to.deep.equal([
      ['web1', 0, 'write config', '/etc/app.conf'],
      ['web1', 3, 'write config', '/x'],
    ]);
    expect(r.hosts).to.deep.equal(['web1', 'web2', 'web3']);
  });

  it('records check mode, warnings and an abort with the hosts never run', () => {
    const r = collect([
      { type: 'play_start', play: 'p', hosts: ['a', 'b', 'c'], check: true, atMs: 0 },
      { type: 'warning', msg: 'careful', host: 'a', atMs: 1 },
      { type: 'aborted', reason: 'max_fail_percentage 0 exceeded', notRun: ['c'], atMs: 2 },
      { type: 'recap', hosts: { a: counters({ failed: 1 }), b: counters({}) }, exitCode: 8, durationMs: 3, atMs: 3 },
    ]);
    expect(r).to.include({ check: true, exitCode: 8 });
    expect(r.warnings).to.deep.equal(['a: careful']);
    expect(r.aborted).to.deep.equal({ reason: 'max_fail_percentage 0 exceeded', notRun: ['c'] });
    expect(r.hosts).to.deep.equal(['a', 'b', 'c']);
  });

  it('gives a result with no task_start a task of its own instead of dropping it', () => {
    const r = collect([{ type: 'host_result', task: 'lonely', handler: false, host: 'h', status: 'ok', durationMs: 4, atMs: 10 }]);
    expect(r.tasks).to.have.length(1);
    expect(r.tasks[0]).to.include({ name: 'lonely', startMs: 6 });
    expect(r.bars[0]).to.include({ taskIndex: 0, startMs: 6, endMs: 10 });
  });
});
