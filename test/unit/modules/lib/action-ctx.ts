// An ActionContext whose transport runs scripts on this machine with /bin/sh, for action module tests.
import { spawn } from 'node:child_process';
import type { Vars } from '../../../../src/core/types.js';
import type { ActionContext } from '../../../../src/modules/types.js';
import type { ExecResult, Transport } from '../../../../src/transport/types.js';
import { fakeCtx } from './local.js';

/** Runs `script` with /bin/sh on this machine, as a transport's exec would on a host. */
export function runSh(script: string, o: { stdin?: string | Buffer; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script], { signal: o.signal, env: o.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    // A script that exits without reading stdin may close it before the write: EPIPE is not the test's concern.
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.stdin ?? '');
  });
}

export const localTransport: Transport = {
  host: 'local',
  exec: (script, options) => runSh(script, { stdin: options?.stdin, signal: options?.signal }),
  forward: () => Promise.reject(new Error('no forwarding in tests')),
  close: () => Promise.resolve(),
};

/** `evaluate` here looks names up in vars with dots, enough to test how modules use its result. */
export function actionCtx(vars: Vars = {}, over: Partial<ActionContext> = {}): ActionContext {
  const lookup = (expr: string): unknown =>
    expr.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Vars)[k] : undefined), vars);
  return {
    ...fakeCtx({ vars, evaluate: (e) => lookup(e.trim()) }),
    transport: localTransport,
    playHosts: ['local'],
    hostVars: () => vars,
    connect: () => Promise.resolve(localTransport),
    ...over,
  };
}
