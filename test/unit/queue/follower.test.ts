import { expect } from 'chai';
import type { RunContext } from '../../../src/executor/context.js';
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
    const ctx = { emit: (e: RunEvent) => seen.push(e) } as unknown as RunContext;
    const f = new EventFollower(ctx, { eventsKey: () => 'k' } as unknown as QueueStore, 'run');
    let served = false;
    f.reader = { xread: async () => (served ? null : ((served = true), [['k', events.map((e, i) => [`${i}-0`, ['e', JSON.stringify(e)]])]])) } as unknown as typeof f.reader;
    await f.drain();
    const lines = seen.map((e) => (e.type === 'task_start' ? `TASK ${e.task}` : e.type === 'host_result' ? `${e.task} ${e.host}@${e.worker}` : e.type));
    expect(lines).to.deep.equal(['TASK one', 'one a@w1', 'TASK two', 'two a@w1', 'TASK one', 'one b@w2', 'TASK two', 'two b@w2']);
  });
});
