// Small helpers for talking over SSH tunnel streams: an SSH channel is a plain Duplex, while
// ioredis and node:http expect some net.Socket methods; and every wait needs a deadline.
import type { Duplex } from 'node:stream';

type SocketMethods = 'setNoDelay' | 'setKeepAlive' | 'setTimeout';

/**
 * Gives a tunnel stream the socket methods clients call for tuning. They are no-ops here on
 * purpose: the SSH connection underneath already carries keepalives, and deadlines are ours.
 */
export function socketLike<T extends Duplex>(stream: T): T {
  const s = stream as T & Partial<Record<SocketMethods, (...args: unknown[]) => unknown>>;
  for (const m of ['setNoDelay', 'setKeepAlive', 'setTimeout'] as const) {
    if (typeof s[m] !== 'function') s[m] = () => s;
  }
  return s;
}

/** Rejects with "`what` took longer than N s" when `promise` has not settled in time. */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The message of anything thrown, for failure texts. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
