import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { createPlayDriver, type DriverIO, type Settled } from '../../../src/queue/drive.js';
import { harness, play, task } from '../executor/harness.js';

const counters = (ok: number, failed = 0) => ({ ok, changed: 0, unreachable: 0, failed, skipped: 0, rescued: 0, ignored: 0 });
const done = (host: string, failed = false): Settled => ({ ok: true, result: { worker: 'w', hosts: { [host]: { counters: counters(failed ? 0 : 1, failed ? 1 : 0), failed, unreachable: false } } } });

/** A fake queue: each batch's job results from `outcome`, progress in plain maps, writes recorded unless muted. */
function fakeIO(outcome: (hosts: string[]) => Settled[], progress: Record<string, string> = {}, announced = -1, cancelledAfter?: number) {
  const written: RunEvent[] = [];
  const ran: string[] = [];
  let muted = false;
  let last = announced;
  let batches = 0;
  const io: DriverIO = {
    recorded: (key) => (progress[key] ? (JSON.parse(progress[key]) as Settled[]) : undefined),
    async runBatch(_play, playIndex, batch, _n, hosts) {
      ran.push(`p${playIndex}.b${batch}`);
      batches++;
      return outcome(hosts);
    },
    async record(key, settled) {
      progress[key] = JSON.stringify(settled);
    },
    banner(ord, emit) {
      if (ord <= last) return;
      emit();
      last = ord;
    },
    mute: (on) => void (muted = on),
    cancelled: () => cancelledAfter !== undefined && batches >= cancelledAfter,
  };
  return { io, written, ran, progress, sink: (e: RunEvent) => { if (!muted) written.push(e); }, announced: () => last };
}

function setup(io: ReturnType<typeof fakeIO>, extra = {}) {
  const h = harness([play([task('note', 'x')], { serial: [1], ...extra })], ['a', 'b', 'c']);
  h.ctx.emit = io.sink;
  return h;
}

describe('queue/drive: the play driver a worker runs, and a takeover', () => {
  it('runs the batches in order, records each, and counts each host once', async () => {
    const f = fakeIO((hosts) => hosts.map((h) => done(h)));
    const h = setup(f);
    expect(await runPlaybook(h.ctx, createPlayDriver(h.ctx, f.io))).to.equal(0);
    expect(f.ran).to.deep.equal(['p0.b1', 'p0.b2', 'p0.b3']);
    expect(Object.keys(f.progress)).to.deep.equal(['p0.b1', 'p0.b2', 'p0.b3']);
    const recap = f.written.find((e) => e.type === 'recap') as Extract<RunEvent, { type: 'recap' }>;
    expect(recap.hosts).to.deep.equal({ a: counters(1), b: counters(1), c: counters(1) });
    expect(f.written.filter((e) => e.type === 'batch_start')).to.have.length(3);
  });

  it('a driver taking over replays the finished batches without running or writing them again, and runs the rest', async () => {
    const progress = { 'p0.b1': JSON.stringify([done('a')]), 'p0.b2': JSON.stringify([done('b')]) };
    // The previous driver wrote the banner of batch 3 and died before its results came.
    const f = fakeIO((hosts) => hosts.map((h) => done(h)), progress, 3);
    const h = setup(f);
    expect(await runPlaybook(h.ctx, createPlayDriver(h.ctx, f.io))).to.equal(0);
    expect(f.ran).to.deep.equal(['p0.b3']);
    expect(f.written.filter((e) => e.type === 'play_start' || e.type === 'batch_start')).to.deep.equal([]);
    const recap = f.written.find((e) => e.type === 'recap') as Extract<RunEvent, { type: 'recap' }>;
    expect(recap.hosts).to.deep.equal({ a: counters(1), b: counters(1), c: counters(1) });
  });

  it('a takeover after a failed batch stops the rollout as the first driver would have (exit 8)', async () => {
    const progress = { 'p0.b1': JSON.stringify([done('a', true)]) };
    const f = fakeIO((hosts) => hosts.map((h) => done(h)), progress, 1);
    const h = setup(f, { maxFailPercentage: 0 });
    expect(await runPlaybook(h.ctx, createPlayDriver(h.ctx, f.io))).to.equal(8);
    expect(f.ran).to.deep.equal([]);
    const aborted = f.written.find((e) => e.type === 'aborted') as Extract<RunEvent, { type: 'aborted' }>;
    expect(aborted.reason).to.match(/max_fail_percentage 0% exceeded/);
    expect(aborted.notRun).to.deep.equal(['b', 'c']);
  });

  it('a cancelled run stops after the batch in flight, exit 130', async () => {
    const f = fakeIO((hosts) => hosts.map((h) => done(h)), {}, -1, 1);
    const h = setup(f);
    expect(await runPlaybook(h.ctx, createPlayDriver(h.ctx, f.io))).to.equal(130);
    expect(f.ran).to.deep.equal(['p0.b1']);
  });

  it('a job lost with its worker too often fails its hosts, counted once; another error stops the run', async () => {
    const f = fakeIO((hosts) => [{ ok: false, error: 'job stalled more than allowable limit', hosts }]);
    const h = setup(f, { serial: [] });
    expect(await runPlaybook(h.ctx, createPlayDriver(h.ctx, f.io))).to.equal(2);
    const g = fakeIO((hosts) => [{ ok: false, error: 'no vault password', hosts }]);
    const h2 = setup(g, { serial: [] });
    let err: unknown;
    await runPlaybook(h2.ctx, createPlayDriver(h2.ctx, g.io)).catch((e: unknown) => (err = e));
    expect(String(err)).to.match(/could not run play .*no vault password/);
  });
});
