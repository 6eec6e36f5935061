// `runbook apply --queue`: the run's inputs go to Redis as one bundle, then each play's serial
// batches go out in order as jobs (one per chunk of hosts) and the rollout rules are judged over
// the whole batch here, as the local executor judges them. The workers' events come back on the
// run's stream and reach the same printers, report and recap as a local run's.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, QueueEvents, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { InterruptedError } from '../core/errors.js';
import type { RunContext } from '../executor/context.js';
import type { EventSink, RunEvent } from '../executor/events.js';
import { serialBatches } from '../executor/batches.js';
import type { PlayResult } from '../executor/run-play.js';
import type { PlayDriver } from '../executor/run-playbook.js';
import type { Play } from '../playbook/types.js';
import { listBundleFiles, uploadBundle, type BundleSources } from './bundle.js';
import { QueueError, connectOnce, redisOptions } from './connect.js';
import { jobId, type JobData, type JobResult } from './job.js';
import { PREFIX, QUEUE_NAME, QueueStore } from './store.js';
import type { QueueAddress } from './url.js';

export interface SubmitOptions {
  addr: QueueAddress;
  sources: BundleSources;
  /** Everything a job carries but its play, batch and hosts. */
  job: Omit<JobData, 'runId' | 'bundleId' | 'playIndex' | 'batch' | 'batches' | 'hosts'>;
  /** Hosts per job (default 1: every host of a batch is its own job). */
  chunk: number;
  /** How long Redis may stay away before the run stops (ms). */
  lostAfterMs?: number;
}

export interface QueueRun {
  runId: string;
  drive: PlayDriver;
  finish(exitCode: number): Promise<void>;
}

/** How long a batch may wait with no worker taking any of its jobs before a warning says so. */
const WORKERLESS_MS = 10_000;

type Settled = { ok: true; result: JobResult } | { ok: false; error: string; hosts: string[] };

export async function submitRun(ctx: RunContext, opts: SubmitOptions): Promise<QueueRun> {
  const { addr } = opts;
  // The password is a secret of this run like a -k one: masked in everything, left out of the resume command.
  if (addr.password) ctx.secrets.add(addr.password);
  const control = await connectOnce(addr);
  const store = new QueueStore(control);
  const reader: Redis = control.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(n * 200, 1000) });
  reader.on('error', () => {});
  control.on('error', () => {});
  const bundle = await uploadBundle(store, listBundleFiles(opts.sources));
  const runId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(4).toString('hex')}`;
  await store.startRun(runId, {
    playbook: opts.job.playbook, submitter: `${hostname()}:${process.pid}`, started: new Date().toISOString(), bundle: bundle.id,
    // How `runbook follow` prints it as this run's own output did.
    check: ctx.options.check ? '1' : '0', diff: ctx.options.diff ? '1' : '0', verbose: String(ctx.options.verbose),
  });
  const queue = new Queue(QUEUE_NAME, { connection: redisOptions(addr) as ConnectionOptions, prefix: PREFIX });
  const events = new QueueEvents(QUEUE_NAME, { connection: redisOptions(addr) as ConnectionOptions, prefix: PREFIX });
  queue.on('error', () => {});
  events.on('error', () => {});
  await events.waitUntilReady();
  if (ctx.options.verbose > 0) ctx.emit({ type: 'warning', msg: `queue ${addr.display}: run ${runId}, bundle ${bundle.id.slice(0, 12)} (${bundle.files} files, ${bundle.bytes} bytes)` });

  const follower = new EventFollower((event) => ctx.emit(event), store, runId);
  // What the submitter prints itself (banners, warnings, aborts, the recap) goes to the stream too,
  // masked as the workers' events are, so `runbook follow` replays the whole run. In order, before
  // a batch's jobs go out and before the run is marked finished.
  let recorded: Promise<void> = Promise.resolve();
  const emit = ctx.emit;
  ctx.emit = (event) => {
    emit(event);
    if (follower.forwarding || lost) return;
    const { atMs: _at, ...body } = event;
    const line = ctx.secrets.mask(JSON.stringify(body, (_k, v: unknown) => (typeof v === 'string' ? ctx.secrets.mask(v) : v)));
    recorded = recorded.then(() => store.appendEvents(runId, [line], 's')).catch(() => {});
  };
  const mine = new Map<string, string[]>();
  events.on('stalled', ({ jobId: id }) => {
    const hosts = mine.get(id);
    if (hosts) ctx.emit({ type: 'warning', msg: `the worker running ${hosts.join(', ')} stopped answering: another worker runs ${hosts.length > 1 ? 'them' : 'it'} again from the start of the play` });
  });
  let cancelled = false;
  /** Jobs of the batch in progress not yet finished: on Ctrl-C, those no worker has taken are taken back. */
  const unfinished = new Map<string, () => void>();
  const onAbort = (): void => {
    cancelled = true;
    void store.cancel(runId).catch(() => {});
    for (const [id, giveUp] of unfinished) {
      // remove() leaves a job a worker holds (it sees the cancel); a waiting one is gone, and counted as interrupted.
      void queue.remove(id).then((n) => { if (n === 1) giveUp(); }, () => {});
    }
  };
  ctx.options.signal?.addEventListener('abort', onAbort);
  let lost = false;

  const runBatch = async (play: Play, playIndex: number, batch: number, batches: number, hosts: string[]): Promise<Map<string, Settled>> => {
    const chunks: string[][] = [];
    for (let i = 0; i < hosts.length; i += opts.chunk) chunks.push(hosts.slice(i, i + opts.chunk));
    await recorded;
    const jobs = await queue.addBulk(chunks.map((chunkHosts, k) => {
      const id = jobId(runId, playIndex, batch, k);
      mine.set(id, chunkHosts);
      return {
        name: play.name || `play ${playIndex + 1}`,
        data: { ...opts.job, runId, bundleId: bundle.id, playIndex, batch, batches, hosts: chunkHosts },
        opts: { jobId: id, attempts: 1, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } },
      };
    }));
    const settled = new Map<string, Settled>();
    const waits = jobs.map((job) => {
      const takenBack = new Promise<JobResult>((resolve) => unfinished.set(job.id!, () => resolve({ worker: '', hosts: {}, interrupted: true })));
      return Promise.race([job.waitUntilFinished(events) as Promise<JobResult>, takenBack]).then(
        (result) => { settled.set(job.id!, { ok: true, result }); },
        (err: unknown) => { settled.set(job.id!, { ok: false, error: err instanceof Error ? err.message : String(err), hosts: mine.get(job.id!) ?? [] }); },
      ).finally(() => unfinished.delete(job.id!));
    });
    let done = false;
    void Promise.all(waits).then(() => (done = true));
    let awaySince: number | undefined;
    const batchStarted = Date.now();
    let nudged = false;
    while (!done) {
      if (!nudged && Date.now() - batchStarted > WORKERLESS_MS) {
        nudged = true;
        // Nothing fails when no worker listens: the run just waits, so say so once.
        const states = await Promise.all(jobs.map((j) => j.getState().catch(() => 'unknown')));
        if (states.every((st) => st === 'waiting' || st === 'prioritized')) {
          ctx.emit({ type: 'warning', msg: `no worker has taken a job of this run in ${WORKERLESS_MS / 1000} s: start one with \`runbook worker --queue\` against ${addr.display}; the run waits for it (Ctrl-C cancels)` });
        }
      }
      try {
        await follower.pump(250);
        awaySince = undefined;
      } catch {
        awaySince ??= Date.now();
        if (Date.now() - awaySince > (opts.lostAfterMs ?? 5000)) {
          lost = true;
          break;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    // The jobs wrote their events before finishing: read the rest, so results print before the next banner.
    if (!lost) await follower.drain();
    return settled;
  };

  const drive: PlayDriver = async (play, hosts, playIndex): Promise<PlayResult> => {
    ctx.emit({ type: 'play_start', play: play.name, hosts, check: ctx.options.check });
    const batches = serialBatches(hosts, play.serial, play.loc);
    for (const [i, batch] of batches.entries()) {
      const live = batch.filter((h) => ctx.states.get(h)!.active);
      if (batches.length > 1) ctx.emit({ type: 'batch_start', play: play.name, hosts: live, batch: i + 1, batches: batches.length });
      if (live.length === 0) continue;
      follower.newBatch();
      const settled = await runBatch(play, playIndex, i + 1, batches.length, live);
      let chunkAbort: string | undefined;
      let interrupted = cancelled;
      const finished = new Set<string>();
      for (const s of settled.values()) {
        if (!s.ok && /stalled more than/.test(s.error)) {
          // Lost with its worker again and again (a host that crashes whoever runs it?): its hosts fail, the run goes on.
          for (const h of s.hosts) {
            const st = ctx.states.get(h)!;
            ctx.emit({ type: 'host_result', task: play.name, handler: false, host: h, status: 'failed', msg: `every worker that ran this host for play '${play.name}' was lost (${s.error})`, durationMs: 0 });
            st.counters.failed++;
            st.failed = true;
            finished.add(h);
          }
          continue;
        }
        if (!s.ok) throw new QueueError(`a worker could not run play '${play.name}': ${s.error}`, undefined, 'see the worker\'s log; fix the cause (a missing vault password on the worker, say) and resume');
        interrupted ||= Boolean(s.result.interrupted);
        chunkAbort ??= s.result.aborted;
        for (const [h, o] of Object.entries(s.result.hosts)) {
          finished.add(h);
          const st = ctx.states.get(h)!;
          for (const k of Object.keys(o.counters) as (keyof typeof o.counters)[]) st.counters[k] += o.counters[k];
          st.failed = o.failed;
          st.unreachable = o.unreachable;
          st.stoppedAt = o.stoppedAt;
        }
      }
      if (lost) {
        const cut = live.filter((h) => !finished.has(h) || ctx.states.get(h)!.active);
        return { aborted: { reason: `lost the queue at ${addr.display}: the run stops; what finished is counted below`, notRun: batches.slice(i + 1).flat(), cut: cut.filter((h) => !finished.has(h)) } };
      }
      if (interrupted) throw new InterruptedError('interrupted');
      const abort = judgeBatch(ctx, play, live, i, batches.length) ?? chunkAbort;
      if (abort) return { aborted: { reason: abort, notRun: batches.slice(i + 1).flat(), cut: live.filter((h) => ctx.states.get(h)!.active) } };
    }
    return {};
  };

  const finish = async (exitCode: number): Promise<void> => {
    ctx.options.signal?.removeEventListener('abort', onAbort);
    ctx.emit = emit;
    if (lost) {
      for (const c of [reader, control]) c.disconnect();
      void queue.close().catch(() => {});
      void events.close().catch(() => {});
      return;
    }
    await recorded;
    await store.finishRun(runId, exitCode === 130 ? 'cancelled' : 'finished', exitCode).catch(() => {});
    await Promise.all([queue.close(), events.close()]).catch(() => {});
    reader.disconnect();
    control.disconnect();
  };
  follower.reader = reader;
  return { runId, drive, finish };
}

/** max_fail_percentage, any_errors_fatal and a wholly failed batch, over the whole batch as the local executor judges them. */
export function judgeBatch(ctx: RunContext, play: Play, live: string[], index: number, count: number): string | undefined {
  const failedNow = live.filter((h) => !ctx.states.get(h)!.active);
  if (failedNow.length === 0) return undefined;
  if (play.anyErrorsFatal) return `any_errors_fatal: ${failedNow.join(', ')} failed`;
  if (play.maxFailPercentage !== undefined) {
    const pct = (failedNow.length / live.length) * 100;
    if (pct > play.maxFailPercentage) return `max_fail_percentage ${play.maxFailPercentage}% exceeded: ${failedNow.length} of ${live.length} hosts failed (${failedNow.join(', ')})`;
  }
  if (index < count - 1 && failedNow.length === live.length) return `every host of batch ${index + 1}/${count} failed (${live.join(', ')}): the rollout stops`;
  return undefined;
}

/**
 * Reads the run's event stream and hands each event to the run's printers. Workers interleave, so
 * a task's banner is printed again when results for it follow another task's (never a result under
 * the wrong banner); play and batch banners come from the submitter alone.
 */
export class EventFollower {
  reader!: Redis;
  /** True while a stream event is handed on (the submitter records only what it emits itself). */
  forwarding = false;
  private recap: Extract<RunEvent, { type: 'recap' }> | undefined;
  private last = '0';
  private banner: string | undefined;
  private readonly starts = new Map<string, Extract<RunEvent, { type: 'task_start' }>>();

  /** replay: also hand on the submitter's own events (`runbook follow`); the submitter itself skips them. */
  constructor(
    private readonly emit: EventSink,
    private readonly store: QueueStore,
    private readonly runId: string,
    private readonly replay = false,
  ) {}

  /** The run's recap, once read (`runbook follow`). */
  recapRead(): Extract<RunEvent, { type: 'recap' }> | undefined {
    return this.recap;
  }

  newBatch(): void {
    this.banner = undefined;
    this.starts.clear();
  }

  async pump(blockMs: number): Promise<number> {
    const key = this.store.eventsKey(this.runId);
    const res = (blockMs > 0
      ? await this.reader.xread('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', key, this.last)
      : await this.reader.xread('COUNT', 1000, 'STREAMS', key, this.last)) as [string, [string, string[]][]][] | null;
    if (!res) return 0;
    const entries = res[0]![1];
    for (const [id, fields] of entries) {
      this.last = id;
      const event = JSON.parse(fields[1] ?? '{}') as RunEvent;
      this.forwarding = true;
      try {
        if (fields[0] === 's') {
          if (this.replay) this.own(event);
        } else {
          this.forward(event);
        }
      } finally {
        this.forwarding = false;
      }
    }
    return entries.length;
  }

  async drain(): Promise<void> {
    while ((await this.pump(0)) > 0) { /* until empty */ }
  }

  private own(event: RunEvent): void {
    delete event.atMs;
    if (event.type === 'play_start' || event.type === 'batch_start') this.newBatch();
    if (event.type === 'recap') this.recap = event;
    this.emit(event);
  }

  private forward(event: RunEvent): void {
    // The submitter's own clock stamps every event (the workers' clocks differ).
    delete event.atMs;
    if (event.type === 'task_start') {
      // Printed with its first result: a banner with nothing under it would only say another worker moved on.
      this.starts.set(taskKey(event.task, event.handler), event);
      return;
    }
    if (event.type === 'host_result') {
      const key = taskKey(event.task, event.handler);
      const start = this.starts.get(key);
      if (this.banner !== key && start) {
        this.banner = key;
        this.emit(start);
      }
    } else if (event.type === 'host_start' || event.type === 'host_progress') {
      // The live view shows the current task's hosts: another task's "running" would land in the wrong block.
      if (this.banner !== taskKey(event.task, event.type === 'host_start' ? event.handler : false)) return;
    } else if (event.type === 'run_error') {
      this.emit({ type: 'warning', msg: `a worker stopped on an error: ${event.msg}` });
      return;
    }
    this.emit(event);
  }
}

function taskKey(task: string, handler: boolean): string {
  return `${handler ? 'h' : 't'}\0${task}`;
}
