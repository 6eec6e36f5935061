// The events the live view needs from the executor: which hosts a task runs on, when each host
// starts it, and that a host's command is printing.
import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { ChattyHost, chattyModule } from './chatty.js';
import { harness, kvModule, noteModule, play, task } from './harness.js';

const types = (events: RunEvent[], host: string): string[] =>
  events.filter((e) => 'host' in e && e.host === host && e.type !== 'warning').map((e) => e.type);

describe('executor: events for the live view', () => {
  it('names the task\'s hosts at its start, then each host starts before its result', async () => {
    const h = harness([play([task('kv', { key: 'a', value: '1' }), task('note', 'once', { runOnce: true })])], ['web1', 'web2']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    const starts = h.events.filter((e) => e.type === 'task_start');
    expect(starts.map((e) => e.type === 'task_start' && e.hosts)).to.deep.equal([['web1', 'web2'], ['web1']]);
    expect(types(h.events, 'web1')).to.deep.equal(['host_start', 'host_result', 'host_start', 'host_result']);
    expect(types(h.events, 'web2')).to.deep.equal(['host_start', 'host_result']);
  });

  it('reports output activity of an applied step, at most once a second per host', async () => {
    const h = harness([play([task('chatty', {})])], ['web1', 'web2'], {}, [], [kvModule, noteModule, chattyModule]);
    for (const name of ['web1', 'web2']) h.hosts.set(name, new ChattyHost(name));
    expect(await runPlaybook(h.ctx)).to.equal(0);
    // Five chunks arrive within the same second: one "alive" event, between start and result.
    expect(types(h.events, 'web1')).to.deep.equal(['host_start', 'host_progress', 'host_result']);
    expect(types(h.events, 'web2')).to.deep.equal(['host_start', 'host_progress', 'host_result']);
    const progress = h.events.find((e) => e.type === 'host_progress');
    expect(progress).to.deep.include({ task: 'chatty', host: 'web1' });
  });

  it('says the run stopped on an error before it rethrows it', async () => {
    const h = harness([play([task('kv', { key: 'a', value: '1' })])], ['web1'], {
      step: async () => {
        throw new Error('terminal went away');
      },
    });
    const err = await runPlaybook(h.ctx).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect(h.events.at(-1)).to.deep.equal({ type: 'run_error', msg: 'terminal went away' });
  });
});
