// Keeps one connection per host for the whole run, and remembers a host that could not be reached.
import { UnreachableError } from '../core/errors.js';
import { openLocal } from './local.js';
import { openSsh } from './ssh.js';
import type { ConnectionSpec, Transport } from './types.js';

export type TransportOpener = (spec: ConnectionSpec) => Promise<Transport>;

/** Opens the transport that spec.connection names. */
export async function openTransport(spec: ConnectionSpec): Promise<Transport> {
  return spec.connection === 'local' ? openLocal(spec.name) : openSsh(spec);
}

export class ConnectionPool {
  /** One entry per host: the connect in flight or done; a rejected one stays rejected for the run. */
  private readonly byHost = new Map<string, Promise<Transport>>();

  constructor(private readonly opener: TransportOpener = openTransport) {}

  /** The host's transport, connecting on first use. Concurrent callers share one connect. */
  get(host: string, spec: ConnectionSpec): Promise<Transport> {
    // A play with connection: local reaches a host another play reached over SSH: two transports.
    const key = `${host}\0${spec.connection}`;
    let pending = this.byHost.get(key);
    if (!pending) {
      pending = this.opener(spec).catch((err: unknown) => {
        throw err instanceof UnreachableError
          ? err
          : new UnreachableError(host, `cannot connect to ${host}: ${err instanceof Error ? err.message : String(err)}`);
      });
      // Callers that only record the failure must not trigger an unhandled rejection on the shared promise.
      pending.catch(() => {});
      this.byHost.set(key, pending);
    }
    return pending;
  }

  /**
   * Drops the host's connection (closing it if it was open) and connects again: after a reboot, or
   * while waiting for a host to come up, when the old connection (or failure) no longer says anything.
   */
  async reconnect(host: string, spec: ConnectionSpec): Promise<Transport> {
    const key = `${host}\0${spec.connection}`;
    const old = this.byHost.get(key);
    this.byHost.delete(key);
    if (old) {
      try {
        await (await old).close();
      } catch {
        /* it was already gone */
      }
    }
    return this.get(host, spec);
  }

  /** meta: reset_connection: the host's connections close; the next task connects again. */
  async reset(host: string): Promise<void> {
    const keys = [...this.byHost.keys()].filter((k) => k.startsWith(`${host}\0`));
    const pending = keys.map((k) => this.byHost.get(k)!);
    keys.forEach((k) => this.byHost.delete(k));
    await Promise.all(
      pending.map(async (p) => {
        try {
          await (await p).close();
        } catch {
          /* an unreachable host has nothing to close */
        }
      }),
    );
  }

  async closeAll(): Promise<void> {
    const pending = [...this.byHost.values()];
    this.byHost.clear();
    await Promise.all(
      pending.map(async (p) => {
        try {
          await (await p).close();
        } catch {
          /* unreachable hosts have nothing to close */
        }
      }),
    );
  }
}
