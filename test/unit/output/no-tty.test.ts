// Without a terminal (CI, a pipe, a file) the CLI's human output is plain text: not one escape byte,
// whatever events a run produces; the timing summary still follows the recap.
import { expect } from 'chai';
import { buildContext } from '../../../src/cli/wiring.js';
import type { HostCounters, RunEvent } from '../../../src/executor/events.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { ChattyHost, chattyModule } from '../executor/chatty.js';
import { harness, kvModule, noteModule, play, task } from '../executor/harness.js';
import { Capture } from './capture.js';

const loc = { file: 'site.yml', line: 1, col: 1 };
const zero: HostCounters = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

describe('output without a terminal', () => {
  it('a real run through the CLI wiring writes no escape code, and ends with the timing summary', async () => {
    const plays = [play([task('kv', { key: 'a', value: '1' }), task('chatty', {}), task('kv', { key: 'b', value: '2' }, { loop: ['x', 'y'] })])];
    const h = harness(plays, ['web1', 'web2'], {}, [], [kvModule, noteModule, chattyModule]);
    for (const name of ['web1', 'web2']) h.hosts.set(name, new ChattyHost(name));
    const out = new Capture();
    const wired = buildContext({ options: h.ctx.options, inventory: h.ctx.inventory, playbook: h.ctx.playbook, json: false, out });
    h.ctx.emit = wired.emit;
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(out.text).to.not.contain('\x1b');
    expect(out.text).to.contain('changed: [web1]');
    const tail = out.text.slice(out.text.indexOf('PLAY RECAP'));
    expect(tail).to.match(/SLOWEST TASKS \*+\n/);
    expect(tail).to.match(/\nweb1 +: busy +\d+\.\d\ds   span +\d+\.\d\ds\n/);
    expect(tail).to.match(/RUN TIME: \d+\.\d\ds \(start to recap\)\n\n$/);
  });

  it('every kind of event, through the wiring, stays plain', () => {
    const out = new Capture();
    const h = harness([play([])], ['web1']);
    const wired = buildContext({ options: h.ctx.options, inventory: h.ctx.inventory, playbook: h.ctx.playbook, json: false, out });
    const events: RunEvent[] = [
      { type: 'play_start', play: 'p', hosts: ['web1', 'web2'], check: false },
      { type: 'batch_start', play: 'p', hosts: ['web1'], batch: 1, batches: 2 },
      { type: 'task_start', play: 'p', task: 't', loc, handler: false, hosts: ['web1', 'web2'] },
      { type: 'host_start', task: 't', handler: false, host: 'web1' },
      { type: 'host_progress', task: 't', host: 'web1' },
      { type: 'host_result', task: 't', handler: false, host: 'web1', status: 'changed', durationMs: 5, diffs: [{ path: '/x', before: 'a\n', after: 'b\n' }] },
      { type: 'host_result', task: 't', handler: false, host: 'web2', status: 'failed', durationMs: 7, msg: 'no', rc: 1, stdout: 'o', stderr: 'e' },
      { type: 'warning', msg: 'careful', host: 'web1' },
      { type: 'aborted', reason: 'max_fail_percentage', notRun: ['web3'] },
      { type: 'recap', hosts: { web1: { ...zero, ok: 1, changed: 1 }, web2: { ...zero, failed: 1 } }, exitCode: 2, durationMs: 20 },
      { type: 'run_error', msg: 'late' },
    ];
    events.forEach((e) => wired.emit(e));
    expect(out.text).to.contain('fatal: [web2]: FAILED! => no');
    expect(out.text).to.contain('SLOWEST TASKS');
    expect(out.text).to.not.contain('\x1b');
  });
});
