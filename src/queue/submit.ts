// `runbook apply --queue`: the run's inputs go to Redis as one bundle, the run is stored and one
// driver job enqueued (drive.ts: a worker drives the batches, so the run goes on if this process
// dies), then the run's stream is followed to its recap exactly as `runbook follow` does, through
// the same printers, report and exit code as a local run.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Queue, type ConnectionOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RunContext } from '../executor/context.js';
import type { EventSink, RunEvent } from '../executor/events.js';
import { HostState } from '../executor/host-state.js';
import { exitCodeFor } from '../executor/recap.js';
import { resumeHint } from '../executor/resume.js';
import { listBundleFiles, uploadBundle, type BundleSources } from './bundle.js';
import { QueueError, connectOnce, redisOptions } from './connect.js';
import type { DriveData } from './drive.js';
import type { JobDone, JobStart } from './job.js';
import { DRIVE_QUEUE, PREFIX, QueueStore } from './store.js';
import { RunTally } from './tally.js';
import type { QueueAddress } from './url.js';

export { judgeBatch } from './drive.js';

export interface SubmitOptions {
  addr: QueueAddress;
  sources: BundleSources;
  drive: Omit<DriveData, 'runId' | 'bundleId'>;
  /** Each play's hosts (preflight), for the resume hint when Redis is lost. */
  hostsPerPlay: string[][];
  /** How long Redis may stay away before the run stops (ms). */
  lostAfterMs?: number;
}

/** How long a run's driver may wait with no worker taking it before a warning says so. */
const WORKERLESS_MS = 10_000;

export async function submitRun(ctx: RunContext, opts: SubmitOptions): Promise<number> {
  const { addr } = opts;
  // The password is a secret of this run like a -k one: masked in everything, left out of the resume command.
  if (addr.password) ctx.secrets.add(addr.password);
  const control = await connectOnce(addr);
  const store = new QueueStore(control);
  control.on('error', () => {});
  const reader: Redis = control.duplicate({ enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n: number) => Math.min(n * 200, 1000) });
  reader.on('error', () => {});
  const bundle = await uploadBundle(store, listBundleFiles(opts.sources));
  const runId = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(4).toString('hex')}`;
  await store.startRun(runId, {
    playbook: opts.drive.job.playbook, submitter: `${hostname()}:${process.pid}`, started: new Date().toISOString(), bundle: bundle.id,
    // How `runbook follow` prints it as this run's own output did.
    check: ctx.options.check ? '1' : '0', diff: ctx.options.diff ? '1' : '0', verbose: String(ctx.options.verbose),
  });
  void store.prune().catch(() => {});
  const drives = new Queue(DRIVE_QUEUE, { connection: redisOptions(addr) as ConnectionOptions, prefix: PREFIX });
  drives.on('error', () => {});
  const data: DriveData = { ...opts.drive, runId, bundleId: bundle.id };
  await drives.add('run', data, { jobId: runId, removeOnComplete: { age: 3600 }, removeOnFail: { age: 24 * 3600 } });
  if (ctx.options.verbose > 0) ctx.emit({ type: 'warning', msg: `queue ${addr.display}: run ${runId}, bundle ${bundle.id.slice(0, 12)} (${bundle.files} files, ${bundle.bytes} bytes)` });

  const onAbort = (): void => {
    void (async () => {
      await store.cancel(runId);
      // No worker took the run yet: nobody else will write its recap.
      if ((await drives.remove(runId)) === 1) {
        await store.appendEvents(runId, [JSON.stringify({ type: 'recap', hosts: {}, exitCode: 130, durationMs: 0 })], 's');
        await store.finishRun(runId, 'cancelled', 130);
      }
    })().catch(() => {});
  };
  ctx.options.signal?.addEventListener('abort', onAbort);
  const follower = new EventFollower((e) => ctx.emit(e), store, runId, true);
  follower.reader = reader;
  const started = Date.now();
  try {
    return await followRun(store, follower, runId, {
      addr, drives, emit: (e) => ctx.emit(e),
      lost: () => stopLost(ctx, opts.hostsPerPlay, follower, addr, started),
      ...(opts.lostAfterMs !== undefined ? { lostAfterMs: opts.lostAfterMs } : {}),
    });
  } finally {
    ctx.options.signal?.removeEventListener('abort', onAbort);
    await drives.close().catch(() => {});
    reader.disconnect();
    control.disconnect();
  }
}

/**
 * Redis went away before the driver's recap: the submitter's own recap from what it received. A host
 * is finished when a worker said its job for every play it is in ended (a `d` entry); those are
 * counted once per play, the others with what they printed of the play in flight, and only the
 * unfinished and failed ones are named in the resume hint. Exit 8, as any stopped rollout; 0/2/4 as
 * usual when every host had finished and only the driver's recap was missing.
 */
function stopLost(ctx: RunContext, hostsPerPlay: string[][], follower: EventFollower, addr: QueueAddress, started: number): number {
  const { recap, finished, unfinished, last } = follower.hostsSeen().summary(hostsPerPlay);
  for (const [h, o] of last) {
    const st = ctx.states.get(h) ?? new HostState(h);
    ctx.states.set(h, st);
    st.failed = o.failed;
    st.unreachable = o.unreachable;
    st.stoppedAt = o.stoppedAt;
  }
  const resume = resumeHint(ctx, hostsPerPlay, { playIndex: hostsPerPlay.length - 1, notRun: unfinished, cut: [] });
  const all = finished.length + unfinished.length;
  const reason = `lost the queue at ${addr.display} before the run ended: ${finished.length} of ${all} hosts had finished${unfinished.length > 0 ? `; not finished: ${unfinished.join(', ')}` : ''}`;
  if (unfinished.length > 0) ctx.emit({ type: 'aborted', reason, notRun: unfinished.filter((h) => recap[h] === undefined), ...(resume ? { resume } : {}) });
  const exitCode = exitCodeFor(recap, { aborted: unfinished.length > 0, interrupted: false });
  ctx.emit({ type: 'recap', hosts: recap, exitCode, durationMs: Date.now() - started, interrupted: reason, ...(resume ? { resume } : {}) });
  return exitCode;
}

export interface FollowOptions {
  addr: QueueAddress;
  drives: Queue;
  emit: EventSink;
  /** Redis away for lostAfterMs: apply stops with what it knows; without it, an error. */
  lost?: () => number;
  lostAfterMs?: number;
  /** True once the follower should stop (follow's Ctrl-C detaches). */
  detached?: () => boolean;
}

/** Reads the run's stream to its recap; returns the run's exit code (undefined when detached). */
export async function followRun(store: QueueStore, follower: EventFollower, runId: string, opts: FollowOptions): Promise<number> {
  const started = Date.now();
  let nudged = false;
  let awaySince: number | undefined;
  for (;;) {
    if (opts.detached?.()) return 130;
    let n: number;
    let record: Record<string, string> = {};
    try {
      n = await follower.pump(1000);
      if (n === 0) record = await store.run(runId);
      awaySince = undefined;
    } catch (err) {
      if (!opts.lost) throw new QueueError(`lost the queue at ${opts.addr.display} while following run ${runId}: ${err instanceof Error ? err.message : String(err)}`, undefined, `\`runbook follow ${runId}\` again once Redis answers`);
      awaySince ??= Date.now();
      if (Date.now() - awaySince > (opts.lostAfterMs ?? 5000)) return opts.lost();
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    const recap = follower.recapRead();
    if (recap) return recap.exitCode;
    if (n > 0) continue;
    if (record.status !== undefined && record.status !== 'running') {
      await follower.drain();
      const late = follower.recapRead();
      if (late) return late.exitCode;
      if (record.error) throw new QueueError(record.error, undefined, 'see the log of the worker that drove the run (`runbook runs` names it)');
      const code = record.exitCode !== undefined ? Number(record.exitCode) : 1;
      opts.emit({ type: 'warning', msg: `run ${runId} ended with exit code ${code} and no recap (its record expired?)` });
      return code;
    }
    if (Object.keys(record).length === 0) throw new QueueError(`run ${runId} is no longer in the queue at ${opts.addr.display} (Redis restarted, or its record expired)`);
    if (!nudged && Date.now() - started > WORKERLESS_MS) {
      nudged = true;
      // Nothing fails when no worker listens: the run just waits, so say so once.
      const state = await opts.drives.getJobState(runId).catch(() => 'unknown');
      if (state === 'waiting' || state === 'prioritized' || state === 'delayed') {
        opts.emit({ type: 'warning', msg: `no worker has taken this run in ${WORKERLESS_MS / 1000} s: start one with \`runbook worker --queue\` against ${opts.addr.display}; the run waits for it (Ctrl-C cancels)` });
      }
    }
  }
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
  private readonly tally = new RunTally();
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

  /** What each host finished and printed so far (the recap and resume hint when Redis is lost). */
  hostsSeen(): RunTally {
    return this.tally;
  }

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
        if (fields[0] === 'd') {
          this.tally.jobDone(event as unknown as JobDone);
        } else if (fields[0] === 'j') {
          this.tally.jobStart(event as unknown as JobStart);
        } else if (fields[0] === 's') {
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
      this.tally.result(event);
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
