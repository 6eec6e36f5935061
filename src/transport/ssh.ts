// One SSH connection per host for the whole run (node-ssh over ssh2): exec with stdin, streaming, abort, tunnels.
import { NodeSSH, type Config } from 'node-ssh';
import type { Client, ClientChannel } from 'ssh2';
import type { Duplex } from 'node:stream';
import { TaskFailure, UnreachableError } from '../core/errors.js';
import { authPlan } from './auth.js';
import { becomeTarget, checkBecome, wrapBecome } from './become.js';
import { ChannelGate } from './channel-gate.js';
import { connectError } from './ssh-errors.js';
import { connectPacer, isDroppedHandshake } from './connect-pace.js';
import { hostKeyPolicy } from './host-key.js';
import { commandMarker, killScript } from './remote-kill.js';
import { remoteCommand } from './script.js';
import { abortError } from './output.js';
import { runOnChannel, type ChannelHooks } from './channel-exec.js';
import { newMarkers, suScript } from './su.js';
import { runSuOnChannel } from './su-channel.js';
import { noDelay } from './no-delay.js';
import { ignoreHostKeysNotice } from './host-keys-notice.js';
import { closeJumpChain, openJumpChain, type JumpChain } from './jump-connect.js';
import type { ExecOptions, ExecResult, ConnectionSpec, Transport } from './types.js';

export interface SshOptions {
  /** Concurrent session channels per connection; stays below sshd's default MaxSessions (10), and shrinks if the host allows fewer. */
  maxChannels?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Where SSH_AUTH_SOCK is read from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

const DEFAULTS = { maxChannels: 8, keepaliveIntervalMs: 5_000, keepaliveCountMax: 4 };
/** How long an aborted command has between TERM and KILL (whole seconds: it becomes `sleep N`). */
const ABORT_GRACE_S = 1;
/** Times the server may refuse a session with none of ours open before we call the host unreachable. */
const MAX_IDLE_REFUSALS = 3;

export async function openSsh(spec: ConnectionSpec, options: SshOptions = {}): Promise<Transport> {
  const opts = { ...DEFAULTS, ...options };
  let policy: Awaited<ReturnType<typeof hostKeyPolicy>>;
  try {
    policy = await hostKeyPolicy(spec);
  } catch (err) {
    throw new UnreachableError(spec.name, `cannot read known_hosts for ${spec.name}: ${(err as Error).message}`, 'check --known-hosts / ssh_known_hosts_file');
  }
  const auth = await authPlan(spec, opts.env);
  const config: Config = {
    host: spec.address,
    port: spec.port,
    username: spec.user,
    authHandler: auth.methods,
    readyTimeout: spec.connectTimeoutMs,
    keepaliveInterval: opts.keepaliveIntervalMs,
    keepaliveCountMax: opts.keepaliveCountMax,
  };
  if (policy) {
    config.hostVerifier = (key: Buffer): boolean => policy.verify(key);
    config.algorithms = { serverHostKey: policy.hostKeyAlgorithms as NonNullable<Config['algorithms']>['serverHostKey'] };
  }
  // A handshake sshd dropped (MaxStartups) is tried again on a fresh client, paced with the others (connect-pace.ts).
  let opened: Awaited<ReturnType<typeof handshake>>;
  try {
    opened = await connectPacer.connect(() => handshake(spec, config, opts.env, policy, auth.tried));
  } catch (err) {
    if (!isDroppedHandshake(err)) throw err;
    throw new UnreachableError(
      spec.name,
      `cannot connect to ${spec.name} (${spec.address}:${spec.port}): the server dropped the connection before the handshake, ${connectPacer.settings.maxRetries + 1} times`,
      "sshd drops connections beyond MaxStartups (default 10:30:100): is another client storming it? raise MaxStartups in the host's sshd_config",
    );
  }
  const { ssh, chain } = opened;
  return new SshTransport(spec, ssh, ssh.connection!, new ChannelGate(opts.maxChannels), chain?.clients ?? []);
}

/** One connection attempt; a drop before the handshake is rethrown as is, so the pacer can tell it apart. */
async function handshake(
  spec: ConnectionSpec,
  base: Config,
  env: NodeJS.ProcessEnv | undefined,
  policy: Awaited<ReturnType<typeof hostKeyPolicy>>,
  tried: readonly string[],
): Promise<{ ssh: NodeSSH; chain: JumpChain | undefined }> {
  const ssh = new NodeSSH();
  const config: Config = { ...base };
  // ProxyJump: the bastions are connected first, and the target's SSH runs inside the last one's tunnel.
  let chain: JumpChain | undefined;
  if (spec.jump && spec.jump.length > 0) {
    chain = await openJumpChain(spec, env);
    config.sock = chain.sock;
  }
  try {
    const connecting = ssh.connect(config);
    noDelay(ssh.connection);
    ignoreHostKeysNotice(ssh.connection);
    await connecting;
    noDelay(ssh.connection);
  } catch (err) {
    ssh.connection?.end();
    if (chain) closeJumpChain(chain.clients);
    const refused = policy?.refusal();
    if (refused) throw refused;
    throw isDroppedHandshake(err) ? err : connectError(spec, err, tried);
  }
  return { ssh, chain };
}

class SshTransport implements Transport {
  readonly host: string;
  private dropped: UnreachableError | undefined;
  /** Rejecters of running commands, called when the connection dies under them. */
  private readonly running = new Set<(err: UnreachableError) => void>();
  private readonly closed: Promise<void>;
  /** Kill scripts still running for aborted commands; close() lets them finish. */
  private readonly kills = new Set<Promise<void>>();

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly ssh: NodeSSH,
    private readonly client: Client,
    private readonly gate: ChannelGate,
    /** Bastion connections this one runs through (ProxyJump); closed after it. */
    private readonly jumps: Client[] = [],
  ) {
    this.host = spec.name;
    // node-ssh stops listening for 'error' once connected; without ours a late error would crash the process.
    client.on('error', (err) => this.drop(err.message));
    client.on('end', () => this.drop('the server closed the connection'));
    this.closed = new Promise<void>((resolve) =>
      client.on('close', () => {
        this.drop('the connection closed');
        resolve();
      }),
    );
  }

  async exec(script: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.dropped) throw this.dropped;
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal, this.host);
    if (options.become?.method === 'su' && becomeTarget(options.become, this.spec.user) !== undefined) return this.execSu(script, options);
    const wrapped = wrapBecome(script, options.stdin, options.become, this.spec.user, this.host);
    const marker = commandMarker();
    const channel = await this.openSession(remoteCommand(wrapped.script, marker, this.host), signal);
    const result = await runOnChannel(channel, wrapped.stdin, options, this.hooks(marker));
    checkBecome(result, options.become, this.spec.user, this.host);
    return result;
  }

  /** become_method su: su wants its password from a terminal, so this command gets a pty (see su.ts). */
  private async execSu(script: string, options: ExecOptions): Promise<ExecResult> {
    const become = options.become!;
    const stdin = options.stdin === undefined ? Buffer.alloc(0) : Buffer.isBuffer(options.stdin) ? options.stdin : Buffer.from(options.stdin, 'utf8');
    const markers = newMarkers();
    const marker = commandMarker();
    const command = remoteCommand(suScript(script, stdin.length, become, markers), marker, this.host);
    const channel = await this.openSession(command, options.signal, true);
    const party = { host: this.host, loginUser: this.spec.user, become, ...(become.prompts?.length ? { prompts: become.prompts } : {}) };
    return runSuOnChannel(channel, stdin, options, this.hooks(marker), party, markers);
  }

  private hooks(marker: string): ChannelHooks {
    return {
      host: this.host,
      release: () => this.gate.release(),
      watchDrop: (reject) => {
        this.running.add(reject);
        return () => this.running.delete(reject);
      },
      dropped: () => this.dropped,
      killRemote: () => this.killRemote(marker),
    };
  }

  async forward(address: string, port: number): Promise<Duplex> {
    if (this.dropped) throw this.dropped;
    try {
      return await new Promise<Duplex>((resolve, reject) => {
        this.client.forwardOut('127.0.0.1', 0, address, port, (err, channel) => (err ? reject(err) : resolve(channel)));
      });
    } catch (err) {
      if (this.dropped) throw this.dropped;
      throw new TaskFailure(
        `cannot open a tunnel through ${this.host} to ${address}:${port}: ${(err as Error).message}`,
        undefined,
        `is something listening on ${address}:${port} as seen from ${this.host}, and does its sshd allow TCP forwarding (AllowTcpForwarding)?`,
      );
    }
  }

  async close(): Promise<void> {
    if (this.kills.size > 0 && !this.dropped) {
      await Promise.race([Promise.all(this.kills), new Promise((resolve) => setTimeout(resolve, ABORT_GRACE_S * 1000 + 1_000).unref())]);
    }
    this.drop('closed by runbook');
    this.ssh.dispose();
    // A dead peer never answers our goodbye; do not let that hold up the end of the run.
    await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    closeJumpChain(this.jumps);
  }

  /** Best effort, outside the channel gate: an abort must not wait behind the commands it is stopping. */
  private killRemote(marker: string): void {
    const done = new Promise<void>((resolve) => {
      try {
        this.client.exec(killScript(marker, ABORT_GRACE_S), (err, ch) => {
          if (err) return resolve();
          ch.on('error', () => {});
          ch.on('close', () => resolve());
          ch.resume();
          ch.stderr.resume();
          ch.end();
        });
      } catch {
        resolve();
      }
    });
    this.kills.add(done);
    void done.then(() => this.kills.delete(done));
  }

  private drop(reason: string): void {
    if (this.dropped) return;
    const { name, address, port } = this.spec;
    this.dropped = new UnreachableError(
      name,
      `connection to ${name} (${address}:${port}) lost: ${reason}`,
      'the host may have rebooted, lost its network, or sshd was restarted; re-run once it answers again',
    );
    for (const reject of this.running) reject(this.dropped);
    this.running.clear();
  }

  /** Opens a session channel within the gate; the slot stays taken until the channel closes. */
  private async openSession(command: string, signal: AbortSignal | undefined, pty = false): Promise<ClientChannel> {
    let idleRefusals = 0;
    for (;;) {
      await this.gate.acquire();
      if (this.dropped || signal?.aborted) {
        this.gate.release();
        throw this.dropped ?? abortError(signal!, this.host);
      }
      try {
        return await new Promise<ClientChannel>((resolve, reject) => {
          // A dumb terminal: nothing on the host should think it can draw on it.
          const cb = (err: Error | undefined, channel: ClientChannel): void => (err ? reject(err) : resolve(channel));
          if (pty) this.client.exec(command, { pty: { term: 'dumb' } }, cb);
          else this.client.exec(command, cb);
        });
      } catch (err) {
        this.gate.release();
        if (this.dropped) throw this.dropped;
        const message = (err as Error).message;
        if (!/Channel open failure/i.test(message)) {
          throw new UnreachableError(this.host, `cannot run a command on ${this.host}: ${message}`);
        }
        // Refused while others of ours are open: that is the host's MaxSessions. Wait for one to finish.
        if (this.gate.inUse > 0) {
          this.gate.shrinkTo(this.gate.inUse);
          continue;
        }
        if (++idleRefusals >= MAX_IDLE_REFUSALS) {
          throw new UnreachableError(
            this.host,
            `${this.host} refuses to open a session: ${message}`,
            "check MaxSessions in the host's sshd_config (runbook needs at least 1)",
          );
        }
        // Our last channel may not be freed on the server yet; give it a moment.
        await new Promise((r) => setTimeout(r, 50 * idleRefusals));
      }
    }
  }
}
