// The transport's whole surface: run a script, forward a port, close. ssh and local sit behind it.
import type { Duplex } from 'node:stream';

export interface BecomeOptions {
  /** Target user; default root. */
  user?: string;
  /** The password sudo or su asks for: through askpass for sudo, typed at su's prompt on a pty; never on a command line. */
  password?: string;
  /** become_method: sudo (the default) or su. */
  method?: 'sudo' | 'su';
  /** become_flags: extra options for su, placed before the user (`-l`, `-`). */
  flags?: string;
  /** ansible_su_prompt_l10n: the words su's password prompt may start with, instead of the built-in list. */
  prompts?: string[];
}

export interface ExecOptions {
  /** Bytes fed to the script's stdin: file contents and secrets travel here, never in argv. */
  stdin?: string | Buffer;
  become?: BecomeOptions;
  /** Called with output chunks as they arrive, so long commands show they are alive. */
  onOutput?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /**
   * Leave the script's stdin open (after `stdin`, if any) until it ends: a command that must
   * outlive nothing but the connection (the run lock's holder) reads it and sees EOF when the
   * connection dies, with no heartbeat traffic.
   */
  keepStdinOpen?: boolean;
  /**
   * With keepStdinOpen: ends the script's stdin when this signal fires, so a command that waits for
   * EOF (the run lock's holder) finishes without a second command sent to stop it.
   */
  endStdin?: AbortSignal;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when the command was killed by a signal. */
  code: number | null;
}

export interface Transport {
  /** Inventory name of the host this transport reaches. */
  readonly host: string;
  /** Runs `script` with /bin/sh on the host. Rejects with UnreachableError if the connection fails or drops. */
  exec(script: string, options?: ExecOptions): Promise<ExecResult>;
  /** Opens a TCP stream from the host to address:port (an SSH tunnel); lets the controller talk to Redis or HTTP without opening a firewall. */
  forward(address: string, port: number): Promise<Duplex>;
  close(): Promise<void>;
}

/** How to reach one host, resolved from inventory variables (ansible_host, ansible_port, ...). */
export interface ConnectionSpec {
  name: string;
  connection: 'ssh' | 'local';
  address: string;
  port: number;
  user: string;
  privateKeyFile?: string;
  password?: string;
  /** known_hosts file used to verify host keys; undefined means ~/.ssh/known_hosts. */
  knownHostsFile?: string;
  /** Explicit opt-out of host key checking (ansible's host_key_checking = False). */
  hostKeyChecking: boolean;
  connectTimeoutMs: number;
  /** Bastions to hop through, first hop first (ProxyJump); each is verified against the same known_hosts. */
  jump?: JumpHost[];
}

/** One bastion of a ProxyJump chain. */
export interface JumpHost {
  address: string;
  port: number;
  user: string;
  /** Key for this bastion; without one it gets the target's key, the agent and the default keys. */
  privateKeyFile?: string;
}
