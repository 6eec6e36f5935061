// ProxyJump with ssh2 alone: connect to each bastion through the previous one, then hand the last tunnel to the target's connection.
import ssh2, { type Client, type ConnectConfig } from 'ssh2';
import type { Duplex } from 'node:stream';
import { UnreachableError } from '../core/errors.js';
import { authPlan } from './auth.js';
import { hostKeyPolicy } from './host-key.js';
import { noDelay } from './no-delay.js';
import { connectError } from './ssh-errors.js';
import type { ConnectionSpec, JumpHost } from './types.js';

export interface JumpChain {
  /** A TCP stream to the target, opened by the last bastion: ssh2's `sock` for the target connection. */
  sock: Duplex;
  /** Bastion connections, first hop first; close them after the target's. */
  clients: Client[];
}

/** Connects through spec.jump; the bastions' host keys are checked like the target's, against the same known_hosts. */
export async function openJumpChain(spec: ConnectionSpec, env: NodeJS.ProcessEnv | undefined): Promise<JumpChain> {
  const hops = spec.jump ?? [];
  const clients: Client[] = [];
  let sock: Duplex | undefined;
  try {
    for (let i = 0; i < hops.length; i++) {
      const hop = hops[i]!;
      const client = await connectHop(spec, hop, sock, env);
      clients.push(client);
      const next = hops[i + 1] ?? spec;
      sock = await forwardTo(spec, hop, client, next.address, next.port);
    }
  } catch (err) {
    closeJumpChain(clients);
    throw err;
  }
  return { sock: sock!, clients };
}

export function closeJumpChain(clients: readonly Client[]): void {
  for (const c of [...clients].reverse()) c.end();
}

/** The bastion as a ConnectionSpec of its own, so it gets the same host key and authentication rules as the target. */
export function hopSpec(spec: ConnectionSpec, hop: JumpHost): ConnectionSpec {
  const s: ConnectionSpec = {
    name: spec.name,
    connection: 'ssh',
    address: hop.address,
    port: hop.port,
    user: hop.user,
    hostKeyChecking: spec.hostKeyChecking,
    connectTimeoutMs: spec.connectTimeoutMs,
  };
  const key = hop.privateKeyFile ?? spec.privateKeyFile;
  if (key !== undefined) s.privateKeyFile = key;
  if (spec.knownHostsFile !== undefined) s.knownHostsFile = spec.knownHostsFile;
  return s;
}

async function connectHop(spec: ConnectionSpec, hop: JumpHost, sock: Duplex | undefined, env: NodeJS.ProcessEnv | undefined): Promise<Client> {
  const hs = hopSpec(spec, hop);
  const policy = await hostKeyPolicy(hs).catch((err: unknown) => {
    throw new UnreachableError(spec.name, `cannot read known_hosts for ${spec.name}: ${(err as Error).message}`, 'check --known-hosts / ssh_known_hosts_file');
  });
  const auth = await authPlan(hs, env);
  const config: ConnectConfig = {
    host: hop.address,
    port: hop.port,
    username: hop.user,
    authHandler: auth.methods,
    readyTimeout: spec.connectTimeoutMs,
    keepaliveInterval: 5_000,
    keepaliveCountMax: 4,
  };
  if (sock) config.sock = sock;
  if (policy) {
    config.hostVerifier = (key: Buffer): boolean => policy.verify(key);
    config.algorithms = { serverHostKey: policy.hostKeyAlgorithms as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] };
  }
  const client = new ssh2.Client();
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', reject);
      client.connect(config);
      noDelay(client);
    });
  } catch (err) {
    client.end();
    throw viaBastion(spec, hop, policy?.refusal() ?? connectError(hs, err, auth.tried));
  }
  // Later errors surface on the target's connection (its tunnel closes); this keeps them from crashing the process.
  client.on('error', () => {});
  return client;
}

function forwardTo(spec: ConnectionSpec, hop: JumpHost, client: Client, address: string, port: number): Promise<Duplex> {
  const fail = (why: string): UnreachableError =>
    new UnreachableError(
      spec.name,
      `jump host ${hop.user}@${hop.address}:${hop.port} cannot open a connection to ${address}:${port} for ${spec.name}: ${why}`,
      `can the jump host reach ${address}:${port}, and does its sshd allow TCP forwarding (AllowTcpForwarding)?`,
    );
  return new Promise<Duplex>((resolve, reject) => {
    // The bastion's own TCP connect can take minutes to give up on a dead target; ours is the connect timeout.
    const timer = setTimeout(() => reject(fail(`no answer within ${spec.connectTimeoutMs} ms`)), spec.connectTimeoutMs);
    client.forwardOut('127.0.0.1', 0, address, port, (err, channel) => {
      clearTimeout(timer);
      if (err) reject(fail(err.message));
      else resolve(channel);
    });
  });
}

/** Says that the failure was at the bastion, not at the target, keeping the host to count it against. */
function viaBastion(spec: ConnectionSpec, hop: JumpHost, err: UnreachableError): UnreachableError {
  return new UnreachableError(spec.name, `through the jump host ${hop.user}@${hop.address}:${hop.port}: ${err.message}`, err.hint);
}
