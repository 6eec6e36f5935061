// The transport for ansible_connection: local: the same exec semantics as ssh, run with /bin/sh on the controller.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { userInfo } from 'node:os';
import type { Duplex } from 'node:stream';
import { TaskFailure, UnreachableError } from '../core/errors.js';
import { becomeTarget, checkBecome, wrapBecome } from './become.js';
import { execSuLocal } from './su-local.js';
import { abortError, OutputCollector } from './output.js';
import { checkScriptSize } from './script.js';
import type { ExecOptions, ExecResult, Transport } from './types.js';

/** How long an aborted command has between TERM and KILL. */
const ABORT_GRACE_MS = 1_000;

export function openLocal(name: string): Transport {
  const loginUser = userInfo().username;
  let closed = false;
  const running = new Set<() => void>();

  const exec = async (script: string, options: ExecOptions = {}): Promise<ExecResult> => {
    if (closed) throw new UnreachableError(name, `local transport for ${name} is closed`);
    const { signal } = options;
    if (signal?.aborted) throw abortError(signal, name);
    if (options.become?.method === 'su' && becomeTarget(options.become, loginUser) !== undefined) return execSuLocal(name, loginUser, script, options);
    const wrapped = wrapBecome(script, options.stdin, options.become, loginUser, name);
    checkScriptSize(wrapped.script, name);
    return new Promise<ExecResult>((resolve, reject) => {
      const out = new OutputCollector(options.onOutput);
      // Own process group, so an abort can stop the whole command tree, not just /bin/sh.
      const child = spawn('/bin/sh', ['-c', wrapped.script], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      let settled = false;
      const signalGroup = (sig: NodeJS.Signals): void => {
        // The whole group, even after /bin/sh itself ended: what it started in the background goes too.
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, sig);
        } catch {
          /* the group is already gone */
        }
      };
      const kill = (): void => signalGroup('SIGKILL');
      const onAbort = (): void => {
        // TERM first so sudo can pass it on to a command it runs as another user; KILL for what ignores it.
        signalGroup('SIGTERM');
        const timer = setTimeout(kill, ABORT_GRACE_MS);
        timer.unref();
        child.once('close', () => clearTimeout(timer));
        finish(() => reject(abortError(signal!, name)));
      };
      const finish = (settle: () => void): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        running.delete(kill);
        settle();
      };
      running.add(kill);
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (c: Buffer) => out.push('stdout', c));
      child.stderr.on('data', (c: Buffer) => out.push('stderr', c));
      // A script that exits without reading its stdin makes our write fail with EPIPE; its result still stands.
      child.stdin.on('error', () => {});
      child.on('error', (err) => finish(() => reject(new UnreachableError(name, `cannot run /bin/sh locally: ${err.message}`))));
      child.on('close', (code) => {
        finish(() => {
          const result = out.result(code);
          try {
            checkBecome(result, options.become, loginUser, name);
            resolve(result);
          } catch (err) {
            reject(err);
          }
        });
      });
      if (options.keepStdinOpen) {
        child.stdin.write(wrapped.stdin ?? '');
        if (options.endStdin?.aborted) child.stdin.end();
        else options.endStdin?.addEventListener('abort', () => child.stdin.end(), { once: true });
      } else child.stdin.end(wrapped.stdin ?? '');
    });
  };

  const forward = (address: string, port: number): Promise<Duplex> =>
    new Promise<Duplex>((resolve, reject) => {
      const socket = connect({ host: address, port });
      socket.once('connect', () => resolve(socket));
      socket.once('error', (err) => reject(new TaskFailure(`cannot connect from ${name} to ${address}:${port}: ${err.message}`)));
    });

  return {
    host: name,
    exec,
    forward,
    async close() {
      closed = true;
      for (const kill of running) kill();
    },
  };
}
