// Paces SSH handshakes and retries the ones sshd drops: behind one sshd (a bastion, a NAT, the light lab) a
// fleet's connects would exceed MaxStartups (default 10:30:100), and sshd closes the excess before its banner.

export type PaceSettings = {
  /** Handshakes in flight at once (TCP connect to authenticated); below MaxStartups' first figure, 10. */
  maxInFlight: number;
  /** Retries of one host's dropped handshake before it is reported unreachable. */
  maxRetries: number;
  /** First retry delay; it doubles each retry up to maxDelayMs, with jitter so retries do not come back in step. */
  baseDelayMs: number;
  maxDelayMs: number;
};

export const DEFAULT_PACE: PaceSettings = { maxInFlight: 8, maxRetries: 8, baseDelayMs: 50, maxDelayMs: 2_000 };

export type PaceStats = {
  /** Handshakes that succeeded. */
  connects: number;
  /** Dropped handshakes that were tried again. */
  retries: number;
  /** Hosts given up on after maxRetries drops. */
  gaveUp: number;
};

/**
 * True for a handshake the server (or something before it) cut before the SSH banner or key exchange:
 * what MaxStartups does. Refusals, timeouts and failed logins are not retried: they would not improve.
 */
export function isDroppedHandshake(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  if (e?.code === 'ECONNRESET' || e?.code === 'EPIPE') return true;
  return /Connection lost before handshake|kex_exchange_identification|read ECONNRESET|socket hang up/i.test(e?.message ?? '');
}

/** The delay before retry `attempt` (0-based): base * 2^attempt, capped, scaled by a jitter of 50-100%. */
export function backoffDelay(attempt: number, settings: Pick<PaceSettings, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

export type PaceDeps = { sleep?: (ms: number) => Promise<void>; random?: () => number };

export class ConnectPacer {
  readonly stats: PaceStats = { connects: 0, retries: 0, gaveUp: 0 };
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(
    readonly settings: PaceSettings = DEFAULT_PACE,
    deps: PaceDeps = {},
  ) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = deps.random ?? Math.random;
  }

  /** Runs `handshake` in a free slot; a dropped one is retried after a backoff, outside any slot. */
  async connect<T>(handshake: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.acquire();
      try {
        const done = await handshake();
        this.stats.connects++;
        return done;
      } catch (err) {
        if (!isDroppedHandshake(err)) throw err;
        if (attempt >= this.settings.maxRetries) {
          this.stats.gaveUp++;
          throw err;
        }
        this.stats.retries++;
      } finally {
        this.release();
      }
      await this.sleep(backoffDelay(attempt, this.settings, this.random));
    }
  }

  /** Handshakes running now (for tests and the bench). */
  get running(): number {
    return this.inFlight;
  }

  private async acquire(): Promise<void> {
    if (this.inFlight < this.settings.maxInFlight) {
      this.inFlight++;
      return;
    }
    // The slot is handed over by release(), so inFlight never drops below what runs.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }
}

/** The process's pacer: every SSH connection of a run shares it, as they may share one sshd. */
export const connectPacer = new ConnectPacer();
