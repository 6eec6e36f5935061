// One task on one host: conditions, loop, argument rendering, retries, changed_when /
// failed_when, register and notify. Module execution itself is in run-module.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, InterruptedError, RunbookError, UnreachableError } from '../core/errors.js';
import type { Duplex } from 'node:stream';
import type { Vars } from '../core/types.js';
import type { BecomeOptions, ConnectionSpec, ExecResult, Transport } from '../transport/types.js';
import type { Module } from '../modules/types.js';
import { mergeHostData } from '../core/host-data.js';
import { protectData } from '../core/unsafe.js';
import type { Task } from '../playbook/types.js';
import { delegationFor } from './delegate.js';
import type { Forecast } from './forecast.js';
import { taskEnvironment } from './environment.js';
import { withEnvironment } from '../transport/environment.js';
import { takeHostLock } from './host-lock.js';
import { batchesLoop, runBatch, sameWay } from './loop-batch.js';
import { itemResultKeys, itemVars, loopItems } from './loop.js';
import { actionContext, moduleContext } from './module-context.js';
import type { Outcome } from './outcome.js';
import { failed, registered, skipped } from './outcome.js';
import { hidesOutput } from './no-log.js';
import type { PlayRun } from './play-run.js';
import { runAction, runRemote } from './run-module.js';
import { startRemoteJob, withDeadline } from './async-task.js';
import type { Scope } from './scope.js';
import { VarsFileError } from './vars-files.js';
import { argsObject, deepStrings, renderArgs } from './task-args.js';
import { nothingAhead, probeAlone, readProbe as readAhead, type Ahead } from './probe-ahead.js';
import type { RemoteCommand } from '../modules/types.js';
import { moduleOf } from './task-module.js';


/**
 * The values a no_log task was passed through variables: wherever the raw argument held a
 * template, its rendered value is secret. Literal words (`state: present`) are not, so they are
 * not masked all over the output.
 */
function templatedValues(raw: unknown, rendered: unknown, out: unknown[] = []): unknown[] {
  if (typeof raw === 'string') {
    if (raw.includes('{{')) out.push(rendered);
  } else if (Array.isArray(raw) && Array.isArray(rendered)) raw.forEach((r, i) => templatedValues(r, rendered[i], out));
  else if (raw && typeof raw === 'object' && rendered && typeof rendered === 'object') {
    for (const [k, r] of Object.entries(raw)) templatedValues(r, (rendered as Record<string, unknown>)[k], out);
  }
  return out;
}

/** One execution made ready: arguments parsed, the host connected and locked, how commands run there. */
export interface Prepared {
  module: Module;
  args: unknown;
  check: boolean;
  /** The pooled connection (what a loop batch compares), and the same with the task's environment. */
  connection: Transport;
  transport: Transport;
  env: Record<string, string>;
  become: BecomeOptions | undefined;
  forecasts: readonly Forecast[];
  spec: ConnectionSpec;
  delegation: ReturnType<typeof delegationFor>;
}

/** Renders and parses the arguments, connects and takes the host lock; an Outcome when the task fails before any command. */
export async function prepareRun(run: PlayRun, task: Task, scope: Scope, host: string, vars: Vars): Promise<Prepared | Outcome> {
  const { ctx } = run;
  const st = ctx.states.get(host)!;
  const module = moduleOf(ctx.modules, task);
  if (!module) return failed(`unknown module '${task.module}'`);
  const check = task.checkMode ?? ctx.options.check;
  const rendered = renderArgs(ctx.templating, task, vars, module.expressionArgs);
  if (hidesOutput(task, ctx.templating, vars)) deepStrings(templatedValues(task.args, rendered)).forEach((s) => ctx.secrets.add(s));
  if (module.noLogArgs && rendered !== null && typeof rendered === 'object' && !Array.isArray(rendered)) {
    for (const name of module.noLogArgs) deepStrings((rendered as Record<string, unknown>)[name]).forEach((s) => ctx.secrets.add(s));
  }
  // No path, argument or command line can hold a NUL byte, and a script carrying one breaks the SSH
  // channel (the host would look unreachable): it is this task's bad input, which ignore_errors can catch.
  if (deepStrings(rendered).some((s) => s.includes('\0'))) return failed('an argument holds a NUL byte (\\0), which no path, argument or command can contain: remove it');
  const args = module.parse(argsObject(task, rendered, module.freeForm), task.loc);
  // Rendered before connecting: a bad environment fails the task without touching the host.
  const env = taskEnvironment(run, task, scope, vars);

  // delegate_to: the delegate's connection and sudo settings; the module still sees this host's vars.
  const delegation = delegationFor(run, task, scope, host, vars);
  const target = delegation?.host ?? host;
  const connectionVars = delegation?.connectionVars ?? vars;
  const become = ctx.resolver.become(connectionVars, task.become ?? scope.become ?? run.play.become, run.becomeUserFor(task, scope, vars), run.becomeHowFor(task, scope));
  // Queued behind --forks when Ctrl-C came: do not connect anywhere new.
  if (ctx.options.signal?.aborted) throw new InterruptedError('interrupted');
  const spec = ctx.resolver.spec(target, connectionVars, { remoteUser: run.play.remoteUser, connection: task.connection ?? run.play.connection });
  const waits = module.kind === 'action' && module.waitsForConnection === true;
  // wait_for_connection: a host that does not answer yet is what the module waits for, not unreachable.
  const connection = waits ? await ctx.connections.get(target, spec).catch((err: unknown) => notConnected(target, err)) : await ctx.connections.get(target, spec);
  // Check-mode forecasts are about the machine the task runs on: the delegate's, when delegated.
  const forecasts = (ctx.states.get(target) ?? st).forecasts;
  // The first task on a host takes its run lock; the controller itself (connection: local) is not locked.
  if (spec.connection !== 'local' && !(connection instanceof NotConnected)) await takeHostLock(connection, ctx.options.hostLock ?? 'off', become, ctx.options.signal);
  return { module, args, check, connection, transport: withEnvironment(connection, env), env, become, forecasts, spec, delegation };
}

async function runOnce(run: PlayRun, task: Task, scope: Scope, host: string, vars: Vars, hooks: TaskHooks = {}, ahead: Ahead = nothingAhead): Promise<Outcome> {
  const { ctx } = run;
  const prepared = await prepareRun(run, task, scope, host, vars);
  if (!('module' in prepared)) return prepared;
  const { module, args, check, transport, env, become, forecasts, spec, delegation } = prepared;
  const target = delegation?.host ?? host;
  const connections = ctx.connections;
  const reconnect = connections.reconnect
    ? async (opts: { connectTimeoutMs?: number } = {}) => withEnvironment(await connections.reconnect!(target, { ...spec, ...(opts.connectTimeoutMs ? { connectTimeoutMs: opts.connectTimeoutMs } : {}) }), env)
    : undefined;
  const probes = ctx.probes;
  // Probes of the following tasks go along with this one's when it reads this host itself (not a delegate) and --step cannot pass over them.
  const readProbe =
    probes && !delegation && !ctx.options.step && module.kind === 'remote'
      ? (probe: RemoteCommand) => readAhead({ run, cache: probes, channel: { host: target, become, env, spec: JSON.stringify(spec) }, transport, ahead, task, batchable: module.probeAhead !== false, signal: ctx.options.signal }, probe)
      : probeAlone(transport, become, ctx.options.signal, probes);
  const changing = probes ? () => probes.hostsMayHaveChanged() : undefined;
  const attempts = task.until ? (task.retries ?? 3) + 1 : 1;
  let outcome: Outcome = skipped('not run');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const once = (signal: AbortSignal | undefined): Promise<Outcome> => {
      if (module.kind === 'action') {
        const act = () => runAction(module, args, { ...actionContext(run, task, host, vars, check, transport, { become, connection: spec, ...(reconnect ? { reconnect } : {}) }), signal }, check);
        // An action may change a host in ways no probe shows (a reboot, a sync): later probes are read again.
        if (module.touchesNoHost || (check && module.checkMode === 'skip')) return act();
        return changingWhile(changing, act);
      }
      const moduleRun = { transport, become, check, forecasts, signal, onOutput: hooks.onOutput, readProbe, ...(changing ? { changing } : {}) };
      const mctx = moduleContext(run, task, host, vars, check);
      // async + poll: 0 starts the steps as a detached job on the host (async_status reads it).
      if (task.async !== undefined && task.poll === 0) {
        probes?.stopReadingAhead();
        return startRemoteJob(module, args, mctx, moduleRun, task.async);
      }
      return runRemote(module, args, mctx, moduleRun);
    };
    // async with poll > 0 (Ansible's default poll is 15): the foreground run, stopped at the deadline.
    outcome = task.async !== undefined && task.poll !== 0 ? await withDeadline(task.async, ctx.options.signal, once) : await once(ctx.options.signal);
    if (!task.until || outcome.status === 'skipped') break;
    // Ansible's registered result counts the attempts; until sees it too (until: r.attempts > 2).
    outcome = { ...outcome, data: { ...outcome.data, attempts: attempt } };
    const withResult = { ...vars, ...(task.register ? { [task.register]: registered(outcome) } : {}), ...registered(outcome) };
    if (ctx.conditions.test(task.until, withResult, task.loc)) break;
    if (attempt < attempts) {
      hooks.onRetry?.(attempts - attempt);
      await sleep((task.delay ?? 5) * 1000, undefined, { signal: ctx.options.signal });
    } else {
      // The last attempt's result, failed (a command that ran still changed the host, as in Ansible).
      const msg = `'until' condition never held after ${attempts} attempts: ${task.until}`;
      outcome = { ...outcome, status: 'failed', msg, alsoChanged: outcome.status === 'changed' || outcome.alsoChanged };
    }
  }
  if (delegation) outcome = { ...outcome, delegate: delegation.host };
  return applyOverrides(run, task, vars, outcome);
}

async function changingWhile<T>(changing: (() => void) | undefined, fn: () => Promise<T>): Promise<T> {
  changing?.();
  try {
    return await fn();
  } finally {
    changing?.();
  }
}

/** changed_when / failed_when see the result under the register name, as in Ansible. */
export function applyOverrides(run: PlayRun, task: Task, vars: Vars, outcome: Outcome): Outcome {
  if (outcome.status === 'skipped' || outcome.status === 'unreachable') return outcome;
  if (!task.changedWhen && !task.failedWhen) return outcome;
  const result = registered(outcome);
  const v = { ...vars, ...(task.register ? { [task.register]: result } : {}), ...result };
  const { conditions } = run.ctx;
  let status = outcome.status;
  let alsoChanged = outcome.alsoChanged;
  if (task.changedWhen) {
    const changed = task.changedWhen.every((c) => conditions.test(c, v, task.loc));
    if (status === 'failed') alsoChanged = changed;
    else status = changed ? 'changed' : 'ok';
  }
  if (task.failedWhen) {
    // A list means all of them, as for `when` in Ansible.
    const isFailed = task.failedWhen.every((c) => conditions.test(c, v, task.loc));
    if (isFailed) return { ...outcome, status: 'failed', alsoChanged: status === 'changed' || alsoChanged, msg: outcome.msg ?? `failed_when held: ${task.failedWhen.join(' and ')}` };
    if (status === 'failed') status = alsoChanged ? 'changed' : 'ok';
  }
  return { ...outcome, status, alsoChanged };
}

async function guarded(fn: () => Promise<Outcome>, signal?: AbortSignal): Promise<Outcome> {
  try {
    return await fn();
  } catch (err) {
    // A task cut by Ctrl-C did not fail: the interrupt ends the run, and the recap says so (exit 130).
    if (signal?.aborted || err instanceof InterruptedError) throw err instanceof InterruptedError ? err : new InterruptedError('interrupted');
    if (err instanceof UnreachableError) return { status: 'unreachable', msg: err.describe(), data: {} };
    return failed(describeError(err));
  }
}

function label(task: Task, vars: Vars, item: unknown, run: PlayRun): string {
  if (task.loopLabel) return String(run.ctx.templating.render(task.loopLabel, vars, task.loc));
  return typeof item === 'string' || typeof item === 'number' ? String(item) : JSON.stringify(item);
}

/** What the caller wants to hear while the task runs on the host. */
export interface TaskHooks {
  /** The host's command printed output (called for every chunk: throttle in the callee). */
  onOutput?: () => void;
  /** An `until` attempt did not hold; `left` more attempts will be made (Ansible's FAILED - RETRYING line). */
  onRetry?: (left: number) => void;
}

/** Runs `task` on `host`; returns one outcome per loop item (or one) and the combined outcome. */
export async function runTaskOnHost(run: PlayRun, task: Task, scope: Scope, host: string, hooks: TaskHooks = {}, ahead: Ahead = nothingAhead): Promise<{ items: Outcome[]; combined: Outcome }> {
  let base: Vars;
  try {
    base = run.varsFor(host, task, scope);
  } catch (err) {
    // A vars_files entry this host cannot read fails the host here, at its first task after it changed.
    if (!(err instanceof VarsFileError)) throw err;
    const combined = failed(err.describe());
    return { items: [combined], combined };
  }
  const conditionsHold = (vars: Vars): Outcome | undefined => {
    for (const cond of [...scope.when, ...task.when]) {
      if (!run.ctx.conditions.test(cond, vars, task.loc)) return skipped(`conditional result was False: ${cond}`);
    }
    return undefined;
  };

  // A templated no_log is decided once per host, before anything runs, so even a failure is hidden.
  const hidden = task.noLogTemplate !== undefined && hidesOutput(task, run.ctx.templating, base);
  const hide = (r: { items: Outcome[]; combined: Outcome }) => {
    if (hidden) for (const o of [...r.items, r.combined]) o.hidden = true;
    return r;
  };
  if (task.loop === undefined) {
    const combined = await guarded(async () => conditionsHold(base) ?? runOnce(run, task, scope, host, base, hooks, ahead), run.ctx.options.signal);
    return hide({ items: [combined], combined });
  }

  let list: unknown[];
  try {
    list = loopItems(task, run.ctx.templating.render(task.loop, base, task.loc), { roleDir: task.role?.dir, playbookDir: run.ctx.playbook.dir });
  } catch (err) {
    const o = failed(describeError(err));
    return hide({ items: [o], combined: o });
  }
  const items: Outcome[] = [];
  const keep = (o: Outcome, index: number, vars: Vars) => {
    o.item = label(task, vars, list[index], run);
    o.loopKeys = itemResultKeys(task, list[index], index, list);
    items.push(o);
  };
  // Items a loop batch settled; the rest (after a failed item, or all when the items differ) go one by one.
  const batched = list.length > 1 && batchesLoop(task, moduleOf(run.ctx.modules, task)) ? await batchedLoop(run, task, scope, host, list, conditionsHold, hooks, keep) : 0;
  for (const [index, item] of list.entries()) {
    if (index < batched || items.at(-1)?.status === 'unreachable') continue;
    // loop_control.pause: between items, not before the first (as Ansible waits).
    if (index > 0 && task.loopPause) await sleep(task.loopPause * 1000, undefined, { signal: run.ctx.options.signal });
    const vars = run.varsFor(host, task, scope, itemVars(task, item, index, list));
    keep(await guarded(async () => conditionsHold(vars) ?? runOnce(run, task, scope, host, vars, hooks, ahead), run.ctx.options.signal), index, vars);
  }
  return hide({ items, combined: combine(items) });
}

/**
 * A loop whose module applies many items in one remote call (loop-batch.ts): every item is prepared
 * (skipped by `when`, or failed before any command, as one by one), the rest go in one batch. Returns
 * how many leading items it settled (passed to keep in order); 0 when the items cannot share a call.
 */
async function batchedLoop(
  run: PlayRun, task: Task, scope: Scope, host: string, list: unknown[],
  conditionsHold: (vars: Vars) => Outcome | undefined, hooks: TaskHooks, keep: (o: Outcome, index: number, vars: Vars) => void,
): Promise<number> {
  const signal = run.ctx.options.signal;
  const ready: Array<{ vars: Vars; outcome?: Outcome; prepared?: Prepared }> = [];
  for (const [index, item] of list.entries()) {
    const vars = run.varsFor(host, task, scope, itemVars(task, item, index, list));
    let prepared: Prepared | undefined;
    const outcome = await guarded(async () => {
      const p = conditionsHold(vars) ?? (await prepareRun(run, task, scope, host, vars));
      if ('status' in p) return p;
      prepared = p;
      return skipped('prepared');
    }, signal);
    // An unreachable host ends the loop where it is met: the one-by-one path does that.
    if (outcome.status === 'unreachable') return 0;
    ready.push(prepared ? { vars, prepared } : { vars, outcome });
  }
  const pending = ready.flatMap((r, index) => (r.prepared ? [{ index, vars: r.vars, prepared: r.prepared }] : []));
  if (pending.length === 0 || !sameWay(pending)) return 0;
  let done: Outcome[];
  try {
    done = await runBatch(run, task, host, pending, hooks.onOutput);
  } catch (err) {
    // As when that item's own command failed: it gets the error, the items after it go one by one.
    done = [await guarded(() => Promise.reject(err), signal)];
  }
  // done[k] is pending[k]'s outcome; the batch may stop early, after a failed item.
  const settledUpTo = done.length < pending.length ? pending[done.length]!.index : list.length;
  for (let index = 0; index < settledUpTo; index++) {
    const r = ready[index]!;
    const k = pending.findIndex((p) => p.index === index);
    keep(r.outcome ?? applyOverrides(run, task, r.vars, done[k]!), index, r.vars);
    if (r.outcome === undefined && done[k]!.status === 'unreachable') break;
  }
  return settledUpTo;
}

function combine(items: Outcome[]): Outcome {
  const results = items.map((o) => ({ ...registered(o), ...o.loopKeys }));
  const worst = items.find((o) => o.status === 'unreachable') ?? items.find((o) => o.status === 'failed');
  const anyChanged = items.some((o) => o.status === 'changed');
  const allSkipped = items.length === 0 || items.every((o) => o.status === 'skipped');
  const status = worst?.status ?? (anyChanged ? 'changed' : allSkipped ? 'skipped' : 'ok');
  return {
    status,
    alsoChanged: anyChanged || items.some((o) => o.alsoChanged),
    msg: worst?.msg ?? (items.length === 0 ? 'no items in loop' : undefined),
    data: { results },
    hostFacts: mergeHostData(...items.map((o) => o.hostFacts)),
    facts: mergeHostData(...items.map((o) => o.facts)),
    includedVars: Object.assign({}, ...items.map((o) => o.includedVars ?? {})),
    replaced: items.flatMap((o) => o.replaced ?? []),
    ...(items.some((o) => o.provides) ? { provides: items.flatMap((o) => o.provides ?? []) } : {}),
  };
}

/** The transport a waiting module gets for a host that could not be reached: every use fails with why. */
class NotConnected implements Transport {
  constructor(
    readonly host: string,
    private readonly why: unknown,
  ) {}
  exec(): Promise<ExecResult> {
    return Promise.reject(this.why);
  }
  forward(): Promise<Duplex> {
    return Promise.reject(this.why);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function notConnected(host: string, why: unknown): Transport {
  return new NotConnected(host, why);
}
