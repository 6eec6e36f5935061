// `runbook runs` and `runbook follow`: read-only views over what the queue's Redis already holds
// for each run (store.ts): its record, and its event stream replayed through a local run's printers.
import { hostname } from 'node:os';
import { setMaxListeners } from 'node:events';
import type { Redis } from 'ioredis';
import { InputError } from '../core/errors.js';
import type { EventSink } from '../executor/events.js';
import { createHumanPrinter } from '../output/human.js';
import { createJsonPrinter } from '../output/json.js';
import { canColor, canRedraw, type TermStream } from '../output/tty.js';
import { QueueError, connectOnce } from '../queue/connect.js';
import { formatRuns, parseSubmitter, runRow, type RunRow } from '../queue/runs-list.js';
import { QueueStore } from '../queue/store.js';
import { EventFollower } from '../queue/submit.js';
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

/**
 * Whether the submitter `host:pid` is known to be dead: only on this machine can it be checked
 * (a signal 0 to the pid); elsewhere the answer is "not known", false.
 */
export function submitterGone(submitter: string | undefined, here = hostname()): boolean {
  const s = parseSubmitter(submitter ?? '');
  if (!s || s.host !== here) return false;
  try {
    process.kill(s.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export async function runsCommand(opts: Record<string, unknown>): Promise<number> {
  const limit = (opts.limit as number | undefined) ?? 20;
  return withQueue(opts, async (store, redis) => {
    // The index keeps ids whose records expired: read a few more than shown and skip those.
    const ids = await store.recentRunIds(limit * 4 + 20);
    const pipe = redis.pipeline();
    for (const id of ids) pipe.hgetall(`runbook:run:${id}`);
    const records = ((await pipe.exec()) ?? []).map(([, r]) => (r ?? {}) as Record<string, string>);
    const rows: RunRow[] = [];
    for (const [i, id] of ids.entries()) {
      const rec = records[i]!;
      if (Object.keys(rec).length === 0) continue;
      rows.push(runRow(id, rec, rec.status === 'running' && submitterGone(rec.submitter)));
      if (rows.length === limit) break;
    }
    if (opts.json) for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
    else process.stdout.write(formatRuns(rows));
    return 0;
  });
}

/** How long the stream may stay silent before a submitter on another machine is said to be beyond checking. */
const SILENT_NOTE_MS = 60_000;

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
    // Ctrl-C detaches: the run is the submitter's, and goes on.
    let detached = false;
    const onSigint = (): void => { detached = true; };
    process.once('SIGINT', onSigint);
    try {
      let quietSince = Date.now();
      let noted = false;
      for (;;) {
        if (detached) {
          emit({ type: 'warning', msg: `detached from run ${runId}: it goes on (\`runbook follow ${runId}\` reattaches)` });
          return 130;
        }
        let n: number;
        try {
          n = await follower.pump(1000);
        } catch (err) {
          throw new QueueError(`lost the queue at ${addr.display} while following run ${runId}: ${err instanceof Error ? err.message : String(err)}`, undefined, `\`runbook follow ${runId}\` again once Redis answers`);
        }
        const recap = follower.recapRead();
        if (recap) return recap.exitCode;
        if (n > 0) {
          quietSince = Date.now();
          continue;
        }
        const now = await store.run(runId);
        if (now.status !== 'running') {
          await follower.drain();
          const late = follower.recapRead();
          if (late) return late.exitCode;
          const code = now.exitCode !== undefined ? Number(now.exitCode) : 1;
          emit({ type: 'warning', msg: `run ${runId} ended with exit code ${code} and no recap: its submitter stopped on an error (it printed it), or its record expired` });
          return code;
        }
        const quiet = Date.now() - quietSince;
        if (quiet > 3000 && submitterGone(now.submitter) && (await store.pendingJobs(runId)).length === 0) {
          await follower.drain();
          emit({ type: 'warning', msg: `run ${runId}: its submitter (${now.submitter}) is gone and no worker holds a job of it. The submitter drives the batches, so the run stopped after the batch in flight; run the same \`runbook apply --queue\` again to finish it (modules are idempotent)` });
          return 1;
        }
        if (!noted && quiet > SILENT_NOTE_MS && parseSubmitter(now.submitter ?? '')?.host !== hostname()) {
          noted = true;
          emit({ type: 'warning', msg: `no event for ${Math.round(quiet / 1000)} s: the submitter of run ${runId} runs on ${now.submitter}, so whether it is alive cannot be checked from here (Ctrl-C detaches)` });
        }
      }
    } finally {
      process.off('SIGINT', onSigint);
      stop.abort();
      reader.disconnect();
    }
  });
}
