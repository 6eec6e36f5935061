// Reads a host for several tasks in one round trip: when a task must probe its host, the probes of
// the tasks after it that can already be known (their arguments render now, nothing registered in
// between feeds them) go along in the same command (probe-batch.ts), and their answers wait in the
// run's ProbeCache. What is read ahead is only a guess: a task uses an answer only if its own probe,
// rendered at its turn, is exactly the one that was sent, and nothing changed on any host since.
import { InterruptedError, UnreachableError } from '../core/errors.js';
import type { RemoteCommand } from '../modules/types.js';
import type { Block, Task, TaskNode } from '../playbook/types.js';
import { withReadOnlyLookups } from '../template/jinja/lookups.js';
import type { BecomeOptions, ExecResult, Transport } from '../transport/types.js';
import { taskEnvironment } from './environment.js';
import { moduleContext } from './module-context.js';
import { hidesOutput } from './no-log.js';
import type { PlayRun } from './play-run.js';
import { batchScript, splitBatch } from './probe-batch.js';
import type { ProbeCache } from './probe-cache.js';
import { enterBlock, type Scope } from './scope.js';
import { selectedByTags } from './tags.js';
import { argsObject, deepStrings, renderArgs } from './task-args.js';
import { moduleOf } from './task-module.js';

/** A task that runs after the current one, with the scope it will run in. */
export interface Upcoming {
  task: Task;
  scope: Scope;
}

/** The tasks after the current one, in run order, as far as the play's structure lets them be known. */
export type Ahead = () => Iterable<Upcoming>;

export const nothingAhead: Ahead = () => [];

/**
 * The tasks after `nodes[index]`, then `after`'s. A block's tasks are entered; the walk stops where
 * what runs next is not known yet: an include, a meta task (flush_handlers runs handlers), and the
 * end of a block with rescue or always (which of them runs depends on the block's results).
 */
export function aheadOf(nodes: readonly TaskNode[], index: number, scope: Scope, after: Ahead): Ahead {
  return function* () {
    const stopped = yield* walk(nodes.slice(index + 1), scope);
    if (!stopped) yield* after();
  };
}

/** Yields the tasks of `nodes`; returns true where the walk had to stop. */
function* walk(nodes: readonly TaskNode[], scope: Scope): Generator<Upcoming, boolean> {
  for (const node of nodes) {
    if (node.kind === 'block') {
      if (yield* walk(node.block, enterBlock(scope, node))) return true;
      if (hasHandlers(node)) return true;
      continue;
    }
    if (node.include || node.module === 'meta') return true;
    yield { task: node, scope };
  }
  return false;
}

function hasHandlers(block: Block): boolean {
  return block.rescue.length > 0 || block.always.length > 0;
}

/** The part of a probe's identity besides its script: who runs it, where, with what environment. */
export interface ProbeChannel {
  /** The machine the probe reads (the inventory name of the connection). */
  host: string;
  become?: BecomeOptions;
  env: Record<string, string>;
  /** The connection spec, serialised: a task's vars can point one host name elsewhere. */
  spec: string;
}

function channelKey(c: ProbeChannel): string {
  return JSON.stringify([c.become?.user ?? null, c.become?.password ?? null, c.env, c.spec]);
}

function probeKey(c: ProbeChannel, script: string): string {
  return `${channelKey(c)}\n${script}`;
}

/** Actions that leave the play's variables and the hosts as they were: read-ahead goes past them. */
const TRANSPARENT_ACTIONS = new Set(['debug', 'assert']);
/** A shell script on one command line must stay well below MAX_SCRIPT_BYTES with become and env around it. */
const MAX_BATCH_BYTES = 64 * 1024;

/** What a later task would probe on this host if it ran now: undefined when that cannot be known, 'stop' when no later task can be. */
function probeFor(run: PlayRun, host: string, u: Upcoming, channel: ProbeChannel, registered: ReadonlySet<string>): RemoteCommand | undefined | 'stop' {
  const { ctx } = run;
  const { task, scope } = u;
  if (!selectedByTags(task.tags, ctx.options.tags, ctx.options.skipTags)) return undefined;
  // Fed by a result registered after the current task: its arguments are not known yet.
  if (registered.size > 0 && mentions(task, scope, registered)) return 'stop';
  const module = moduleOf(ctx.modules, task);
  if (!module || task.library !== undefined) return 'stop';
  if (module.kind === 'action') return TRANSPARENT_ACTIONS.has(task.module) ? undefined : 'stop';
  if (module.probeAhead === false) return 'stop';
  // Run elsewhere, once, in the background, hidden, or once per item: read at their turn.
  if (task.delegateTo !== undefined || task.runOnce || task.async !== undefined || task.noLog || task.noLogTemplate !== undefined || task.loop !== undefined) return undefined;
  try {
    return withReadOnlyLookups(() => {
      const vars = run.varsFor(host, task, scope);
      for (const cond of [...scope.when, ...task.when]) if (!ctx.conditions.test(cond, vars, task.loc)) return undefined;
      if (hidesOutput(task, ctx.templating, vars)) return undefined;
      const become = ctx.resolver.become(vars, task.become ?? scope.become ?? run.play.become, run.becomeUserFor(task, scope, vars));
      const env = taskEnvironment(run, task, scope, vars);
      const spec = JSON.stringify(ctx.resolver.spec(host, vars, { remoteUser: run.play.remoteUser, connection: task.connection ?? run.play.connection }));
      if (channelKey({ host, become, env, spec }) !== channelKey(channel)) return undefined;
      const rendered = renderArgs(ctx.templating, task, vars, module.expressionArgs);
      if (deepStrings(rendered).some((s) => s.includes('\0'))) return undefined;
      const args = module.parse(argsObject(task, rendered, module.freeForm), task.loc);
      const check = task.checkMode ?? ctx.options.check;
      const probe = module.probe(args, moduleContext(run, task, host, vars, check));
      return probe.script === '' || probe.stdin !== undefined ? undefined : probe;
    });
  } catch {
    // Not renderable yet (a variable set later, a lookup that acts): the rest waits for its turn.
    return 'stop';
  }
}

/** Whether any of the task's templates names one of `names` (a word match: a guess that errs towards stopping). */
function mentions(task: Task, scope: Scope, names: ReadonlySet<string>): boolean {
  const text = JSON.stringify([task.args, task.when, task.loop, task.vars, task.environment, task.becomeUser, scope.when, scope.vars]);
  for (const n of names) if (new RegExp(`\\b${n.replace(/[^\w]/g, '\\$&')}\\b`).test(text)) return true;
  return false;
}

/** Up to `max` probes of later tasks that can go in the same command as the current one. */
function probesAhead(req: ProbeRequest, max: number, budget: number): Array<{ key: string; script: string }> {
  const { run, channel, cache } = req;
  const host = channel.host;
  const out: Array<{ key: string; script: string }> = [];
  const keys = new Set<string>();
  // What the current task registers may feed the next ones.
  const registered = new Set<string>(req.task.register ? [req.task.register] : []);
  for (const u of req.ahead()) {
    if (out.length >= max) break;
    const probe = probeFor(run, host, u, channel, registered);
    if (probe === 'stop') break;
    if (probe) {
      const key = probeKey(channel, probe.script);
      budget -= Buffer.byteLength(probe.script) + 128;
      if (budget < 0) break;
      if (!keys.has(key) && !cache.has(host, key)) {
        keys.add(key);
        out.push({ key, script: probe.script });
      }
    }
    if (u.task.register) registered.add(u.task.register);
  }
  return out;
}

export interface ProbeRequest {
  run: PlayRun;
  cache: ProbeCache;
  channel: ProbeChannel;
  transport: Transport;
  ahead: Ahead;
  /** The current task. */
  task: Task;
  /** false: the current task's probe is not one to batch (its module's probeAhead is false). */
  batchable: boolean;
  signal?: AbortSignal;
}

/** The current task's probe result: read ahead earlier, or sent now with the probes of the tasks after it. */
export async function readProbe(req: ProbeRequest, probe: RemoteCommand): Promise<ExecResult> {
  const { cache, channel, transport, signal } = req;
  const opts = { become: channel.become, signal };
  const alone = (): Promise<ExecResult> => {
    cache.sent();
    return transport.exec(probe.script, { ...opts, stdin: probe.stdin });
  };
  cache.answeredOne();
  if (probe.stdin !== undefined || !cache.readsAhead || !req.batchable) return alone();
  const key = probeKey(channel, probe.script);
  const ready = cache.take(channel.host, key);
  if (ready) return ready;
  const epoch = cache.now();
  const size = cache.batchSize(channel.host);
  const others = size > 1 ? probesAhead(req, size - 1, MAX_BATCH_BYTES - Buffer.byteLength(probe.script)) : [];
  if (others.length === 0) return alone();
  const batch = batchScript([probe.script, ...others.map((o) => o.script)]);
  cache.sent();
  cache.grow(channel.host);
  let result: ExecResult;
  try {
    result = await transport.exec(batch.script, opts);
  } catch (err) {
    if (err instanceof UnreachableError || err instanceof InterruptedError || signal?.aborted) throw err;
    // Whatever failed the batch (sudo refused, say) is the current task's to report, on its own probe.
    return alone();
  }
  const parts = splitBatch(result, batch, others.length + 1);
  cache.store(channel.host, others.flatMap((o, i) => (parts[i + 1] ? [{ key: o.key, result: parts[i + 1]! }] : [])), epoch);
  return parts[0] ?? alone();
}

/** Reads nothing ahead: the probe is sent on its own (a delegated task, --step, a test without a cache). */
export function probeAlone(transport: Transport, become: BecomeOptions | undefined, signal: AbortSignal | undefined, cache?: ProbeCache): (probe: RemoteCommand) => Promise<ExecResult> {
  return (probe) => {
    cache?.answeredOne();
    cache?.sent();
    return transport.exec(probe.script, { stdin: probe.stdin, become, signal });
  };
}

