// A loop applied in one remote call, for modules that declare loopBatch (ufw's rules): one probe,
// every item planned from it, one step for the items that change, and still one outcome per item.
import type { Vars } from '../core/types.js';
import type { BatchPlan, ModuleContext, RemoteModule } from '../modules/types.js';
import type { Task } from '../playbook/types.js';
import { moduleContext } from './module-context.js';
import type { Outcome } from './outcome.js';
import { failed } from './outcome.js';
import type { PlayRun } from './play-run.js';
import { changing, planBase, probeHost, settleWithoutSteps, type ModuleRun } from './run-module.js';
import { probeAlone } from './probe-ahead.js';
import type { Prepared } from './run-task.js';

/** A remote module with the hook. */
type Batching = RemoteModule & Required<Pick<RemoteModule, 'loopBatch'>>;

/**
 * Whether a task's loop may go in one call: keywords that act between items (until's retries,
 * loop_control.pause, async, a delegate that may differ per item) keep the per-item path.
 */
export function batchesLoop(task: Task, module: unknown): boolean {
  const m = module as Partial<RemoteModule> | undefined;
  return m?.kind === 'remote' && typeof m.loopBatch === 'function' && !task.until && !task.loopPause && task.async === undefined && task.delegateTo === undefined;
}

/** One loop item ready to run: its variables, and its prepared execution. */
export interface BatchItem {
  index: number;
  vars: Vars;
  prepared: Prepared;
}

/** Items run as one batch only when they reach the host the same way: one connection, one become, one environment, one check mode. */
export function sameWay(items: readonly BatchItem[]): boolean {
  const [first] = items;
  if (!first) return true;
  const key = (p: Prepared) => JSON.stringify([p.become ?? null, p.env, p.check]);
  return items.every((i) => i.prepared.connection === first.prepared.connection && i.prepared.module === first.prepared.module && key(i.prepared) === key(first.prepared));
}

/**
 * Runs the items as one batch. Returns one outcome per item, in order, except that when the step
 * stopped at a failed item the items after it are left out: the caller runs those the usual way, so
 * each is planned against what really is on the host.
 */
export async function runBatch(run: PlayRun, task: Task, host: string, items: readonly BatchItem[], onOutput?: () => void): Promise<Outcome[]> {
  const first = items[0]!.prepared;
  const module = first.module as Batching;
  const probes = run.ctx.probes;
  const moduleRun: ModuleRun = { transport: first.transport, become: first.become, check: first.check, forecasts: first.forecasts, signal: run.ctx.options.signal, onOutput, readProbe: probeAlone(first.transport, first.become, run.ctx.options.signal, probes), ...(probes ? { changing: () => probes.hostsMayHaveChanged() } : {}) };
  const contexts: ModuleContext[] = items.map((i) => moduleContext(run, task, host, i.vars, first.check));
  const probed = await probeHost(module, first.args, contexts[0]!, moduleRun);
  // Check mode could not probe (a become user that an earlier task would create): every item would change.
  if ('status' in probed) return items.map(() => ({ ...probed }));
  const batch: BatchPlan = module.loopBatch(items.map((i, n) => ({ args: i.prepared.args, ctx: contexts[n]! })), probed);
  const outcomes: Array<Outcome | undefined> = batch.plans.map((plan) => settleWithoutSteps(plan, moduleRun));
  const toApply = outcomes.flatMap((o, n) => (o === undefined ? [n] : []));
  if (toApply.length === 0) return outcomes as Outcome[];

  const step = batch.step(toApply);
  const r = await changing(moduleRun, () => moduleRun.transport.exec(step.script, { stdin: step.stdin, become: moduleRun.become, signal: moduleRun.signal, onOutput }));
  const applied = batch.applied(r, toApply);
  for (const n of toApply.slice(0, applied.count)) outcomes[n] = { ...planBase(batch.plans[n]!), status: 'changed' };
  if (applied.count >= toApply.length) return outcomes as Outcome[];
  // Items past the failed one were planned as if it had gone in: they are left to the caller.
  const stop = toApply[applied.count]!;
  outcomes[stop] = failed(applied.failed ?? `command failed with exit code ${r.code}`, { ...planBase(batch.plans[stop]!), stdout: r.stdout, stderr: r.stderr, rc: r.code });
  return outcomes.slice(0, stop + 1) as Outcome[];
}
