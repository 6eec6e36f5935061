import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { EventFollower } from '../../../src/queue/submit.js';
import type { QueueStore } from '../../../src/queue/store.js';

const loc = { file: 'p.yml', line: 1, col: 1 };
const start = (task: string): RunEvent => ({ type: 'task_start', play: 'p', task, loc, handler: false, hosts: [] });
const result = (task: string, host: string, worker: string): RunEvent => ({ type: 'host_result', task, handler: false, host, status: 'ok', durationMs: 1, worker });

describe('queue/EventFollower', () => {
  it('prints a task banner with its first result, and again before results that follow another task', async () => {
    const events = [start('one'), result('one', 'a', 'w1'), start('one'), start('two'), result('two', 'a', 'w1'), result('one', 'b', 'w2'), start('two'), result('two', 'b', 'w2')];
    const seen: RunEvent[] = [];
    const f = new EventFollower((e) => seen.push(e), { eventsKey: () => 'k' } as unknown as QueueStore, 'run');
    let served = false;
    f.reader = { xread: async () => (served ? null : ((served = true), [['k', events.map((e, i) => [`${i}-0`, ['e', JSON.stringify(e)]])]])) } as unknown as typeof f.reader;
    await f.drain();
    const lines = seen.map((e) => (e.type === 'task_start' ? `TASK ${e.task}` : e.type === 'host_result' ? `${e.task} ${e.host}@${e.worker}` : e.type));
    expect(lines).to.deep.equal(['TASK one', 'one a@w1', 'TASK two', 'two a@w1', 'TASK one', 'one b@w2', 'TASK two', 'two b@w2']);
  });

  const recap: RunEvent = { type: 'recap', hosts: { a: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } }, exitCode: 2, durationMs: 5 };
  const mixed: [string, RunEvent][] = [['s', { type: 'play_start', play: 'p', hosts: ['a'], check: false }], ['e', start('one')], ['e', result('one', 'a', 'w1')], ['s', recap]];
  const follow = async (replay: boolean): Promise<{ seen: string[]; code: number | undefined }> => {
    const seen: string[] = [];
    const f = new EventFollower((e) => seen.push(e.type), { eventsKey: () => 'k' } as unknown as QueueStore, 'run', replay);
    let served = false;
    f.reader = { xread: async () => (served ? null : ((served = true), [['k', mixed.map(([field, e], i) => [`${i}-0`, [field, JSON.stringify(e)]])]])) } as unknown as typeof f.reader;
    await f.drain();
    return { seen, code: f.recapRead()?.exitCode };
  };

  it("skips the submitter's own events (field s) when the submitter follows its run: it printed them already", async () => {
    expect(await follow(false)).to.deep.equal({ seen: ['task_start', 'host_result'], code: undefined });
  });

  it('replays them for `runbook follow`, and keeps the recap and its exit code', async () => {
    expect(await follow(true)).to.deep.equal({ seen: ['play_start', 'task_start', 'host_result', 'recap'], code: 2 });
  });

  it("reads a job's `d` entry (its hosts finished their play) without printing it", async () => {
    const seen: string[] = [];
    const f = new EventFollower((e) => seen.push(e.type), { eventsKey: () => 'k' } as unknown as QueueStore, 'run', true);
    const entries: [string, unknown][] = [
      ['s', { type: 'play_start', play: 'p', hosts: ['a', 'b'], check: false }], ['e', start('one')], ['e', result('one', 'a', 'w1')],
      ['d', { playIndex: 0, worker: 'w1', hosts: { a: { counters: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 }, failed: false, unreachable: false } } }],
      ['e', result('one', 'b', 'w2')],
    ];
    let served = false;
    f.reader = { xread: async () => (served ? null : ((served = true), [['k', entries.map(([field, e], i) => [`${i}-0`, [field, JSON.stringify(e)]])]])) } as unknown as typeof f.reader;
    await f.drain();
    expect(seen).to.deep.equal(['play_start', 'task_start', 'host_result', 'host_result']);
    const s = f.hostsSeen().summary([['a', 'b']]);
    expect(s.finished).to.deep.equal(['a']);
    expect(s.unfinished).to.deep.equal(['b']);
  });
});
