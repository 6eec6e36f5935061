// A queued run's driver, on a worker: one job per run on its own queue (`drive`), so the run goes on
// when the submitter dies. It runs the same runPlaybook as a local run with the queue as its play
// driver: plays in order, each play's serial batches out as host jobs, the rollout rules judged over
// the whole batch, the recap and the exit code, all written to the run's stream. Its progress lives
// in Redis (each finished batch's job results, the last banner written), so a driver that takes over
// from a lost one replays the finished batches without writing anything twice and carries on.
import { Writable } from 'node:stream';
import { dirname, join } from 'node:path';
import type { Queue, QueueEvents } from 'bullmq';
import { InterruptedError } from '../core/errors.js';
import type { RunContext } from '../executor/context.js';
import { serialBatches } from '../executor/batches.js';
import { defaultRunOptions, type RunOptions } from '../executor/options.js';
import type { PlayResult } from '../executor/run-play.js';
import { runPlaybook, type PlayDriver } from '../executor/run-playbook.js';
import type { Play } from '../playbook/types.js';
import { loadInventory } from '../inventory/load.js';
import { loadPlaybook } from '../playbook/load.js';
import { SecretSet, MASK } from '../secrets/mask.js';
import { Vault } from '../vault/vault.js';
import { buildContext } from '../cli/wiring.js';
import { parseExtraVars } from '../cli/extra-vars.js';
import { resumeCommand } from '../cli/resume-command.js';
import { materializeBundle } from './bundle.js';
import { QueueError } from './connect.js';
import { jobId, type JobData, type JobOptions, type JobResult } from './job.js';
import { RUN_TTL, type QueueStore } from './store.js';
import type { WorkerSetup } from './run-job.js';

export interface DriveData {
  runId: string;
  bundleId: string;
  /** Everything a host job carries but its play, batch and hosts. */
  job: Omit<JobData, 'runId' | 'bundleId' | 'playIndex' | 'batch' | 'batches' | 'hosts'>;
  limit?: string;
  /** Hosts per job. */
  chunk: number;
  /** The submitter's command line (secret words already masked), for the resume hint. */
  resume: { argv: string[]; cwd: string; path?: string };
}

export type Settled = { ok: true; result: JobResult } | { ok: false; error: string; hosts: string[] };

/** What the play driver needs from Redis and the queue; a fake in the unit tests. */
export interface DriverIO {
  /** A finished batch's recorded job results (a driver taking over replays them). */
  recorded(key: string): Settled[] | undefined;
  /** Adds the batch's jobs (stable ids: a takeover re-adds them harmlessly) and waits for them. */
  runBatch(play: Play, playIndex: number, batch: number, batches: number, hosts: string[]): Promise<Settled[]>;
  record(key: string, settled: Settled[]): Promise<void>;
  /** Emits a banner unless an earlier driver of the run wrote it already. */
  banner(ord: number, emit: () => void): void;
  /** While true, what the driver emits is not written (a recorded batch replayed). */
  mute(on: boolean): void;
  cancelled(): boolean;
}

export const batchKey = (playIndex: number, batch: number): string => `p${playIndex}.b${batch}`;
const bannerOrd = (playIndex: number, batch: number): number => playIndex * 1_000_000 + batch;

/** The queue as runPlaybook's play driver: each play's batches in order, judged as a local run judges them. */
export function createPlayDriver(ctx: RunContext, io: DriverIO): PlayDriver {
  return async (play, hosts, playIndex): Promise<PlayResult> => {
    io.banner(bannerOrd(playIndex, 0), () => ctx.emit({ type: 'play_start', play: play.name, hosts, check: ctx.options.check }));
    const batches = serialBatches(hosts, play.serial, play.loc);
    for (const [i, batch] of batches.entries()) {
      const live = batch.filter((h) => ctx.states.get(h)!.active);
      if (batches.length > 1) io.banner(bannerOrd(playIndex, i + 1), () => ctx.emit({ type: 'batch_start', play: play.name, hosts: live, batch: i + 1, batches: batches.length }));
      if (live.length === 0) continue;
      const key = batchKey(playIndex, i + 1);
      const recorded = io.recorded(key);
      const settled = recorded ?? (await io.runBatch(play, playIndex, i + 1, batches.length, live));
      if (!recorded) await io.record(key, settled);
      let chunkAbort: string | undefined;
      let interrupted = io.cancelled();
      io.mute(recorded !== undefined);
      try {
        for (const s of settled) {
          if (!s.ok && /stalled more than/.test(s.error)) {
            // Lost with its worker again and again (a host that crashes whoever runs it?): its hosts fail, the run goes on.
            for (const h of s.hosts) {
              const st = ctx.states.get(h)!;
              ctx.emit({ type: 'host_result', task: play.name, handler: false, host: h, status: 'failed', msg: `every worker that ran this host for play '${play.name}' was lost (${s.error})`, durationMs: 0 });
              st.counters.failed++;
              st.failed = true;
            }
            continue;
          }
          if (!s.ok) throw new QueueError(`a worker could not run play '${play.name}': ${s.error}`, undefined, 'see the worker\'s log; fix the cause (a missing vault password on the worker, say) and resume');
          interrupted ||= Boolean(s.result.interrupted);
          chunkAbort ??= s.result.aborted;
          for (const [h, o] of Object.entries(s.result.hosts)) {
            const st = ctx.states.get(h)!;
            for (const k of Object.keys(o.counters) as (keyof typeof o.counters)[]) st.counters[k] += o.counters[k];
            st.failed = o.failed;
            st.unreachable = o.unreachable;
            st.stoppedAt = o.stoppedAt;
          }
        }
      } finally {
        io.mute(false);
      }
      if (interrupted) throw new InterruptedError('interrupted');
      const abort = judgeBatch(ctx, play, live, i, batches.length) ?? chunkAbort;
      if (abort) return { aborted: { reason: abort, notRun: batches.slice(i + 1).flat(), cut: live.filter((h) => ctx.states.get(h)!.active) } };
    }
    return {};
  };
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

/** The worker stops (SIGTERM): the driver hands its run back to the queue for another worker. */
export class HandBack extends Error {}
/** Another driver took the run over (this one's lock ran out while it was alive): this one stops, writing nothing. */
export class Superseded extends Error {}

export interface DriveDeps {
  store: QueueStore;
  queue: Queue;
  events: QueueEvents;
  setup: WorkerSetup;
  /** Aborted when the run is cancelled (Ctrl-C on the submitter). */
  cancel: AbortController;
  /** Aborted when this worker stops: the run goes back to the queue. */
  handBack: AbortSignal;
}

/** Drives one run to its end on this worker; resolves once the run's record says how it ended. */
export async function driveRun(deps: DriveDeps, data: DriveData): Promise<void> {
  const { store, queue, events, setup, cancel } = deps;
  const { runId } = data;
  const gen = await store.claimDriver(runId, setup.name);
  if (await store.cancelled(runId)) cancel.abort();
  const root = await materializeBundle(store, data.bundleId, setup.cacheDir);
  const inBundle = (p: string): string => join(root, p);
  const secrets = new SecretSet();
  for (const s of await store.secrets(runId)) secrets.add(s);
  const vault = new Vault({ ...(setup.vaultPassword !== undefined ? { password: setup.vaultPassword } : {}), secrets });
  const j = data.job;
  const playbookFile = inBundle(j.playbook);
  const playbook = loadPlaybook(playbookFile, { rolesPath: j.rolesPath.map(inBundle), vault });
  const inventory = loadInventory(inBundle(j.inventory), { playbookDir: dirname(playbookFile), vault });
  const o: JobOptions = j.options;
  const options: RunOptions = {
    ...defaultRunOptions(),
    check: o.check, diff: o.diff, forks: o.forks, tags: o.tags, skipTags: o.skipTags, verbose: o.verbose,
    extraVars: parseExtraVars(j.extraVars.map((e) => (e.trim().startsWith('@') ? `@${inBundle(e.trim().slice(1))}` : e)), root, vault),
    signal: cancel.signal,
    ...(data.limit ? { limit: data.limit } : {}),
    ...(o.startAtTask ? { startAtTask: o.startAtTask } : {}),
    ...(o.forceHandlers ? { forceHandlers: true } : {}),
  };
  // The submitter's own command line, narrowed to the hosts left; a word it masked stays out.
  options.resumeCommand = (request) => resumeCommand(data.resume, { ...request, isSecret: (text) => text.includes(MASK) || request.isSecret(text) });
  const ctx = buildContext({ options, inventory, playbook, json: true, out: new Writable({ write: (_c, _e, done) => done() }), secrets, vault });

  const progress = await store.progress(runId);
  let announced = Number(progress.announced ?? -1);
  let muted = false;
  let pending: string[] = [];
  let progressDue: Record<string, string> | undefined;
  // Masked as --json masks; paths inside the bundle shown as the submitter wrote them.
  const rootText = JSON.stringify(root).slice(1, -1);
  ctx.emit = (event) => {
    if (muted) return;
    const line = secrets.mask(JSON.stringify(secrets.maskDeep(event)));
    pending.push(line.split(rootText).join(''));
  };
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    writing = writing.then(async () => {
      if (pending.length === 0 && !progressDue) return;
      if ((await store.driverGeneration(runId)) !== gen) throw new Superseded('another driver took this run over');
      const lines = pending;
      const due = progressDue;
      pending = [];
      progressDue = undefined;
      await store.appendEvents(runId, lines, 's', due);
    });
    return writing;
  };

  const mine = new Map<string, string[]>();
  const warned = new Set<string>();
  const onStalled = ({ jobId: id }: { jobId: string }): void => {
    const hosts = mine.get(id);
    if (!hosts || warned.has(id)) return;
    warned.add(id);
    ctx.emit({ type: 'warning', msg: `the worker running ${hosts.join(', ')} stopped answering: another worker runs ${hosts.length > 1 ? 'them' : 'it'} again from the start of the play` });
  };
  events.on('stalled', onStalled);
  const unfinished = new Map<string, () => void>();
  const onCancel = (): void => {
    for (const [id, giveUp] of unfinished) {
      // remove() leaves a job a worker holds (it sees the cancel); a waiting one is gone, and counted as interrupted.
      void queue.remove(id).then((n) => { if (n === 1) giveUp(); }, () => {});
    }
  };
  cancel.signal.addEventListener('abort', onCancel);

  const io: DriverIO = {
    recorded: (key) => (progress[key] ? (JSON.parse(progress[key]) as Settled[]) : undefined),
    banner(ord, emit) {
      if (ord <= announced) return;
      emit();
      announced = ord;
      progressDue = { ...progressDue, announced: String(ord) };
    },
    mute: (on) => void (muted = on),
    cancelled: () => cancel.signal.aborted,
    async record(key, settled) {
      await flush();
      if ((await store.driverGeneration(runId)) !== gen) throw new Superseded('another driver took this run over');
      await store.recordBatch(runId, key, JSON.stringify(settled));
    },
    async runBatch(play, playIndex, batch, batches, hosts) {
      if (cancel.signal.aborted) return [{ ok: true, result: { worker: '', hosts: {}, interrupted: true } }];
      const chunks: string[][] = [];
      for (let i = 0; i < hosts.length; i += data.chunk) chunks.push(hosts.slice(i, i + data.chunk));
      // Banners before the batch's results.
      await flush();
      const jobs = await queue.addBulk(chunks.map((chunkHosts, k) => {
        const id = jobId(runId, playIndex, batch, k);
        mine.set(id, chunkHosts);
        return {
          name: play.name || `play ${playIndex + 1}`,
          data: { ...j, runId, bundleId: data.bundleId, playIndex, batch, batches, hosts: chunkHosts },
          // Kept as long as the run's events: a driver taking over a batch re-adds its jobs by id, and a
          // finished one still there is not run again, however long the batch took.
          opts: { jobId: id, attempts: 1, removeOnComplete: { age: RUN_TTL }, removeOnFail: { age: RUN_TTL } },
        };
      }));
      const settled: Settled[] = new Array<Settled>(jobs.length);
      const waits = jobs.map((job, k) => {
        const takenBack = new Promise<JobResult>((resolve) => unfinished.set(job.id!, () => resolve({ worker: '', hosts: {}, interrupted: true })));
        return Promise.race([job.waitUntilFinished(events) as Promise<JobResult>, takenBack]).then(
          (result) => { settled[k] = { ok: true, result }; },
          (err: unknown) => { settled[k] = { ok: false, error: err instanceof Error ? err.message : String(err), hosts: chunks[k]! }; },
        ).finally(() => unfinished.delete(job.id!));
      });
      if (cancel.signal.aborted) onCancel();
      let done = false;
      void Promise.all(waits).then(() => (done = true));
      let checked = Date.now();
      while (!done) {
        await new Promise((r) => setTimeout(r, 250));
        if (deps.handBack.aborted) throw new HandBack('the worker stops');
        await flush();
        if (Date.now() - checked > 5000) {
          checked = Date.now();
          // Redis came back empty (no persistence): the run is gone, nothing to wait for.
          if (Object.keys(await store.run(runId)).length === 0) throw new Superseded('the run is no longer in the queue');
        }
      }
      // A job that went round after its worker died before this driver listened (it took the run over then): said too.
      for (const job of jobs) {
        const now = warned.has(job.id!) ? undefined : await queue.getJob(job.id!).catch(() => undefined);
        if ((now?.stalledCounter ?? 0) > 0) onStalled({ jobId: job.id! });
      }
      return settled;
    },
  };

  try {
    let code: number;
    try {
      code = await runPlaybook(ctx, createPlayDriver(ctx, io));
      if (deps.handBack.aborted) throw new HandBack('the worker stops');
    } catch (err) {
      if (err instanceof HandBack || err instanceof Superseded) throw err;
      // runPlaybook wrote the error to the stream (run_error); the record says why for whoever follows.
      await flush();
      await store.finishRun(runId, 'finished', 1, secrets.mask(err instanceof Error ? err.message : String(err)));
      return;
    }
    await flush();
    await store.addSecrets(runId, secrets.list());
    if ((await store.driverGeneration(runId)) !== gen) return;
    await store.finishRun(runId, code === 130 ? 'cancelled' : 'finished', code);
  } finally {
    events.off('stalled', onStalled);
    cancel.signal.removeEventListener('abort', onCancel);
  }
}
