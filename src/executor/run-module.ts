// Runs one module invocation on one host. Check mode lives here, and only here: remote modules
// probe and plan, and this file alone decides whether the plan is applied.
import { fromHost } from '../core/host-data.js';
import type { ActionContext, ActionModule, ModuleContext, Plan, RemoteModule } from '../modules/types.js';
import type { BecomeOptions, ExecResult, Transport } from '../transport/types.js';
import type { Outcome } from './outcome.js';
import { failed, skipped } from './outcome.js';

export interface ModuleRun {
  transport: Transport;
  become?: BecomeOptions;
  check: boolean;
  /** Task names that changed or would change earlier on this host (for forecasts). */
  earlierChanges: readonly string[];
  signal?: AbortSignal;
  /** Told when an applied step prints output, so the live view can show the host is alive. */
  onOutput?: () => void;
}

function tail(text: string, lines = 20): string {
  const all = text.trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}

export async function runRemote(module: RemoteModule, args: unknown, mctx: ModuleContext, run: ModuleRun): Promise<Outcome> {
  const probe = module.probe(args, mctx);
  // Each command is a round trip; a module with nothing to read (a bare `command`) costs none before its step.
  const probed: ExecResult = probe.script === '' ? { stdout: '', stderr: '', code: 0 } : await run.transport.exec(probe.script, { stdin: probe.stdin, become: run.become, signal: run.signal });
  const plan: Plan = module.plan(args, probed, mctx);
  // Facts are what the host said: from here on they are data, never a template.
  const base = { data: plan.data ?? {}, facts: plan.facts && fromHost(plan.facts), changes: plan.changes, diffs: plan.diffs };

  if (plan.failure) {
    if (run.check && plan.failure.forecastable && run.earlierChanges.length > 0) {
      // The host is not ready yet because an earlier task would have changed it: that is a
      // forecast, not a failure ("a config in a directory a package would create").
      const after = run.earlierChanges.slice(-3).join("', '");
      return { ...base, status: 'changed', changes: [`would change once earlier changes are applied ('${after}'): ${plan.failure.msg}`] };
    }
    return failed(plan.failure.msg, base);
  }
  if (plan.changes.length === 0) return { ...base, status: 'ok' };
  if (run.check) {
    if (plan.runsArbitraryCommand) return { ...skipped('check mode: the command is not run (set check_mode: false on the task to run it)'), data: base.data };
    return { ...base, status: 'changed' };
  }

  const results: ExecResult[] = [];
  for (const step of plan.steps) {
    const r = await run.transport.exec(step.script, { stdin: step.stdin, become: run.become, signal: run.signal, onOutput: run.onOutput });
    results.push(r);
    if (!(step.okCodes ?? [0]).includes(r.code ?? -1)) {
      const after = plan.afterApply?.(results);
      const detail = tail(r.stderr) || tail(r.stdout);
      return failed(after?.failed ?? `command failed with exit code ${r.code}${detail ? `: ${detail}` : ''}`, {
        ...base,
        data: { ...base.data, ...(after?.data ?? {}) },
        stdout: r.stdout,
        stderr: r.stderr,
        rc: r.code,
      });
    }
  }
  const after = plan.afterApply?.(results);
  const data = { ...base.data, ...(after?.data ?? {}) };
  const last = results[results.length - 1];
  const io = plan.runsArbitraryCommand && last ? { stdout: last.stdout, stderr: last.stderr, rc: last.code } : {};
  if (after?.failed) return failed(after.failed, { ...base, data, ...io });
  return { ...base, data, status: 'changed', ...io, ...(after?.replaced?.length ? { replaced: after.replaced } : {}) };
}

export async function runAction(module: ActionModule, args: unknown, actx: ActionContext, check: boolean): Promise<Outcome> {
  if (check && module.checkMode === 'skip') return skipped(module.checkModeReason ?? `check mode: ${module.name} does not run in check mode`);
  const out = await module.run(args, actx);
  if (out.skipped) return { ...skipped(out.skipped), data: out.data ?? {} };
  const status = out.failed ? 'failed' : out.changed ? 'changed' : 'ok';
  return { status, msg: out.failed ?? out.msg, data: out.data ?? {}, hostFacts: out.facts && fromHost(out.facts), includedVars: out.vars, diffs: out.diffs };
}
