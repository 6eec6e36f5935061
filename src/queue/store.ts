// Every key runbook keeps in the queue's Redis, in one place: blobs and manifests of bundles, each
// run's record, event stream, per-host state, driver progress and cancel flag. BullMQ's own keys
// share the prefix, so one ACL pattern (runbook:*) covers everything.
import type { Redis } from 'ioredis';

export const PREFIX = 'runbook';
/** The BullMQ queue: its keys are runbook:jobs:*. */
export const QUEUE_NAME = 'jobs';
/** The BullMQ queue of run drivers (one job per run, taken by any worker): its keys are runbook:drive:*. */
export const DRIVE_QUEUE = 'drive';
export const CANCEL_CHANNEL = `${PREFIX}:cancel`;

const BUNDLE_TTL = 7 * 24 * 3600;
/** A finished run's events and state stay this long (`runbook follow` of a recent run), then expire. */
export const RUN_TTL = 24 * 3600;
/** Events kept per run; a longer run drops its oldest (already printed) ones. */
const EVENTS_MAX = 200_000;
/** What `runbook runs` keeps in its index by default: the newest runs, and none older than this. */
export const KEEP_RUNS = 100;
export const KEEP_DAYS = 7;
/** Every key of one run (its record first). */
const RUN_KEY_SUFFIXES = ['', ':events', ':state', ':secrets', ':cancel', ':drive', ':driver'];

export class QueueStore {
  constructor(readonly redis: Redis) {}

  async putBlob(sha: string, data: Buffer): Promise<void> {
    // NX: a file every run ships (a role's template) is sent once; EX refreshed so it outlives the run.
    const set = await this.redis.set(`${PREFIX}:blob:${sha}`, data, 'EX', BUNDLE_TTL, 'NX');
    if (set === null) await this.redis.expire(`${PREFIX}:blob:${sha}`, BUNDLE_TTL);
  }

  getBlob(sha: string): Promise<Buffer | null> {
    return this.redis.getBuffer(`${PREFIX}:blob:${sha}`);
  }

  async putManifest(id: string, text: string): Promise<void> {
    await this.redis.set(`${PREFIX}:bundle:${id}`, text, 'EX', BUNDLE_TTL);
  }

  getManifest(id: string): Promise<string | null> {
    return this.redis.get(`${PREFIX}:bundle:${id}`);
  }

  eventsKey(runId: string): string {
    return `${PREFIX}:run:${runId}:events`;
  }

  /**
   * Appends already-masked JSON event lines. Field `e`: a worker's event; `s`: one the run's driver
   * spells (play and batch banners, warnings, aborts, the recap); `d`: a job's hosts finished their
   * play (JobDone, never printed); `j`: a job began (JobStart, never printed). With `progress`, the driver's progress hash
   * is updated in the same transaction, so a driver taking over never writes a banner twice.
   */
  async appendEvents(runId: string, lines: string[], field: 'e' | 's' | 'd' | 'j' = 'e', progress?: Record<string, string>): Promise<void> {
    if (lines.length === 0 && !progress) return;
    const pipe = progress ? this.redis.multi() : this.redis.pipeline();
    for (const line of lines) pipe.xadd(this.eventsKey(runId), 'MAXLEN', '~', EVENTS_MAX, '*', field, line);
    pipe.expire(this.eventsKey(runId), RUN_TTL);
    if (progress) pipe.hset(this.driveKey(runId), progress);
    await pipe.exec();
  }

  driveKey(runId: string): string {
    return `${PREFIX}:run:${runId}:drive`;
  }

  /** The driver's progress: `announced` (the last banner written) and each finished batch's job results. */
  progress(runId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(this.driveKey(runId));
  }

  async recordBatch(runId: string, key: string, results: string): Promise<void> {
    await this.redis.hset(this.driveKey(runId), key, results);
  }

  /** A driver starts (or takes over) a run: its generation, which any older driver of the run sees and stops at. */
  async claimDriver(runId: string, name: string): Promise<number> {
    const gen = await this.redis.incr(`${PREFIX}:run:${runId}:driver`);
    await this.redis.hset(`${PREFIX}:run:${runId}`, { driver: name });
    return gen;
  }

  async driverGeneration(runId: string): Promise<number> {
    return Number(await this.redis.get(`${PREFIX}:run:${runId}:driver`)) || 0;
  }

  /** Events after `from` ('0' for all), waiting up to blockMs for the first. */
  async readEvents(runId: string, from: string, blockMs: number): Promise<{ id: string; line: string }[]> {
    const res = (await this.redis.xread('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', this.eventsKey(runId), from)) as [string, [string, string[]][]][] | null;
    if (!res) return [];
    return res[0]![1].map(([id, fields]) => ({ id, line: fields[1] ?? '' }));
  }

  async saveStates(runId: string, states: Record<string, string>): Promise<void> {
    if (Object.keys(states).length === 0) return;
    await this.redis.hset(`${PREFIX}:run:${runId}:state`, states);
    await this.redis.expire(`${PREFIX}:run:${runId}:state`, RUN_TTL);
  }

  loadStates(runId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(`${PREFIX}:run:${runId}:state`);
  }

  async addSecrets(runId: string, values: string[]): Promise<void> {
    if (values.length === 0) return;
    await this.redis.sadd(`${PREFIX}:run:${runId}:secrets`, ...values);
    await this.redis.expire(`${PREFIX}:run:${runId}:secrets`, RUN_TTL);
  }

  secrets(runId: string): Promise<string[]> {
    return this.redis.smembers(`${PREFIX}:run:${runId}:secrets`);
  }

  async startRun(runId: string, record: Record<string, string>): Promise<void> {
    await this.redis.hset(`${PREFIX}:run:${runId}`, { ...record, status: 'running' });
    await this.redis.zadd(`${PREFIX}:runs`, Date.now(), runId);
  }

  /** `error`: why a run ended with no recap (already masked), for whoever follows it. */
  async finishRun(runId: string, status: string, exitCode: number, error?: string): Promise<void> {
    const key = `${PREFIX}:run:${runId}`;
    await this.redis.hset(key, { status, exitCode: String(exitCode), finished: new Date().toISOString(), ...(error ? { error } : {}) });
    // What only this run needs goes now; its record and events stay a day for `runbook follow`.
    await this.redis.del(`${key}:state`, `${key}:secrets`, `${key}:drive`);
    for (const k of [key, this.eventsKey(runId), `${key}:driver`, `${key}:cancel`]) await this.redis.expire(k, RUN_TTL);
  }

  /**
   * Prunes the runs index: entries past the newest `keep`, older than `keepDays`, or whose record
   * expired leave it, with their keys; a run still marked running stays until it is older than keepDays. Returns the ids removed.
   */
  async prune(keep = KEEP_RUNS, keepDays = KEEP_DAYS, now = Date.now()): Promise<string[]> {
    const index = `${PREFIX}:runs`;
    const old = await this.redis.zrangebyscore(index, '-inf', `(${now - keepDays * 24 * 3600 * 1000}`);
    const beyond = await this.redis.zrevrange(index, keep, -1);
    const candidates = [...new Set([...old, ...beyond])];
    const newest = await this.redis.zrevrange(index, 0, keep - 1);
    const gone = await Promise.all(newest.map(async (id) => ((await this.redis.exists(`${PREFIX}:run:${id}`)) === 0 ? id : undefined)));
    candidates.push(...gone.filter((id): id is string => id !== undefined));
    const removed: string[] = [];
    for (const id of new Set(candidates)) {
      if ((await this.redis.hget(`${PREFIX}:run:${id}`, 'status')) === 'running' && !old.includes(id)) continue;
      await this.redis.del(...RUN_KEY_SUFFIXES.map((s) => `${PREFIX}:run:${id}${s}`));
      await this.redis.zrem(index, id);
      removed.push(id);
    }
    return removed;
  }

  /** A run's record (empty when unknown or expired). */
  run(runId: string): Promise<Record<string, string>> {
    return this.redis.hgetall(`${PREFIX}:run:${runId}`);
  }

  /** The newest run ids first (the index keeps ids whose records expired: callers skip those). */
  recentRunIds(count: number): Promise<string[]> {
    return this.redis.zrevrange(`${PREFIX}:runs`, 0, count - 1);
  }

  /** BullMQ job ids of this run still waiting for or held by a worker. */
  async pendingJobs(runId: string): Promise<string[]> {
    const [wait, active] = await Promise.all([
      this.redis.lrange(`${PREFIX}:${QUEUE_NAME}:wait`, 0, -1),
      this.redis.lrange(`${PREFIX}:${QUEUE_NAME}:active`, 0, -1),
    ]);
    return [...wait, ...active].filter((id) => id.startsWith(`${runId}.`));
  }

  async cancel(runId: string): Promise<void> {
    await this.redis.set(`${PREFIX}:run:${runId}:cancel`, '1', 'EX', RUN_TTL);
    await this.redis.publish(CANCEL_CHANNEL, runId);
  }

  async cancelled(runId: string): Promise<boolean> {
    return (await this.redis.exists(`${PREFIX}:run:${runId}:cancel`)) === 1;
  }
}
