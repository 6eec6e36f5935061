// An ActionContext whose transport runs scripts on this machine with /bin/sh, for action module tests.
import { spawn } from 'node:child_process';
import type { Vars } from '../../../../src/core/types.js';
import type { ActionContext } from '../../../../src/modules/types.js';
import type { ExecResult, Transport } from '../../../../src/transport/types.js';
import { fakeCtx } from './local.js';

export const localTransport: Transport = {
  host: 'local',
  exec(script, options): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', script], { signal: options?.signal });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ stdout, stderr, code }));
      child.stdin.end(options?.stdin ?? '');
    });
  },
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
