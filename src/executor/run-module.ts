// Runs one module invocation on one host. Check mode lives here, and only here: remote modules
// probe and plan, and this file alone decides whether the plan is applied.
import { fromHost } from '../core/host-data.js';
import type { ActionContext, ActionModule, ModuleContext, Plan, RemoteCommand, RemoteModule, Step } from '../modules/types.js';
import type { BecomeOptions, ExecResult, Transport } from '../transport/types.js';
import { explainedBy, type Forecast } from './forecast.js';
import { BecomeFailure } from '../transport/become.js';
import type { Outcome } from './outcome.js';
import { failed, skipped } from './outcome.js';

export interface ModuleRun {
  transport: Transport;
  become?: BecomeOptions;
  check: boolean;
  /** In check mode: what earlier would-be changes on this host would have created. */
  forecasts: readonly Forecast[];
  signal?: AbortSignal;
  /** Told when an applied step prints output, so the live view can show the host is alive. */
  onOutput?: () => void;
  /** Reads the host for the probe (probe-ahead.ts may have read it already); absent: sent on its own. */
  readProbe?: (probe: RemoteCommand) => Promise<ExecResult>;
  /** Told before and after commands that may change the host: probes read ahead are stale from then on. */
  changing?: () => void;
}

/**
 * Runs `fn`, which may change the host, telling run.changing before and after: a probe read ahead
 * while the change was under way (on another host's connection too) must not be used either.
 */
export async function changing<T>(run: Pick<ModuleRun, 'changing'>, fn: () => Promise<T>): Promise<T> {
  run.changing?.();
  try {
    return await fn();
  } finally {
    run.changing?.();
  }
}

/** Runs the steps in order; returns the result of the first that failed (all results go in `results`). */
async function runSteps(steps: readonly Step[], run: ModuleRun, live: boolean, results: ExecResult[] = []): Promise<ExecResult | undefined> {
  for (const step of steps) {
    const r = await run.transport.exec(step.script, { stdin: step.stdin, become: run.become, signal: run.signal, ...(live ? { onOutput: run.onOutput } : {}) });
    results.push(r);
    if (!(step.okCodes ?? [0]).includes(r.code ?? -1)) return r;
  }
  return undefined;
}

function tail(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

/** Sends the module's probe; an Outcome instead when check mode explains why it could not run (a become user not created yet). */
export async function probeHost(module: RemoteModule, args: unknown, mctx: ModuleContext, run: ModuleRun): Promise<ExecResult | Outcome> {
  const probe = module.probe(args, mctx);
  // Each command is a round trip; a module with nothing to read (a bare `command`) costs none before its step.
  try {
    if (probe.script === '') return { stdout: '', stderr: '', code: 0 };
    return run.readProbe ? await run.readProbe(probe) : await run.transport.exec(probe.script, { stdin: probe.stdin, become: run.become, signal: run.signal });
  } catch (err) {
    // --check: the become user does not exist yet because an earlier task would create it.
    const by = run.check && err instanceof BecomeFailure && err.missingUser !== undefined ? explainedBy([{ kind: 'user', name: err.missingUser }], run.forecasts) : undefined;
    if (!by) throw err;
    return { status: 'changed', data: {}, changes: [`would run as ${(err as BecomeFailure).missingUser} once earlier changes are applied ('${by.map((f) => f.task).join("', '")}')`] };
  }
}

/** What the outcome carries from the plan alone. Facts are what the host said: from here on they are data, never a template. */
export function planBase(plan: Plan): Pick<Outcome, 'data' | 'facts' | 'changes' | 'diffs'> {
  return { data: plan.data ?? {}, facts: plan.facts && fromHost(plan.facts), changes: plan.changes, diffs: plan.diffs };
}

/** A plan that cannot be reached: failed, or in check mode a would-be change when earlier forecasts explain what it needs. */
function planFailed(plan: Plan & { failure: NonNullable<Plan['failure']> }, run: Pick<ModuleRun, 'check' | 'forecasts'>): Outcome {
  const base = planBase(plan);
  const by = run.check ? explainedBy(plan.failure.needs, run.forecasts) : undefined;
  if (!by) return failed(plan.failure.msg, base);
  // The host is not ready yet only because an earlier task would have created what this
  // one needs (the directory a package ships, the user it adds): a forecast, not a failure.
  const after = `once earlier changes are applied ('${by.map((f) => f.task).join("', '")}')`;
  if (plan.runsArbitraryCommand) return commandNotRun(base.data, `check mode: the command would run ${after}; it is not run in check mode`, false);
  return { ...base, provides: plan.provides ?? [], status: 'changed', changes: [`would change ${after}: ${plan.failure.msg}`] };
}

/**
 * What a plan comes to without running its steps: failed, ok (nothing to change) or, in check
 * mode, the would-be change; undefined when its steps must run. Side steps are the caller's.
 */
export function settleWithoutSteps(plan: Plan, run: Pick<ModuleRun, 'check' | 'forecasts'>): Outcome | undefined {
  if (plan.failure) return planFailed(plan as Plan & { failure: NonNullable<Plan['failure']> }, run);
  const base = planBase(plan);
  if (plan.changes.length === 0) return { ...base, status: 'ok' };
  if (!run.check) return undefined;
  // What this would-be change creates, for later tasks' forecasts (check mode only: a real run reads the host).
  const forecast = { provides: plan.provides ?? [] };
  if (plan.runsArbitraryCommand) {
    // creates/removes were checked, so it is known that the command would run: changed, as in Ansible.
    if (plan.runDecided) return { ...commandNotRun(base.data, 'check mode: the command would run; it is not run in check mode', true), ...forecast, changes: plan.changes };
    return commandNotRun(base.data, 'check mode: the command is not run (set check_mode: false on the task to run it)', false);
  }
  return { ...base, ...forecast, status: 'changed' };
}

export async function runRemote(module: RemoteModule, args: unknown, mctx: ModuleContext, run: ModuleRun): Promise<Outcome> {
  const probed = await probeHost(module, args, mctx, run);
  if ('status' in probed) return probed;
  const plan: Plan = module.plan(args, probed, mctx);
  const base = planBase(plan);
  if (plan.failure) return settleWithoutSteps(plan, run)!;
  if (!run.check && plan.sideSteps?.length) {
    const r = await changing(run, () => runSteps(plan.sideSteps!, run, false));
    if (r) {
      const detail = tail(r.stderr) || tail(r.stdout);
      return failed(`command failed with exit code ${r.code}${detail ? `: ${detail}` : ''}`, { ...base, stdout: r.stdout, stderr: r.stderr, rc: r.code });
    }
  }
  const settled = settleWithoutSteps(plan, run);
  if (settled) return settled;

  const results: ExecResult[] = [];
  const stopped = plan.steps.length ? await changing(run, () => runSteps(plan.steps, run, true, results)) : undefined;
  if (stopped) {
    const after = plan.afterApply?.(results);
    const detail = tail(stopped.stderr) || tail(stopped.stdout);
    return failed(after?.failed ?? `command failed with exit code ${stopped.code}${detail ? `: ${detail}` : ''}`, {
      ...base,
      alsoChanged: plan.runsArbitraryCommand,
      data: { ...base.data, ...(after?.data ?? {}) },
      stdout: stopped.stdout,
      stderr: stopped.stderr,
      rc: stopped.code,
    });
  }
  const after = plan.afterApply?.(results);
  const data = { ...base.data, ...(after?.data ?? {}) };
  const last = results[results.length - 1];
  const io = plan.runsArbitraryCommand && last ? { stdout: last.stdout, stderr: last.stderr, rc: last.code } : {};
  // A command that ran changed the host as far as anyone can tell, even when it then failed.
  if (after?.failed) return failed(after.failed, { ...base, data, ...io, alsoChanged: plan.runsArbitraryCommand });
  if (after?.unchanged) return { ...base, changes: [], diffs: undefined, data, status: 'ok' };
  return { ...base, data, status: 'changed', ...io, ...(after?.replaced?.length ? { replaced: after.replaced } : {}) };
}

/**
 * A command check mode does not run registers what Ansible registers for it (rc 0, empty
 * output), so a later `{{ r.stdout }}` renders as it would after a command that printed nothing.
 */
function commandNotRun(data: Outcome['data'], msg: string, changed: boolean): Outcome {
  const io = { rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] };
  return changed ? { status: 'changed', msg, data: { ...data, ...io, msg } } : { ...skipped(msg), data: { ...data, ...io } };
}

export async function runAction(module: ActionModule, args: unknown, actx: ActionContext, check: boolean): Promise<Outcome> {
  if (check && module.checkMode === 'skip') return skipped(module.checkModeReason ?? `check mode: ${module.name} does not run in check mode`);
  const out = await module.run(args, actx);
  if (out.skipped) return { ...skipped(out.skipped), data: out.data ?? {} };
  const status = out.failed ? 'failed' : out.changed ? 'changed' : 'ok';
  return { status, msg: out.failed ?? out.msg, data: out.data ?? {}, hostFacts: out.facts && fromHost(out.facts), includedVars: out.vars, diffs: out.diffs };
}
