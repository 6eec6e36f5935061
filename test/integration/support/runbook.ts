// Runs the real CLI (the compiled bin, as users do) and parses its --json events, for integration tests.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostCounters, RunEvent } from '../../../src/executor/events.js';

// dist/test/integration/support -> repo root (tests run compiled); src-relative under tsx.
const here = dirname(fileURLToPath(import.meta.url));
export const REPO = here.includes('/dist/') ? join(here, '../../../..') : join(here, '../../..');
const BIN = join(REPO, 'bin/runbook.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  events: RunEvent[];
  recap: Record<string, HostCounters>;
}

/** Runs the CLI; `input` is written to its stdin, where -k / -K read when stdin is not a terminal. */
export function runbook(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? REPO, env: { ...process.env, NO_COLOR: '1', ...opts.env }, ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const events: RunEvent[] = args.includes('--json')
        ? stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RunEvent)
        : [];
      const recapEvent = events.find((e) => e.type === 'recap');
      const recap = recapEvent && recapEvent.type === 'recap' ? recapEvent.hosts : {};
      resolve({ code: code ?? -1, stdout, stderr, events, recap });
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
  });
}

/** Sum of `changed` over all hosts of a recap. */
export function totalChanged(run: CliRun): number {
  return Object.values(run.recap).reduce((n, c) => n + c.changed, 0);
}

export function describeRun(run: CliRun): string {
  const fails = run.events.filter((e) => e.type === 'host_result' && (e.status === 'failed' || e.status === 'unreachable'));
  return `exit ${run.code}\n${run.stderr}\n${fails.map((f) => JSON.stringify(f)).join('\n')}`;
}
