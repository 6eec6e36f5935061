// Connections to the queue's Redis: the options BullMQ needs, and a first contact that fails within
// seconds with host:port and a cause, never the password (ioredis would otherwise retry for ever).
import { Redis, type RedisOptions } from 'ioredis';
import { RunbookError, type TroubleshootingAnchor } from '../core/errors.js';
import type { QueueAddress } from './url.js';

/** The queue's Redis could not be used: unreachable, refused our credentials, or went away. Exit 1. */
export class QueueError extends RunbookError {
  static override readonly anchor: TroubleshootingAnchor = 'queue-error';
}

export function redisOptions(addr: QueueAddress): RedisOptions {
  return {
    host: addr.host,
    port: addr.port,
    db: addr.db,
    ...(addr.username ? { username: addr.username } : {}),
    ...(addr.password !== undefined ? { password: addr.password } : {}),
    ...(addr.tls ? { tls: { servername: addr.host } } : {}),
    // BullMQ's blocking commands must never give up on their own; losing Redis is handled above.
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
}

/** Why a first contact failed, in words that name the address and not the password. */
export function describeRedisError(addr: QueueAddress, err: unknown): QueueError {
  const text = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: string }).code;
  const where = `the queue at ${addr.display}`;
  if (/WRONGPASS|NOAUTH|invalid username-password|AUTH/i.test(text)) {
    return new QueueError(`${where} refused the credentials${addr.username ? ` of user '${addr.username}'` : ''}`, undefined, 'check the password (RUNBOOK_QUEUE_PASSWORD, --queue-password-file, or the URL) and the ACL user');
  }
  if (/NOPERM/i.test(text)) {
    return new QueueError(`${where} denied a command to user '${addr.username ?? 'default'}' (NOPERM)`, undefined, 'give the ACL user the rights in docs/distributed.md#a-redis-user-for-runbook');
  }
  const why = code ?? (text.length < 120 ? text : 'no answer');
  return new QueueError(`cannot reach ${where}: ${why}`, undefined, 'start Redis there, or fix the host, port and TLS (rediss://) of --queue');
}

/** Connects once, with no retries, and pings: resolves with a ready connection or rejects with a QueueError. */
export async function connectOnce(addr: QueueAddress, timeoutMs = 5000): Promise<Redis> {
  // disconnectTimeout: ioredis waits that long (2 s by default) for a socket that already closed
  // (refused, or the password rejected) before it lets the process exit.
  const redis = new Redis({ ...redisOptions(addr), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, disconnectTimeout: 100 });
  // The socket's own error (ECONNREFUSED, WRONGPASS) says more than the "Connection is closed" connect() rejects with.
  let cause: unknown;
  redis.on('error', (err) => (cause ??= err));
  try {
    await redis.connect();
    await redis.ping();
    redis.removeAllListeners('error');
    return redis;
  } catch (err) {
    redis.disconnect();
    throw describeRedisError(addr, cause ?? err);
  }
}
