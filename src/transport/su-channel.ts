// Runs one su-wrapped command on an SSH session channel that has a pty: types the password at su's
// prompt, sends the task's stdin once the wrapper runs, and hands back stdout, stderr and status as if
// there had been no pty.
import type { ClientChannel } from 'ssh2';
import { StringDecoder } from 'node:string_decoder';
import { onAbort } from './abort-fanout.js';
import type { ChannelHooks } from './channel-exec.js';
import { abortError } from './output.js';
import { SuReader, type SuMarkers, type SuParty } from './su.js';
import type { ExecOptions, ExecResult } from './types.js';

/** How long su may take to prompt or let the wrapper run (a wrong password alone costs su about 3 s). */
export const SU_AUTH_TIMEOUT_MS = 30_000;

export function runSuOnChannel(
  channel: ClientChannel,
  stdin: Buffer,
  options: ExecOptions,
  hooks: ChannelHooks,
  party: SuParty,
  markers: SuMarkers,
  authTimeoutMs = SU_AUTH_TIMEOUT_MS,
): Promise<ExecResult> {
  const { signal } = options;
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    hooks.release();
  };
  return new Promise<ExecResult>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const onOutput = options.onOutput;
    const reader = new SuReader(party, markers, (chunk) => {
      const text = decoder.write(chunk);
      if (text && onOutput) onOutput(text, 'stdout');
    });
    let code: number | null = null;
    let settled = false;
    let stdinSent = false;
    let unwatch = (): void => {};
    let unlisten = (): void => {};
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(authTimer);
      unwatch();
      unlisten();
      done();
    };
    // Closing the channel hangs up the pty: su and what it runs get SIGHUP.
    const fail = (err: Error): void => {
      settle(() => reject(err));
      channel.close();
    };
    const authTimer = setTimeout(() => {
      if (!reader.started) fail(reader.failure('timeout', reader.authOutput));
    }, authTimeoutMs);
    authTimer.unref();
    const abort = (): void => {
      hooks.killRemote();
      fail(abortError(signal!, hooks.host));
    };
    unwatch = hooks.watchDrop((err) => {
      release();
      settle(() => reject(err));
    });
    channel.on('data', (chunk: Buffer) => {
      if (settled) return;
      const action = reader.push(chunk);
      if (action.kind === 'send') channel.write(action.data);
      else if (action.kind === 'fail') fail(action.error);
      else if (reader.started && !stdinSent) {
        stdinSent = true;
        clearTimeout(authTimer);
        // The wrapper reads exactly this many bytes (it said how many on its command line); no EOF on a pty.
        if (stdin.length > 0) channel.write(stdin);
      }
    });
    // A pty merges stderr into its one stream; anything here comes from sshd itself.
    channel.stderr.on('data', () => {});
    channel.on('exit', (exitCode: number | null) => {
      code = typeof exitCode === 'number' ? exitCode : null;
    });
    channel.on('error', () => {});
    channel.on('close', (exitCode?: unknown) => {
      if (typeof exitCode === 'number') code = exitCode;
      release();
      const dropped = hooks.dropped();
      if (dropped) return settle(() => reject(dropped));
      settle(() => {
        try {
          const result = reader.finish(code);
          const tail = decoder.end();
          if (onOutput && tail) onOutput(tail, 'stdout');
          if (onOutput && result.stderr) onOutput(result.stderr, 'stderr');
          resolve(result);
        } catch (err) {
          reject(err);
        }
      });
    });
    if (signal?.aborted) abort();
    else if (signal) unlisten = onAbort(signal, abort);
  });
}
