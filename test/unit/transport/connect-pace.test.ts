// Connect pacing: handshakes in flight stay under the bound, drops are retried with growing jittered delays, other errors are not.
import { expect } from 'chai';
import { ConnectPacer, backoffDelay, isDroppedHandshake } from '../../../src/transport/connect-pace.js';

const dropped = (): Error => new Error('Connection lost before handshake');

/** A handshake the test settles by hand, so the order of events is the test's, not the clock's. */
function deferred(): { promise: Promise<string>; resolve: (v: string) => void; reject: (e: unknown) => void } {
  let resolve!: (v: string) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<string>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('connect pacing', () => {
  it('tells a dropped handshake from a refusal, a timeout or a failed login', () => {
    expect(isDroppedHandshake(dropped())).to.equal(true);
    expect(isDroppedHandshake(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).to.equal(true);
    expect(isDroppedHandshake(new Error('kex_exchange_identification: Connection closed by remote host'))).to.equal(true);
    expect(isDroppedHandshake(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).to.equal(false);
    expect(isDroppedHandshake(new Error('Timed out while waiting for handshake'))).to.equal(false);
    expect(isDroppedHandshake(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }))).to.equal(false);
    expect(isDroppedHandshake(undefined)).to.equal(false);
  });

  it('doubles the delay per retry up to the cap, jittered between half and all of it', () => {
    const s = { baseDelayMs: 50, maxDelayMs: 2000 };
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, s, () => 1))).to.deep.equal([50, 100, 200, 400, 2000]);
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, s, () => 0))).to.deep.equal([25, 50, 100, 200, 1000]);
  });

  it('never has more handshakes in flight than maxInFlight, and starts the waiting ones in order', async () => {
    const pacer = new ConnectPacer({ maxInFlight: 2, maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 });
    const pending = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    const results = pending.map((d, i) =>
      pacer.connect(() => {
        started.push(i);
        return d.promise;
      }),
    );
    await tick();
    expect(started).to.deep.equal([0, 1]);
    expect(pacer.running).to.equal(2);
    pending[1]!.resolve('b');
    await tick();
    expect(started).to.deep.equal([0, 1, 2]);
    expect(pacer.running).to.equal(2);
    for (const d of pending) d.resolve('x');
    await Promise.all(results);
    expect(started).to.deep.equal([0, 1, 2, 3, 4]);
    expect(pacer.running).to.equal(0);
    expect(pacer.stats).to.deep.equal({ connects: 5, retries: 0, gaveUp: 0 });
  });

  it('retries a dropped handshake after a backoff, outside its slot, until it succeeds', async () => {
    const sleeps: number[] = [];
    const pacer = new ConnectPacer({ maxInFlight: 1, maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1000 }, { sleep: async (ms) => void sleeps.push(ms), random: () => 1 });
    let calls = 0;
    const result = await pacer.connect(async () => {
      calls++;
      if (calls <= 3) throw dropped();
      return 'connected';
    });
    expect(result).to.equal('connected');
    expect(sleeps).to.deep.equal([100, 200, 400]);
    expect(pacer.stats).to.deep.equal({ connects: 1, retries: 3, gaveUp: 0 });
    expect(pacer.running).to.equal(0);
  });

  it('lets another host handshake while a dropped one waits for its retry', async () => {
    const gate = deferred();
    const pacer = new ConnectPacer({ maxInFlight: 1, maxRetries: 2, baseDelayMs: 10, maxDelayMs: 10 }, { sleep: () => gate.promise.then(() => undefined) });
    let first = 0;
    const a = pacer.connect(async () => {
      if (first++ === 0) throw dropped();
      return 'a';
    });
    await tick();
    // a sleeps without its slot: b gets it at once.
    expect(await pacer.connect(async () => 'b')).to.equal('b');
    gate.resolve('');
    expect(await a).to.equal('a');
  });

  it('gives up after maxRetries drops with the last error, and never retries other errors', async () => {
    const pacer = new ConnectPacer({ maxInFlight: 4, maxRetries: 2, baseDelayMs: 1, maxDelayMs: 1 }, { sleep: async () => {} });
    let calls = 0;
    let caught: unknown;
    await pacer.connect(async () => {
      calls++;
      throw dropped();
    }).catch((e: unknown) => (caught = e));
    expect(calls).to.equal(3);
    expect((caught as Error).message).to.equal('Connection lost before handshake');
    expect(pacer.stats).to.deep.equal({ connects: 0, retries: 2, gaveUp: 1 });
    let refusedCalls = 0;
    await pacer.connect(async () => {
      refusedCalls++;
      throw Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });
    }).catch(() => {});
    expect(refusedCalls).to.equal(1);
    expect(pacer.running).to.equal(0);
  });
});
