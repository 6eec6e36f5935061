import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import type { HostOutcome } from '../../../src/queue/job.js';
import { RunTally } from '../../../src/queue/tally.js';

const c = (ok: number, failed = 0) => ({ ok, changed: 0, unreachable: 0, failed, skipped: 0, rescued: 0, ignored: 0 });
const res = (host: string, worker: string, status: 'ok' | 'failed' = 'ok'): Extract<RunEvent, { type: 'host_result' }> => ({ type: 'host_result', task: 't', handler: false, host, status, durationMs: 1, worker });
const out = (ok: number, failed = false): HostOutcome => ({ counters: c(ok, failed ? 1 : 0), failed, unreachable: false, ...(failed ? { stoppedAt: { title: 't', startable: true } } : {}) });

describe('queue/RunTally: what the submitter knows when Redis dies before the recap', () => {
  it('a host is finished once every play it is in ended; the others, started or not, are not', () => {
    const t = new RunTally();
    // Two plays over a, b, c; a finished both, b only the first and is mid-way through the second, c never ran.
    t.result(res('a', 'w1'));
    t.jobDone({ playIndex: 0, worker: 'w1', hosts: { a: out(1) } });
    t.result(res('b', 'w2'));
    t.jobDone({ playIndex: 0, worker: 'w2', hosts: { b: out(1) } });
    t.result(res('a', 'w1'));
    t.jobDone({ playIndex: 1, worker: 'w1', hosts: { a: out(1) } });
    t.result(res('b', 'w2'));
    const s = t.summary([['a', 'b', 'c'], ['a', 'b', 'c']]);
    expect(s.finished).to.deep.equal(['a']);
    expect(s.unfinished).to.deep.equal(['b', 'c']);
    expect(s.recap).to.deep.equal({ a: c(2), b: c(2) });
  });

  it('counts a host once when its job ran again on another worker after the first was lost', () => {
    const t = new RunTally();
    t.result(res('a', 'w1'));
    t.result(res('a', 'w1'));
    // w1 killed: w2 runs the play again from its start.
    t.result(res('a', 'w2'));
    expect(t.summary([['a']]).recap).to.deep.equal({ a: c(1) });
    t.result(res('a', 'w2'));
    t.jobDone({ playIndex: 0, worker: 'w2', hosts: { a: out(2) } });
    // A second `d` for the same play (a frozen first worker that finished after all) replaces the first.
    t.jobDone({ playIndex: 0, worker: 'w1', hosts: { a: out(2) } });
    const s = t.summary([['a']]);
    expect(s.recap).to.deep.equal({ a: c(2) });
    expect(s.finished).to.deep.equal(['a']);
  });

  it('a host that failed in a play is finished with it (it leaves the later plays), and its outcome is kept for the hint', () => {
    const t = new RunTally();
    t.result(res('a', 'w1', 'failed'));
    t.jobDone({ playIndex: 0, worker: 'w1', hosts: { a: out(0, true) } });
    const s = t.summary([['a'], ['a']]);
    expect(s.finished).to.deep.equal(['a']);
    expect(s.last.get('a')).to.deep.include({ failed: true, stoppedAt: { title: 't', startable: true } });
    expect(s.recap).to.deep.equal({ a: c(0, 1) });
  });

  it('counts a host once when its job ran again under the same worker name (a worker restarted after Redis came back)', () => {
    const t = new RunTally();
    t.jobStart({ playIndex: 0, worker: 'w1', hosts: ['a', 'b'] });
    t.result(res('a', 'w1'));
    t.result(res('a', 'w1'));
    t.result(res('b', 'w1'));
    // The same job starts again on a worker that kept its name: only the new attempt counts.
    t.jobStart({ playIndex: 0, worker: 'w1', hosts: ['a', 'b'] });
    t.result(res('a', 'w1'));
    expect(t.summary([['a', 'b']]).recap).to.deep.equal({ a: c(1) });
    expect(t.summary([['a', 'b']]).unfinished).to.deep.equal(['a', 'b']);
  });
});
