// Runs one command on an open SSH session channel: stdin in, output and exit status out, abort and drops handled.
import type { ClientChannel } from 'ssh2';
import type { UnreachableError } from '../core/errors.js';
import { onAbort } from './abort-fanout.js';
import { abortError, OutputCollector } from './output.js';
import type { ExecOptions, ExecResult } from './types.js';

/** How long an aborted command may take to die before we close its channel anyway. */
const ABORT_CLOSE_MS = 1_500;

/** What the connection lends one command. */
export interface ChannelHooks {
  host: string;
  /** Frees the channel's slot in the gate; called exactly once (close or drop). */
  release(): void;
  /** Registers a rejecter called if the connection dies; returns its unregister function. */
  watchDrop(reject: (err: UnreachableError) => void): () => void;
  /** Set once the connection is gone. */
  dropped(): UnreachableError | undefined;
  /** Stops the remote command for real after an abort (a kill script on another channel). */
  killRemote(): void;
}

export function runOnChannel(channel: ClientChannel, stdin: string | Buffer | undefined, options: ExecOptions, hooks: ChannelHooks): Promise<ExecResult> {
  const { signal } = options;
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    hooks.release();
  };
  return new Promise<ExecResult>((resolve, reject) => {
    const out = new OutputCollector(options.onOutput);
    let code: number | null = null;
    let settled = false;
    let unwatch = (): void => {};
    let unlisten = (): void => {};
    let unlistenStdin = (): void => {};
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      unwatch();
      unlisten();
      unlistenStdin();
      done();
    };
    const abort = (): void => {
      // The signal request works for non-root logins; the kill script also for root, whose sessions OpenSSH will not signal.
      sendSignal(channel, 'TERM');
      hooks.killRemote();
      const giveUp = setTimeout(() => channel.close(), ABORT_CLOSE_MS);
      giveUp.unref();
      channel.once('close', () => clearTimeout(giveUp));
      settle(() => reject(abortError(signal!, hooks.host)));
    };
    unwatch = hooks.watchDrop((err) => {
      release();
      settle(() => reject(err));
    });
    channel.on('data', (chunk: Buffer) => out.push('stdout', chunk));
    channel.stderr.on('data', (chunk: Buffer) => out.push('stderr', chunk));
    channel.on('exit', (exitCode: number | null) => {
      code = typeof exitCode === 'number' ? exitCode : null;
    });
    // Writing stdin to a command that already exited is not an error worth more than its exit status.
    channel.on('error', () => {});
    channel.on('close', (exitCode?: unknown) => {
      // ssh2 repeats the exit status here. 'exit' alone is not enough: when the exec reply, the output and
      // the status arrive in one read (a busy controller), ssh2 emits 'exit' before this function has run.
      if (typeof exitCode === 'number') code = exitCode;
      release();
      const dropped = hooks.dropped();
      if (dropped) settle(() => reject(dropped));
      else settle(() => resolve(out.result(code)));
    });
    // A fast command's channel may be closed already (see 'close' above): then there is nothing to send,
    // and ending it anyway would only build an error to throw away.
    if (!channel.destroyed && !channel.writableEnded) {
      if (options.keepStdinOpen) {
        if (stdin !== undefined && stdin.length > 0) channel.write(stdin);
        const endStdin = options.endStdin;
        if (endStdin) {
          const end = (): void => {
            if (!channel.destroyed && !channel.writableEnded) channel.end();
          };
          if (endStdin.aborted) end();
          else {
            endStdin.addEventListener('abort', end, { once: true });
            unlistenStdin = () => endStdin.removeEventListener('abort', end);
          }
        }
      } else if (stdin === undefined || stdin.length === 0) channel.end();
      else channel.end(stdin);
    }
    if (signal?.aborted) abort();
    else if (signal) unlisten = onAbort(signal, abort);
  });
}

/**
 * Sends a signal request (OpenSSH >= 7.9 signals the session's process group, non-root logins only).
 * ssh2's channel.signal() only sends while our side is writable, but we end stdin at once, so this goes
 * to its protocol object.
 */
function sendSignal(channel: ClientChannel, name: 'TERM' | 'KILL'): void {
  const c = channel as unknown as {
    _client?: { _protocol?: { signal?(id: number, signal: string): void } };
    outgoing?: { id?: number; state?: string };
  };
  const proto = c._client?._protocol;
  const { id, state } = c.outgoing ?? {};
  if (!proto?.signal || id === undefined || (state !== 'open' && state !== 'eof')) return;
  try {
    proto.signal(id, name);
  } catch {
    /* the connection is going away; nothing left to signal */
  }
}
