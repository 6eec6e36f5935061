// Probes read ahead (probe-ahead.ts, sent together by probe-batch.ts), kept until their task runs.
// Correctness first: an answer is used only by a task whose probe is byte for byte the one that was
// sent (same host, become user, environment and script), and only if nothing has run on any host
// since, other than probes. Hosts can share files (connection: local, NFS, two names for one
// machine), and the linear strategy promises that a task sees every host's earlier tasks, so any
// change anywhere drops every answer read before it.
import type { ExecResult } from '../transport/types.js';

/** The recap's `probes`: what reading the hosts cost in the run. */
export interface ProbeCounts {
  /** Commands sent to read hosts (a batch counts once). */
  commands: number;
  /** Task runs (loop items count each) that read their host. */
  answered: number;
  /** Of those, answered from a batch sent for an earlier task. */
  readAhead: number;
  /** Answers read ahead and then dropped, unused, because something changed on a host first. */
  dropped: number;
}

interface Entry {
  result: ExecResult;
  epoch: number;
}

export class ProbeCache {
  /** Bumped whenever a host may have changed: answers read before are stale. */
  private epoch = 0;
  private background = false;
  private readonly entries = new Map<string, Map<string, Entry>>();
  /** Per host: how many probes the next batch may carry (shrinks after waste, grows back while nothing changes). */
  private readonly sizes = new Map<string, number>();
  readonly counts: ProbeCounts = { commands: 0, answered: 0, readAhead: 0, dropped: 0 };

  /** `limit`: --probe-batch, at most this many probes in one command; 1 sends each on its own. */
  constructor(readonly limit: number) {}

  /** Something other than a probe ran on a host (or may have): every answer read so far is stale. */
  hostsMayHaveChanged(): void {
    this.epoch++;
  }

  /**
   * A job started in the background (async with poll: 0) changes its host while later tasks run: from
   * now on every probe is sent at its task's turn.
   */
  stopReadingAhead(): void {
    this.epoch++;
    this.background = true;
  }

  /** Whether probes may be read ahead at all. */
  get readsAhead(): boolean {
    return this.limit > 1 && !this.background;
  }

  /** The epoch to store a batch's answers under: read before the batch is sent. */
  now(): number {
    return this.epoch;
  }

  /** The answer read ahead for this exact probe, if it is still valid; it is used once. */
  take(host: string, key: string): ExecResult | undefined {
    const mine = this.entries.get(host);
    if (!mine) return undefined;
    const e = mine.get(key);
    if (!e) {
      this.dropStale(host, mine);
      return undefined;
    }
    mine.delete(key);
    if (e.epoch !== this.epoch) {
      this.counts.dropped++;
      this.dropStale(host, mine);
      return undefined;
    }
    this.counts.readAhead++;
    return e.result;
  }

  /** Whether a valid answer for this probe is already waiting. */
  has(host: string, key: string): boolean {
    return this.entries.get(host)?.get(key)?.epoch === this.epoch;
  }

  /** Answers for later tasks of this host, read at `epoch`. */
  store(host: string, answers: ReadonlyArray<{ key: string; result: ExecResult }>, epoch: number): void {
    if (answers.length === 0) return;
    const mine = this.entries.get(host) ?? new Map<string, Entry>();
    for (const a of answers) mine.set(a.key, { result: a.result, epoch });
    this.entries.set(host, mine);
  }

  /**
   * How many probes the next batch for `host` may carry, current one included. A batch whose
   * answers went stale before use was wasted work on the host: the next is a single probe, and
   * the size doubles with each batch after that, up to the limit.
   */
  batchSize(host: string): number {
    return this.sizes.get(host) ?? this.limit;
  }

  /** A command was sent to read `host`: one more round trip. */
  sent(): void {
    this.counts.commands++;
  }

  answeredOne(): void {
    this.counts.answered++;
  }

  /** Stale answers of this host are dropped and its next batches start small again. */
  private dropStale(host: string, mine: Map<string, Entry>): void {
    let wasted = false;
    for (const [k, e] of mine) {
      if (e.epoch !== this.epoch) {
        mine.delete(k);
        this.counts.dropped++;
        wasted = true;
      }
    }
    if (wasted) this.sizes.set(host, 1);
  }

  /** A batch for `host` was sent without waste since the last one: the next may be twice as large. */
  grow(host: string): void {
    this.sizes.set(host, Math.min(this.limit, this.batchSize(host) * 2));
  }
}
