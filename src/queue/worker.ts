// `runbook worker`: takes jobs from the queue until SIGTERM, runs each with run-job.ts, drives runs
// (drive.ts, a queue of its own so host jobs never wait behind drivers), and listens for a run's
// cancel. A worker killed outright loses nothing: BullMQ's stalled-job check hands its jobs, and the
// runs it drove, to another worker once their lock (--stall-seconds) runs out.
import { DelayedError, Queue, QueueEvents, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError } from '../core/errors.js';
import { connectOnce, redisOptions } from './connect.js';
import type { JobData, JobResult } from './job.js';
import { runJob, runSignal, type WorkerSetup } from './run-job.js';
import { CANCEL_CHANNEL, DRIVE_QUEUE, PREFIX, QUEUE_NAME, QueueStore } from './store.js';
import { HandBack, Superseded, driveRun, type DriveData } from './drive.js';
import type { QueueAddress } from './url.js';

export interface WorkerConfig extends WorkerSetup {
  addr: QueueAddress;
  concurrency: number;
  /** Runs this worker drives at once (a driver only waits on Redis). */
  drivers: number;
  /** A job whose worker stops renewing its lock for this long is handed to another worker. */
  stallSeconds: number;
  log: (line: string) => void;
}

export async function runWorker(cfg: WorkerConfig): Promise<number> {
  // Fails within seconds, naming host:port only, when Redis is not there or refuses us.
  const first = await connectOnce(cfg.addr);
  first.disconnect();
  const conn = redisOptions(cfg.addr);
  const { Redis: RedisClient } = await import('ioredis');
  const data: Redis = new RedisClient(conn);
  const sub: Redis = new RedisClient(conn);
  for (const r of [data, sub]) r.on('error', () => { /* reconnects by itself; the worker keeps its jobs */ });
  const store = new QueueStore(data);

  const running = new Map<string, Set<AbortController>>();
  await sub.subscribe(CANCEL_CHANNEL);
  sub.on('message', (_channel: string, runId: string) => {
    for (const c of running.get(runId) ?? []) c.abort();
  });

  const process_ = async (job: Job<JobData, JobResult>, _token?: string, bullSignal?: AbortSignal): Promise<JobResult> => {
    const d = job.data;
    if (await store.cancelled(d.runId)) return { worker: cfg.name, hosts: {}, interrupted: true };
    const controller = runSignal();
    bullSignal?.addEventListener('abort', () => controller.abort());
    const set = running.get(d.runId) ?? new Set();
    set.add(controller);
    running.set(d.runId, set);
    const again = job.attemptsStarted > 1 || (job.stalledCounter ?? 0) > 0 ? ' (again: its first worker was lost)' : '';
    cfg.log(`job ${job.id}: play ${d.playIndex + 1}, batch ${d.batch}/${d.batches}, ${d.hosts.join(' ')}${again}`);
    try {
      const r = await runJob(store, cfg, d, controller.signal);
      cfg.log(`job ${job.id}: ${r.interrupted ? 'cancelled' : 'done'}`);
      return r;
    } catch (err) {
      cfg.log(`job ${job.id}: error: ${describeError(err).split('\n')[0]}`);
      throw err;
    } finally {
      set.delete(controller);
      if (set.size === 0) running.delete(d.runId);
    }
  };

  // One Queue and one QueueEvents serve every run this worker drives.
  const queue = new Queue(QUEUE_NAME, { connection: conn as ConnectionOptions, prefix: PREFIX });
  const queueEvents = new QueueEvents(QUEUE_NAME, { connection: conn as ConnectionOptions, prefix: PREFIX });
  queue.on('error', () => {});
  queueEvents.on('error', () => {});
  queueEvents.setMaxListeners(0);
  const handBack = new AbortController();
  const drive = async (job: Job<DriveData>, token?: string): Promise<void> => {
    const d = job.data;
    const record = await store.run(d.runId);
    if (record.status !== 'running') return;
    const cancel = new AbortController();
    const set = running.get(d.runId) ?? new Set();
    set.add(cancel);
    running.set(d.runId, set);
    const again = (job.stalledCounter ?? 0) > 0 || job.attemptsStarted > 1 || record.driver ? ` (taking over from ${record.driver ?? 'a lost driver'})` : '';
    cfg.log(`driving run ${d.runId}${again}`);
    try {
      await driveRun({ store, queue, events: queueEvents, setup: cfg, cancel, handBack: handBack.signal }, d);
      cfg.log(`run ${d.runId}: driven to its end`);
    } catch (err) {
      if (err instanceof HandBack) {
        cfg.log(`run ${d.runId}: handed back to the queue for another worker`);
        await job.moveToDelayed(Date.now() + 200, token);
        throw new DelayedError();
      }
      if (err instanceof Superseded) {
        cfg.log(`run ${d.runId}: ${err.message}; this driver stops`);
        return;
      }
      cfg.log(`run ${d.runId}: driver error: ${describeError(err).split('\n')[0]}`);
      throw err;
    } finally {
      set.delete(cancel);
      if (set.size === 0) running.delete(d.runId);
    }
  };
  // Both queues share the connection and the stalled-job timing: a dead worker's drivers and host
  // jobs are noticed on the same clock.
  const shared = {
    connection: conn as ConnectionOptions,
    prefix: PREFIX,
    name: cfg.name,
    lockDuration: cfg.stallSeconds * 1000,
    stalledInterval: Math.max(1000, Math.floor((cfg.stallSeconds * 1000) / 2)),
  };
  const driver = new Worker<DriveData>(DRIVE_QUEUE, drive, {
    ...shared,
    concurrency: cfg.drivers,
    // Losing a driver costs nothing but a replay of the finished batches: never give a run up for it.
    maxStalledCount: 1000,
  });

  const worker = new Worker<JobData, JobResult>(QUEUE_NAME, process_, {
    ...shared,
    concurrency: cfg.concurrency,
    // A host whose worker died twice more is failed rather than retried for ever.
    maxStalledCount: 3,
  });
  let lastError = '';
  const onError = (err: Error): void => {
    // Redis restarting prints once, not once a retry; never the password (ioredis messages carry none, but mask anyway).
    const text = err.message.split(cfg.addr.password ?? '\0').join('********');
    if (text !== lastError) cfg.log(`queue ${cfg.addr.display}: ${text}`);
    lastError = text;
  };
  worker.on('error', onError);
  driver.on('error', onError);
  await Promise.all([worker.waitUntilReady(), driver.waitUntilReady(), queueEvents.waitUntilReady()]);
  cfg.log(`worker ${cfg.name}: waiting for jobs on ${cfg.addr.display} (concurrency ${cfg.concurrency}, a lost worker's jobs move on after ${cfg.stallSeconds}s)`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        // Second signal: leave at once; the jobs' locks run out and other workers take them over.
        cfg.log(`worker ${cfg.name}: ${signal} again: leaving now, unfinished jobs go back to the queue`);
        process.exit(143);
      }
      stopping = true;
      cfg.log(`worker ${cfg.name}: ${signal}: finishing the current jobs, taking no new ones, handing the runs it drives to other workers (${signal} again to hand the jobs back now)`);
      handBack.abort();
      void Promise.all([driver.close(), worker.close()]).then(async () => {
        await Promise.all([queue.close(), queueEvents.close()]).catch(() => {});
        sub.disconnect();
        data.disconnect();
        cfg.log(`worker ${cfg.name}: stopped`);
        resolve(0);
      });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}
