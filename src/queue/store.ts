// Every key runbook keeps in the queue's Redis, in one place: blobs and manifests of bundles, each
// run's record, event stream, per-host state and cancel flag. BullMQ's own keys share the prefix,
// so one ACL pattern (runbook:*) covers everything.
import type { Redis } from 'ioredis';

export const PREFIX = 'runbook';
/** The BullMQ queue: its keys are runbook:jobs:*. */
export const QUEUE_NAME = 'jobs';
export const CANCEL_CHANNEL = `${PREFIX}:cancel`;

const BUNDLE_TTL = 7 * 24 * 3600;
/** A finished run's events and state stay this long (`runbook follow` of a recent run), then expire. */
export const RUN_TTL = 24 * 3600;
/** Events kept per run; a longer run drops its oldest (already printed) ones. */
const EVENTS_MAX = 200_000;

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
   * Appends already-masked JSON event lines. Field `e`: a worker's event; `s`: one the submitter
   * printed itself (play and batch banners, aborts, the recap), which only `runbook follow` replays.
   */
  async appendEvents(runId: string, lines: string[], field: 'e' | 's' = 'e'): Promise<void> {
    if (lines.length === 0) return;
    const pipe = this.redis.pipeline();
    for (const line of lines) pipe.xadd(this.eventsKey(runId), 'MAXLEN', '~', EVENTS_MAX, '*', field, line);
    pipe.expire(this.eventsKey(runId), RUN_TTL);
    await pipe.exec();
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

  async finishRun(runId: string, status: string, exitCode: number): Promise<void> {
    const key = `${PREFIX}:run:${runId}`;
    await this.redis.hset(key, { status, exitCode: String(exitCode), finished: new Date().toISOString() });
    // What only this run needs goes now; its record and events stay a day for `runbook follow`.
    await this.redis.del(`${key}:state`, `${key}:secrets`);
    await this.redis.expire(key, RUN_TTL);
    await this.redis.expire(this.eventsKey(runId), RUN_TTL);
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
