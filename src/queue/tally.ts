// What a follower of a queued run knows of each host before the driver's recap arrives: the plays
// each host finished (a worker's `d` entry, JobDone) and the results printed for the play it is in.
// When Redis dies mid-run this is all the submitter has: the recap it prints and the hosts it asks to
// resume come from here, each host counted once even when a lost worker's job ran again elsewhere.
import type { HostCounters, RunEvent } from '../executor/events.js';
import type { HostOutcome, JobDone, JobStart } from './job.js';

const zero = (): HostCounters => ({ ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 });

export interface TallySummary {
  /** Each host with anything to count: its finished plays once each, plus what its unfinished play printed. */
  recap: Record<string, HostCounters>;
  /** Hosts through every play they are in (failed ones included: a failed host is finished, and resumed for its failure). */
  finished: string[];
  /** Hosts with a play not finished (or never started). */
  unfinished: string[];
  /** The outcome each finished host's last play gave (failed, unreachable, where it stopped). */
  last: Map<string, HostOutcome>;
}

export class RunTally {
  /** host -> play index -> the outcome of its job (a job that ran again replaces the first). */
  private readonly done = new Map<string, Map<number, HostOutcome>>();
  /** Results printed for a host since its last finished play, and the worker they came from. */
  private readonly inFlight = new Map<string, { worker: string | undefined; counters: HostCounters }>();

  result(event: Extract<RunEvent, { type: 'host_result' }>): void {
    let cur = this.inFlight.get(event.host);
    // Another worker's result for a host mid-play: its first worker was lost and the play runs again from its start.
    if (!cur || cur.worker !== event.worker) {
      cur = { worker: event.worker, counters: zero() };
      this.inFlight.set(event.host, cur);
    }
    const k = event.status as keyof HostCounters;
    if (k in cur.counters) cur.counters[k]++;
  }

  /** A job (re)started: its hosts' results so far were an earlier attempt's, whatever worker name it had. */
  jobStart(s: JobStart): void {
    for (const host of s.hosts) this.inFlight.delete(host);
  }

  jobDone(d: JobDone): void {
    for (const [host, outcome] of Object.entries(d.hosts)) {
      const plays = this.done.get(host) ?? new Map<number, HostOutcome>();
      plays.set(d.playIndex, outcome);
      this.done.set(host, plays);
      this.inFlight.delete(host);
    }
  }

  /** hostsPerPlay: each play's hosts, as the submitter's preflight listed them. */
  summary(hostsPerPlay: string[][]): TallySummary {
    const recap: Record<string, HostCounters> = {};
    const add = (host: string, c: HostCounters): void => {
      const r = (recap[host] ??= zero());
      for (const k of Object.keys(r) as (keyof HostCounters)[]) r[k] += c[k];
    };
    for (const [host, plays] of this.done) for (const o of plays.values()) add(host, o.counters);
    for (const [host, f] of this.inFlight) add(host, f.counters);
    const finished: string[] = [];
    const unfinished: string[] = [];
    const last = new Map<string, HostOutcome>();
    for (const host of new Set(hostsPerPlay.flat())) {
      const plays = this.done.get(host);
      const mine = hostsPerPlay.flatMap((hosts, i) => (hosts.includes(host) ? [i] : []));
      // A host that failed leaves the later plays: finished with its failing play.
      const failedAt = mine.find((i) => plays?.get(i)?.failed || plays?.get(i)?.unreachable);
      const needed = failedAt === undefined ? mine : mine.filter((i) => i <= failedAt);
      if (plays && needed.every((i) => plays.has(i))) {
        finished.push(host);
        last.set(host, plays.get(needed.at(-1)!)!);
      } else {
        unfinished.push(host);
      }
    }
    return { recap, finished, unfinished, last };
  }
}
