// `runbook runs --queue URL` prunes the runs index (--keep, --keep-days) against a real redis-server:
// a pruned run's keys are gone, a kept run's keys are byte for byte as they were. No lab host: the
// runs are written with the store a submitter and driver use, then dated back in the index.
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { QueueStore } from '../../src/queue/store.js';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { runbook } from './support/runbook.js';

const DAY = 24 * 3600 * 1000;

describe('queue: `runbook runs` prunes old runs with their keys (real Redis)', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let admin: Redis;
  let store: QueueStore;

  before(async () => {
    redis = await startRedis();
    admin = new Redis({ port: redis.port, host: '127.0.0.1', password: redis.password });
    store = new QueueStore(admin);
  });

  after(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  beforeEach(async () => {
    await admin.flushall();
  });

  /** A run with every key a run can leave: record, events, state, secrets, driver progress and generation, cancel flag. */
  async function seedRun(id: string, ageMs: number, status: 'running' | 'finished'): Promise<void> {
    await store.startRun(id, { playbook: 'site.yml', submitter: 'ctl:1', started: new Date(Date.now() - ageMs).toISOString(), bundle: 'b' });
    await store.appendEvents(id, [JSON.stringify({ type: 'warning', msg: `run ${id}` })]);
    await store.appendEvents(id, [JSON.stringify({ type: 'recap', hosts: {}, exitCode: 0, durationMs: 1 })], 's', { announced: '0' });
    await store.saveStates(id, { host1: '{}' });
    await store.addSecrets(id, ['s3cret']);
    await store.recordBatch(id, 'p0.b1', '[]');
    await store.claimDriver(id, 'w1');
    await store.cancel(id);
    if (status === 'finished') await store.finishRun(id, 'finished', 0);
    // Dated back as if it started ageMs ago (startRun stamps now).
    await admin.zadd('runbook:runs', Date.now() - ageMs, id);
  }

  const keysOf = async (id: string): Promise<string[]> => (await admin.keys(`runbook:run:${id}*`)).sort();

  /** Every key of the run and its value, to compare before and after a prune. */
  async function dumpRun(id: string): Promise<string> {
    const out: string[] = [];
    for (const key of await keysOf(id)) {
      const type = await admin.type(key);
      if (type === 'hash') out.push(key, JSON.stringify(await admin.hgetall(key)));
      else if (type === 'stream') out.push(key, JSON.stringify(await admin.xrange(key, '-', '+')));
      else if (type === 'set') out.push(key, JSON.stringify((await admin.smembers(key)).sort()));
      else out.push(key, String(await admin.get(key)));
    }
    return out.join('\n');
  }

  const runs = (extra: string[]): ReturnType<typeof runbook> =>
    runbook(['runs', '--queue', redis.url, '--json', '--limit', '50', ...extra], { env: { RUNBOOK_QUEUE_PASSWORD: redis.userPassword } });
  const idsListed = (stdout: string): string[] => stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);

  it('--keep N: runs past the newest N leave the index with every key; the kept ones and a running one stay intact', async () => {
    // r1 oldest .. r6 newest, minutes apart; r2 is still running.
    const ids = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
    for (const [i, id] of ids.entries()) await seedRun(id, (ids.length - i) * 60_000, id === 'r2' ? 'running' : 'finished');
    for (const id of ids) expect(await keysOf(id), id).to.have.length.at.least(4);
    const kept = ['r2', 'r4', 'r5', 'r6'];
    const before = new Map(await Promise.all(kept.map(async (id) => [id, await dumpRun(id)] as const)));

    const r = await runs(['--keep', '3']);
    expect(r.code, r.stderr).to.equal(0);
    expect(idsListed(r.stdout)).to.deep.equal(['r6', 'r5', 'r4', 'r2']);
    for (const id of ['r1', 'r3']) expect(await keysOf(id), id).to.deep.equal([]);
    expect(await admin.zrange('runbook:runs', 0, -1)).to.deep.equal(['r2', 'r4', 'r5', 'r6']);
    for (const id of kept) expect(await dumpRun(id), id).to.equal(before.get(id));
    expect(r.stdout + r.stderr).to.not.include(redis.userPassword);
  });

  it('--keep-days N: older runs go, a running one too once past it; an entry whose record expired goes with its keys', async () => {
    await seedRun('old-done', 3 * DAY, 'finished');
    await seedRun('old-running', 3 * DAY, 'running');
    await seedRun('fresh', 60_000, 'finished');
    await seedRun('expired', 120_000, 'finished');
    // Its record expired (a day after it finished) while its events were still there.
    await admin.del('runbook:run:expired');
    const freshBefore = await dumpRun('fresh');

    // The default keeps 7 days: nothing old enough yet, only the expired entry goes.
    const first = await runs([]);
    expect(first.code, first.stderr).to.equal(0);
    expect(idsListed(first.stdout)).to.deep.equal(['fresh', 'old-running', 'old-done']);
    expect(await keysOf('expired')).to.deep.equal([]);
    expect(await keysOf('old-done')).to.have.length.greaterThan(0);

    const r = await runs(['--keep-days', '2']);
    expect(r.code, r.stderr).to.equal(0);
    expect(idsListed(r.stdout)).to.deep.equal(['fresh']);
    for (const id of ['old-done', 'old-running']) expect(await keysOf(id), id).to.deep.equal([]);
    expect(await admin.zrange('runbook:runs', 0, -1)).to.deep.equal(['fresh']);
    expect(await dumpRun('fresh')).to.equal(freshBefore);
  });
});
