// Bounds concurrent SSH session channels per connection, because sshd refuses more than MaxSessions (default 10).

/**
 * A counting semaphore whose limit can only shrink: when the server refuses a channel while others
 * are open, we learn its real MaxSessions and stay below it for the rest of the run.
 */
export class ChannelGate {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`channel limit must be a positive integer, got ${max}`);
  }

  get limit(): number {
    return this.max;
  }

  get inUse(): number {
    return this.active;
  }

  /** Resolves when a slot is free; the caller must release() it exactly once. */
  acquire(): Promise<void> {
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    this.active--;
    this.pump();
  }

  /** Lowers the limit (never below 1); waiting callers then wait for more releases. */
  shrinkTo(limit: number): void {
    this.max = Math.max(1, Math.min(this.max, limit));
  }

  private pump(): void {
    while (this.active < this.max && this.waiters.length > 0) {
      this.active++;
      this.waiters.shift()!();
    }
  }
}
