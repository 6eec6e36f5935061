// A real redis-server for the queue tests: loopback, a free port, no persistence, a password given
// on its stdin (never on a command line); stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { probeTcp } from './tcp-probe.js';

/** The least-privilege user docs/distributed.md gives, word for word after the password. */
export const RUNBOOK_ACL = 'resetkeys ~runbook:* resetchannels &runbook:* -@all +@read +@write +@keyspace +@scripting +@pubsub +@connection +@transaction +@blocking -@dangerous +info +client|setname +client|getname';

export interface RedisServer {
  port: number;
  /** The default user's password (the test's own inspections). */
  password: string;
  /** The `runbook` ACL user's password: what workers and apply use. */
  userPassword: string;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts redis-server and resolves once it accepts connections; the same port and passwords again stand for a Redis restarted empty. */
/** TLS files for a server that answers only TLS (`port 0`, `tls-port`), as docs/distributed.md sets it up. */
export interface RedisTls {
  cert: string;
  key: string;
  ca: string;
}

export async function startRedis(opts: { port?: number; password?: string; userPassword?: string; tls?: RedisTls } = {}): Promise<RedisServer> {
  const port = opts.port ?? (await freePort());
  const password = opts.password ?? randomBytes(12).toString('hex');
  const userPassword = opts.userPassword ?? randomBytes(12).toString('hex');
  const listen = opts.tls
    ? ['port 0', `tls-port ${port}`, `tls-cert-file ${opts.tls.cert}`, `tls-key-file ${opts.tls.key}`, `tls-ca-cert-file ${opts.tls.ca}`, 'tls-auth-clients no']
    : [`port ${port}`];
  const conf = [...listen, 'bind 127.0.0.1', "save ''", 'appendonly no', `requirepass ${password}`, `user runbook on >${userPassword} ${RUNBOOK_ACL}`, 'daemonize no', 'loglevel warning'].join('\n');
  const child: ChildProcess = spawn('redis-server', ['-'], { stdio: ['pipe', 'ignore', 'inherit'] });
  child.stdin!.end(`${conf}\n`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 200; i++) {
    if ((await probeTcp('127.0.0.1', port, 500)) === 'connected') break;
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    // The certificate names localhost, so a TLS address uses that name (the client checks it).
    port, password, userPassword, pid: child.pid!, url: opts.tls ? `rediss://runbook@localhost:${port}` : `redis://runbook@127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
