// become_method su with connection: local. su wants a terminal and node has none to give, so util-linux
// `script` makes the pty and relays it over pipes; the wrapper and reader are ssh's (su.ts).
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { UnreachableError } from '../core/errors.js';
import { abortError } from './output.js';
import { checkScriptSize } from './script.js';
import { newMarkers, suScript, SuReader } from './su.js';
import { SU_AUTH_TIMEOUT_MS } from './su-channel.js';
import type { ExecOptions, ExecResult } from './types.js';

export function execSuLocal(host: string, loginUser: string, script: string, options: ExecOptions): Promise<ExecResult> {
  const become = options.become!;
  const { signal, onOutput } = options;
  const stdin = options.stdin === undefined ? Buffer.alloc(0) : Buffer.isBuffer(options.stdin) ? options.stdin : Buffer.from(options.stdin, 'utf8');
  const markers = newMarkers();
  const command = suScript(script, stdin.length, become, markers);
  checkScriptSize(command, host);
  return new Promise<ExecResult>((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    const reader = new SuReader({ host, loginUser, become, ...(become.prompts?.length ? { prompts: become.prompts } : {}) }, markers, (chunk) => {
      const text = decoder.write(chunk);
      if (text && onOutput) onOutput(text, 'stdout');
    });
    // -q: no banner; -e: su's exit status; -f: relay output at once. SHELL: script runs -c with it.
    const child = spawn('script', ['-q', '-e', '-f', '-c', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env: { ...process.env, SHELL: '/bin/sh' } });
    let settled = false;
    let stdinSent = false;
    const hangUp = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGHUP');
      } catch {
        /* already gone */
      }
    };
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      done();
    };
    const fail = (err: Error): void => {
      settle(() => reject(err));
      hangUp();
    };
    const timer = setTimeout(() => {
      if (!reader.started) fail(reader.failure('timeout', reader.authOutput));
    }, SU_AUTH_TIMEOUT_MS);
    timer.unref();
    const onAbort = (): void => fail(abortError(signal!, host));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdin.on('error', () => {});
    child.stdout.on('data', (chunk: Buffer) => {
      if (settled) return;
      const action = reader.push(chunk);
      if (action.kind === 'send') child.stdin.write(action.data);
      else if (action.kind === 'fail') fail(action.error);
      else if (reader.started && !stdinSent) {
        stdinSent = true;
        clearTimeout(timer);
        if (stdin.length > 0) child.stdin.write(stdin);
      }
    });
    child.stderr.on('data', () => {});
    child.on('error', (err) => fail(new UnreachableError(host, `cannot run su locally through script(1): ${err.message}; install util-linux's script (bsdutils)`)));
    child.on('close', (code) => {
      child.stdin.destroy();
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
    if (signal?.aborted) onAbort();
  });
}
