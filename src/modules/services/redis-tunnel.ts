// An ioredis client whose connection is an SSH tunnel stream (the executor's transport.forward),
// so the controller reaches Redis without the firewall ever opening its port to the controller.
import type { Duplex } from 'node:stream';
// Types only: ioredis itself is loaded on the first Redis check, not by every run or --syntax-check.
import type { AbstractConnector, Redis, RedisOptions } from 'ioredis';
import { socketLike, withDeadline } from './stream-util.js';

type NetStream = Awaited<ReturnType<AbstractConnector['connect']>>;

export interface TunnelRedisOptions {
  /** Omitted: connect without AUTH (to prove Redis refuses such clients). */
  password?: string;
  db?: number;
  timeoutMs: number;
}

/** ioredis builds its connector from options; a class per tunnel carries the opener along. */
function tunnelConnector(Base: typeof AbstractConnector, open: () => Promise<Duplex>): NonNullable<RedisOptions['Connector']> {
  return class TunnelConnector extends Base {
    constructor() {
      super(1000);
    }

    override async connect(): Promise<NetStream> {
      this.connecting = true;
      const stream = socketLike(await open());
      stream.once('error', (err) => {
        this.firstError = err;
      });
      this.stream = stream as unknown as NetStream;
      return this.stream;
    }
  };
}

/**
 * Connects and resolves once the connection is usable. One attempt only: a check must report
 * what it saw, not retry its way past a refused connection or a wrong password.
 */
export async function openTunnelRedis(open: () => Promise<Duplex>, opts: TunnelRedisOptions): Promise<Redis> {
  let lastError: Error | undefined;
  const { AbstractConnector, Redis } = await import('ioredis');
  const client = new Redis({
    Connector: tunnelConnector(AbstractConnector, open),
    lazyConnect: true,
    // The ready check sends INFO, which a client without the password cannot run.
    enableReadyCheck: false,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    disableClientInfo: true,
    noDelay: false,
    commandTimeout: opts.timeoutMs,
  });
  client.on('error', (err: Error) => {
    lastError = err;
  });
  try {
    await withDeadline(client.connect(), opts.timeoutMs, 'connecting to Redis');
  } catch (err) {
    client.disconnect();
    throw lastError ?? err;
  }
  // AUTH and SELECT are sent here rather than by ioredis on connect, so a wrong password
  // surfaces as its own error instead of a later command's NOAUTH.
  try {
    if (opts.password !== undefined) await client.auth(opts.password);
  } catch (err) {
    client.disconnect();
    throw new RedisAuthError(err instanceof Error ? err.message : String(err));
  }
  if (opts.db) await client.select(opts.db);
  return client;
}

/** Redis refused the password (WRONGPASS, or no password is configured at all). */
export class RedisAuthError extends Error {}

/** Closes without waiting for the server (QUIT would need a round trip on a possibly dead tunnel). */
export function closeTunnelRedis(client: Redis): void {
  client.disconnect();
}
