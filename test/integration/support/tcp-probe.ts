// Tries a TCP connection from the controller, to tell an open port from one a firewall drops or refuses.
import { connect } from 'node:net';

export type ProbeResult = 'connected' | 'refused' | 'timeout' | `error: ${string}`;

/** Connects to address:port and closes at once; 'timeout' when nothing answers within timeoutMs. */
export function probeTcp(address: string, port: number, timeoutMs = 3000): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    const done = (r: ProbeResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.once('connect', () => done('connected'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code === 'ECONNREFUSED' ? 'refused' : `error: ${err.code ?? err.message}`));
  });
}
