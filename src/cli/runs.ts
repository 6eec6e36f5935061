// `runbook runs` and `runbook follow`: read-only views over what the queue's Redis already holds
// for each run (store.ts): its record, and its event stream replayed through a local run's printers.
import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import { InputError } from '../core/errors.js';
import type { EventSink } from '../executor/events.js';
import { createHumanPrinter } from '../output/human.js';
import { createJsonPrinter } from '../output/json.js';
import { canColor, canRedraw, type TermStream } from '../output/tty.js';
import type { ConnectionOptions } from 'bullmq';
import { QueueError, connectOnce, redisOptions } from '../queue/connect.js';
import { formatRuns, runRow, type RunRow } from '../queue/runs-list.js';
import { DRIVE_QUEUE, KEEP_DAYS, KEEP_RUNS, PREFIX, QueueStore } from '../queue/store.js';
import { EventFollower, followRun } from '../queue/submit.js';
import { parseQueueUrl, passwordSources, type QueueAddress } from '../queue/url.js';
import { SecretSet } from '../secrets/mask.js';
import { maskError } from './mask-error.js';

const LIST_HINT = '`runbook runs --queue URL` lists the runs the queue holds (finished ones for 24 hours)';

/** Connects with the queue's address and password sources as `runbook worker` does; the password is masked in every error. */
async function withQueue<T>(opts: Record<string, unknown>, body: (store: QueueStore, redis: Redis, addr: QueueAddress, secrets: SecretSet) => Promise<T>): Promise<T> {
  const addr = parseQueueUrl(String(opts.queue), passwordSources(process.env, opts.queuePasswordFile as string | undefined));
  const secrets = new SecretSet();
  if (addr.password) secrets.add(addr.password);
  let redis: Redis | undefined;
  try {
    redis = await connectOnce(addr);
    redis.on('error', () => {});
    return await body(new QueueStore(redis), redis, addr, secrets);
  } catch (err) {
    maskError(err, secrets);
    throw err;
  } finally {
    redis?.disconnect();
  }
}

export async function runsCommand(opts: Record<string, unknown>): Promise<number> {
  const limit = (opts.limit as number | undefined) ?? 20;
  return withQueue(opts, async (store, redis) => {
    // Old runs leave the index with their keys (a finished run's keys also expire after a day by themselves).
    await store.prune((opts.keep as number | undefined) ?? KEEP_RUNS, (opts.keepDays as number | undefined) ?? KEEP_DAYS);
    // The index keeps ids whose records expired: read a few more than shown and skip those.
    const ids = await store.recentRunIds(limit * 4 + 20);
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hgetall(`runbook:run:${id}`);
    const records = ((await pipe.exec()) ?? []).map(([, r]) => (r ?? {}) as Record<string, string>);
    const rows: RunRow[] = [];
    for (const [i, id] of ids.entries()) {
      const rec = records[i]!;
      if (Object.keys(rec).length === 0) continue;
      rows.push(runRow(id, rec));
      if (rows.length === limit) break;
    }
    if (opts.json) for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
    else process.stdout.write(formatRuns(rows));
    return 0;
  });
}

export async function followCommand(runId: string, opts: Record<string, unknown>): Promise<number> {
  if (!/^[\w.-]{1,100}$/.test(runId)) throw new InputError(`'${runId.slice(0, 100)}' is not a run id`, undefined, LIST_HINT);
  return withQueue(opts, async (store, redis, addr, secrets) => {
    const record = await store.run(runId);
    if (Object.keys(record).length === 0) throw new QueueError(`no run '${runId}' in the queue at ${addr.display}`, undefined, LIST_HINT);
    const stop = new AbortController();
    setMaxListeners(0, stop.signal);
    const out = process.stdout;
    const term = out as Partial<TermStream>;
    const printer = opts.json
      ? createJsonPrinter({ out, secrets })
      : createHumanPrinter({
          out, color: canColor(term), verbose: Number(record.verbose) || 0, diff: record.diff === '1', secrets, check: record.check === '1', timings: true,
          live: canRedraw(term) ? { term: term as TermStream, signal: stop.signal } : undefined,
        });
    const started = Date.now();
    const emit: EventSink = (event) => printer({ ...event, atMs: Date.now() - started });
    const reader = redis.duplicate();
    reader.on('error', () => {});
    const follower = new EventFollower(emit, store, runId, true);
    follower.reader = reader;
    const { Queue } = await import('bullmq');
    const drives = new Queue(DRIVE_QUEUE, { connection: redisOptions(addr) as ConnectionOptions, prefix: PREFIX });
    drives.on('error', () => {});
    // Ctrl-C detaches: the run is driven by a worker, and goes on.
    let detached = false;
    const onSigint = (): void => { detached = true; };
    process.once('SIGINT', onSigint);
    try {
      const code = await followRun(store, follower, runId, { addr, drives, emit, detached: () => detached });
      if (detached) emit({ type: 'warning', msg: `detached from run ${runId}: it goes on (\`runbook follow ${runId}\` reattaches)` });
      return code;
    } finally {
      process.off('SIGINT', onSigint);
      stop.abort();
      reader.disconnect();
      await drives.close().catch(() => {});
    }
  });
}
