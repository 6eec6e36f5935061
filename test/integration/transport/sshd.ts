// A throwaway OpenSSH server on 127.0.0.1 with its own keys, so tests talk to a real sshd; stopped by PID.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConnectionSpec } from '../../../src/transport/types.js';

const run = promisify(execFile);
export const SSHD = '/usr/sbin/sshd';

export interface SshdOptions {
  /** sshd's MaxSessions (channels per connection). */
  maxSessions?: number;
  /** Allow password logins (needs sshd running as root). */
  passwordAuthentication?: boolean;
  /** Extra sshd_config lines. */
  extraConfig?: string[];
}

export interface TestSshd {
  readonly address: '127.0.0.1';
  readonly port: number;
  /** Temp dir holding keys, config, known_hosts and the log; removed by stop(). */
  readonly dir: string;
  /** The user tests log in as (the one running the tests). */
  readonly user: string;
  /** Private key accepted for every user (AuthorizedKeysFile points at one shared file). */
  readonly clientKeyFile: string;
  /** known_hosts holding this server's key under [127.0.0.1]:port. */
  readonly knownHostsFile: string;
  /** `ssh-keygen -lf` of the host key, e.g. SHA256:abc... */
  readonly hostKeyFingerprint: string;
  readonly pid: number;
  /** A ConnectionSpec for this server, host key checking on. */
  spec(overrides?: Partial<ConnectionSpec>): ConnectionSpec;
  /** sshd's own log (-e), for failing tests to print. */
  log(): Promise<string>;
  /** PIDs of sshd's per-connection children (to kill a session and simulate a dropped link). */
  sessionPids(): Promise<number[]>;
  stop(): Promise<void>;
}

export function sshdAvailable(): boolean {
  return existsSync(SSHD);
}

/** Generates an unencrypted key pair; returns the private key path (public key at path + '.pub'). */
export async function generateKey(dir: string, name: string, type: 'ed25519' | 'ecdsa' | 'rsa' = 'ed25519'): Promise<string> {
  const file = join(dir, name);
  await run('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', `runbook-test-${name}`, '-f', file]);
  return file;
}

export async function fingerprintOf(pubFile: string): Promise<string> {
  const { stdout } = await run('ssh-keygen', ['-lf', pubFile]);
  return stdout.split(/\s+/)[1]!;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'runbook-sshd-'));
  // Other local users (a become test's login user) must be able to read authorized_keys here.
  await chmod(dir, 0o755);
  try {
    const hostKey = await generateKey(dir, 'host_ed25519');
    const clientKeyFile = await generateKey(dir, 'client_ed25519');
    await writeFile(join(dir, 'authorized_keys'), await readFile(`${clientKeyFile}.pub`), { mode: 0o644 });
    const hostKeyFingerprint = await fingerprintOf(`${hostKey}.pub`);
    // sshd (as root) insists on its privilege separation directory; systemd normally creates it.
    if (process.getuid?.() === 0) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = await launch(dir, port, hostKey, options);
      if (child) return handle(dir, port, child, clientKeyFile, hostKey, hostKeyFingerprint);
      if (attempt >= 3) throw new Error(`sshd did not start; its log:\n${await readFile(join(dir, 'sshd.log'), 'utf8').catch(() => '')}`);
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function launch(dir: string, port: number, hostKey: string, options: SshdOptions): Promise<ChildProcess | undefined> {
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // The temp dir lives under world-writable /tmp, which StrictModes would reject.
    'StrictModes no',
    'UsePAM no',
    'PermitRootLogin yes',
    'PubkeyAuthentication yes',
    `PasswordAuthentication ${options.passwordAuthentication ? 'yes' : 'no'}`,
    'KbdInteractiveAuthentication no',
    `MaxSessions ${options.maxSessions ?? 10}`,
    'MaxStartups 100',
    'AllowTcpForwarding yes',
    'PrintMotd no',
    'LogLevel VERBOSE',
    ...(options.extraConfig ?? []),
  ].join('\n');
  const configFile = join(dir, 'sshd_config');
  await writeFile(configFile, `${config}\n`);
  const logFd = openSync(join(dir, 'sshd.log'), 'a');
  const child = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (let i = 0; i < 200 && !exited; i++) {
    if (await answersSsh(port)) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!exited) child.kill('SIGKILL');
  return undefined;
}

/** True when something on the port sends an SSH banner. */
function answersSsh(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.setTimeout(1000);
    sock.once('data', (d) => {
      sock.destroy();
      resolve(d.toString('latin1').startsWith('SSH-'));
    });
    sock.once('error', () => resolve(false));
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
  });
}

async function handle(dir: string, port: number, child: ChildProcess, clientKeyFile: string, hostKey: string, hostKeyFingerprint: string): Promise<TestSshd> {
  const knownHostsFile = join(dir, 'known_hosts');
  const [type, blob] = (await readFile(`${hostKey}.pub`, 'utf8')).trim().split(/\s+/);
  await writeFile(knownHostsFile, `[127.0.0.1]:${port} ${type} ${blob}\n`);
  const user = userInfo().username;
  const pid = child.pid!;
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  const sessionPids = async (): Promise<number[]> => childrenOf(pid);
  return {
    address: '127.0.0.1',
    port,
    dir,
    user,
    clientKeyFile,
    knownHostsFile,
    hostKeyFingerprint,
    pid,
    spec: (overrides = {}) => ({
      name: 'sshd-test',
      connection: 'ssh',
      address: '127.0.0.1',
      port,
      user,
      privateKeyFile: clientKeyFile,
      knownHostsFile,
      hostKeyChecking: true,
      connectTimeoutMs: 10_000,
      ...overrides,
    }),
    log: () => readFile(join(dir, 'sshd.log'), 'utf8'),
    sessionPids,
    async stop() {
      // Per-connection children outlive the listener; end them too, each by its own PID.
      for (const p of await sessionPids()) killQuietly(p);
      killQuietly(pid);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000).unref())]);
      if (child.exitCode === null && child.signalCode === null) killQuietly(pid, 'SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function killQuietly(pid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

/** Direct children of `pid`, read from /proc (Linux). */
async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // Field 4 is the parent PID; the command (field 2) may contain spaces, so split after its ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      /* the process ended while we looked */
    }
  }
  return out;
}
