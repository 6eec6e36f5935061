// Runs modules for real against this machine with /bin/sh: probe, pure plan, then the steps,
// exactly as the executor would over SSH, so tests prove the scripts work and not just their text.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModuleContext, Plan, RemoteModule } from '../../../../src/modules/types.js';
import type { ExecResult } from '../../../../src/transport/types.js';

export const loc = { file: 'test.yml', line: 1, col: 1 };

export function sh(script: string, stdin?: string | Buffer): ExecResult {
  const input = typeof stdin === 'string' ? Buffer.from(stdin) : (stdin ?? Buffer.alloc(0));
  const r = spawnSync('sh', ['-c', script], { input });
  return { stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8'), code: r.status };
}

export function fakeCtx(over: Partial<ModuleContext> = {}): ModuleContext {
  return {
    host: 'local',
    vars: {},
    check: false,
    diff: true,
    loc,
    readFile: (p) => {
      throw new Error(`readFile(${p}) not expected`);
    },
    renderTemplate: (p) => {
      throw new Error(`renderTemplate(${p}) not expected`);
    },
    evaluate: () => undefined,
    addSecret: () => undefined,
    ...over,
  };
}

export interface Run {
  plan: Plan;
  results: ExecResult[];
  /** What afterApply said, when steps ran. */
  after?: { data?: Record<string, unknown>; failed?: string; unchanged?: boolean };
}

/** parse -> probe (run locally) -> plan -> steps (run locally, stopping at the first not-ok code). */
export function apply<A>(mod: RemoteModule<A>, raw: Record<string, unknown>, ctx: ModuleContext = fakeCtx()): Run {
  const args = mod.parse(raw, loc);
  const probe = mod.probe(args, ctx);
  const plan = mod.plan(args, sh(probe.script, probe.stdin), ctx);
  const results: ExecResult[] = [];
  if (plan.failure || plan.changes.length === 0) return { plan, results };
  for (const step of plan.steps) {
    const r = sh(step.script, step.stdin);
    results.push(r);
    if (!(step.okCodes ?? [0]).includes(r.code ?? -1)) break;
  }
  return { plan, results, after: plan.afterApply?.(results) };
}

/** Only probe and plan (what check mode sees). */
export function planOnly<A>(mod: RemoteModule<A>, raw: Record<string, unknown>, ctx: ModuleContext = fakeCtx()): Plan {
  const args = mod.parse(raw, loc);
  const probe = mod.probe(args, ctx);
  return mod.plan(args, sh(probe.script, probe.stdin), ctx);
}

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-mod-'));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const isRoot = process.getuid?.() === 0;
