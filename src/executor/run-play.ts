// One play: serial batches, the linear strategy (every host finishes a task before the next
// starts, bounded by --forks), blocks, handlers, and the max_fail_percentage abort.
import pLimit from 'p-limit';
import { InterruptedError } from '../core/errors.js';
import { fromHost } from '../core/host-data.js';
import { revealUnsafe } from '../core/unsafe.js';
import type { Block, Play, Task, TaskNode } from '../playbook/types.js';
import type { RunContext } from './context.js';
import type { HostResult } from './events.js';
import type { StopPoint } from './host-state.js';
import type { Outcome } from './outcome.js';
import { registered } from './outcome.js';
import { PlayRun } from './play-run.js';
import { runTaskOnHost } from './run-task.js';
import { chooseIncludes, type IncludeCache } from './dynamic-include.js';
import { guardDiffs } from './diff-privacy.js';
import { keepRestorePoints, settleHandler } from './handler-restore.js';
import { enterBlock, rootScope, type Scope } from './scope.js';
import { serialBatches } from './batches.js';
import { selectedByTags } from './tags.js';
import { beforeStartTask } from './start-at.js';
import { askVarsPrompt } from './vars-prompt.js';
import { aheadOf, nothingAhead, type Ahead } from './probe-ahead.js';
import { moduleOf } from './task-module.js';

/** Says whether the play stops now; `fatal`: hosts an any_errors_fatal task just failed on. */
type CheckAbort = (fatal?: string[]) => string | undefined;

export interface PlayResult {
  /** The play stopped: why, the hosts of its later batches (never run), and the hosts of the stopped batch it cut short. */
  aborted?: { reason: string; notRun: string[]; cut: string[] };
}

function taskTitle(task: Task): string {
  const name = task.name ?? `${task.module}${typeof task.args === 'string' ? ` ${task.args}` : ''}`;
  return task.role ? `${task.role.name} : ${name}` : name;
}

/** Output chunks can come by the hundred a second: one "alive" event a second per host is enough. */
function progressEmitter(ctx: RunContext, task: string, host: string): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    ctx.emit({ type: 'host_progress', task, host });
  };
}

export class PlayRunner {
  private readonly limit;
  /** Running the play's `checks:` (a failure there cannot be resumed with --start-at-task). */
  private inChecks = false;
  /** meta: end_play was reached: no later batch runs. */
  private playEnded = false;

  constructor(
    private readonly ctx: RunContext,
    private play: Play,
  ) {
    this.limit = pLimit(Math.max(1, ctx.options.forks));
  }

  async run(hosts: string[]): Promise<PlayResult> {
    const { ctx } = this;
    // vars_prompt: asked once, before the play starts; the answers are play variables.
    if (this.play.varsPrompt?.length) this.play = { ...this.play, vars: { ...this.play.vars, ...(await askVarsPrompt(ctx, this.play.varsPrompt)) } };
    const play = this.play;
    ctx.emit({ type: 'play_start', play: play.name, hosts, check: ctx.options.check });
    const batches = serialBatches(hosts, play.serial, play.loc);
    for (const [i, batch] of batches.entries()) {
      const live = batch.filter((h) => ctx.states.get(h)!.active);
      if (batches.length > 1) ctx.emit({ type: 'batch_start', play: play.name, hosts: live, batch: i + 1, batches: batches.length });
      const run = new PlayRun(ctx, play, live);
      const abort = (await this.runBatch(run)) ?? this.wholeBatchFailed(live, i, batches.length);
      // The run_playbook level emits the `aborted` event: it knows the later plays and the resume command.
      if (abort) return { aborted: { reason: abort, notRun: batches.slice(i + 1).flat(), cut: live.filter((h) => ctx.states.get(h)!.active) } };
      if (this.playEnded) break;
    }
    return {};
  }

  /** As Ansible does, a batch where every host failed stops the rollout even without max_fail_percentage. */
  private wholeBatchFailed(live: string[], index: number, count: number): string | undefined {
    if (index === count - 1 || live.length === 0 || live.some((h) => !this.ctx.states.get(h)!.stopped)) return undefined;
    return `every host of batch ${index + 1}/${count} failed (${live.join(', ')}): the rollout stops`;
  }

  /** Returns an abort reason when max_fail_percentage / any_errors_fatal stops the play. */
  private async runBatch(run: PlayRun): Promise<string | undefined> {
    const { play } = this;
    const failedBefore = new Set(run.batch.filter((h) => this.ctx.states.get(h)!.stopped));
    const checkAbort: CheckAbort = (fatal) => {
      // any_errors_fatal on the task or a block around it: the hosts that task failed on stop the play.
      if (fatal?.length) return `any_errors_fatal: ${fatal.join(', ')} failed`;
      const failedNow = run.batch.filter((h) => this.ctx.states.get(h)!.stopped && !failedBefore.has(h));
      if (failedNow.length === 0) return undefined;
      if (play.anyErrorsFatal) return `any_errors_fatal: ${failedNow.join(', ')} failed`;
      if (play.maxFailPercentage !== undefined) {
        const pct = (failedNow.length / run.batch.length) * 100;
        if (pct > play.maxFailPercentage) {
          return `max_fail_percentage ${play.maxFailPercentage}% exceeded: ${failedNow.length} of ${run.batch.length} hosts failed (${failedNow.join(', ')})`;
        }
      }
      return undefined;
    };

    if (play.gatherFacts) {
      const setup = this.factsTask();
      if (setup) {
        await this.runTask(run, setup, rootScope, false);
        run.refreshHostvars();
      }
    }
    const abort = (play.strategy === 'free' ? await this.runFree(run, checkAbort) : await this.runNodes(run, play.tasks, rootScope, checkAbort)) ?? checkAbort();
    if (abort) return abort;
    // --force-handlers: the end-of-play flush also serves hosts that failed (never unreachable ones).
    await this.flushHandlers(run, this.ctx.options.forceHandlers === true || play.forceHandlers === true);
    const afterHandlers = checkAbort();
    if (afterHandlers) return afterHandlers;
    if (play.checks?.length) {
      this.inChecks = true;
      try {
        return (await this.runNodes(run, play.checks, rootScope, checkAbort)) ?? checkAbort();
      } finally {
        this.inChecks = false;
      }
    }
    return undefined;
  }

  /**
   * strategy: free: each host runs through the tasks on its own, without waiting for the others at
   * each task (--forks still bounds how many run at once). A stop (any_errors_fatal, max_fail_percentage)
   * is seen by each host at its next task.
   */
  private async runFree(run: PlayRun, checkAbort: CheckAbort): Promise<string | undefined> {
    const reasons = await Promise.all(run.batch.map((host) => this.runNodes(new PlayRun(this.ctx, this.play, [host], run.batch), this.play.tasks, rootScope, checkAbort)));
    return reasons.find((r) => r !== undefined);
  }

  private factsTask(): Task | undefined {
    if (!this.ctx.modules('setup')) return undefined;
    return {
      kind: 'task', name: 'Gathering Facts', module: 'setup', args: {}, loc: this.play.loc, when: [], loopVar: 'item',
      notify: [], listen: [], ignoreErrors: false, tags: ['always'], noLog: false, runOnce: false, vars: {}, checkMode: false,
    };
  }

  /** `after`: the tasks that follow these nodes, for reading their hosts ahead (probe-ahead.ts). */
  private async runNodes(run: PlayRun, nodes: TaskNode[], scope: Scope, checkAbort: CheckAbort, after: Ahead = nothingAhead): Promise<string | undefined> {
    for (const [index, node] of nodes.entries()) {
      if (this.ctx.options.signal?.aborted) throw new InterruptedError('interrupted');
      if (node.kind === 'task' && beforeStartTask(this.ctx, this.ctx.options.startAtTask, node)) continue;
      if (node.kind === 'block') {
        const abort = await this.runBlock(run, node, scope, checkAbort, aheadOf(nodes, index, scope, after));
        if (abort) return abort;
      }
      else if (node.module === 'meta') await this.runMeta(run, node, scope);
      else if (selectedByTags(node.tags, this.ctx.options.tags, this.ctx.options.skipTags)) {
        if (this.ctx.options.step && !(await this.ctx.options.step(taskTitle(node)))) continue;
        if (node.include) {
          const abort = await this.runInclude(run, node, scope, checkAbort);
          if (abort) return abort;
        } else {
          const fatal = node.anyErrorsFatal ?? scope.anyErrorsFatal ?? false;
          const down = new Set(run.batch.filter((h) => !this.ctx.states.get(h)!.active));
          await this.runTask(run, node, scope, false, false, aheadOf(nodes, index, scope, after));
          if (fatal) {
            const failedHere = run.batch.filter((h) => !this.ctx.states.get(h)!.active && !down.has(h));
            const abort = failedHere.length ? checkAbort(failedHere) : undefined;
            if (abort) return abort;
          }
        }
      }
      const abort = checkAbort();
      if (abort) return abort;
      if (!run.batch.some((h) => this.ctx.states.get(h)!.active)) return undefined;
    }
    return undefined;
  }

  /** Returns an abort reason when a task of the block stopped the play (any_errors_fatal). */
  private async runBlock(run: PlayRun, block: Block, scope: Scope, checkAbort: CheckAbort, after: Ahead): Promise<string | undefined> {
    const inner = enterBlock(scope, block);
    const entered = run.batch.filter((h) => this.ctx.states.get(h)!.active);
    // A failure the rescue will handle does not count towards an abort yet (Ansible's rescue state).
    // What follows the block is known only when no rescue or always can come in between.
    const next = block.rescue.length || block.always.length ? nothingAhead : after;
    let abort = await this.runNodes(run, block.block, inner, block.rescue.length ? () => undefined : checkAbort, next);
    const failedHere = entered.filter((h) => this.ctx.states.get(h)!.failed);
    if (block.rescue.length && failedHere.length) {
      // Rescued hosts rejoin the play; the failure is counted as rescued, as in Ansible.
      for (const h of failedHere) {
        const st = this.ctx.states.get(h)!;
        st.failed = false;
        st.stoppedAt = undefined;
        st.counters.failed--;
        st.counters.rescued++;
        // What failed, for the rescue tasks, under Ansible's names.
        if (st.lastFailure) st.learnHostFacts(fromHost({ ansible_failed_task: st.lastFailure.task, ansible_failed_result: st.lastFailure.result }));
      }
      abort = (await this.runNodes(new PlayRun(this.ctx, this.play, failedHere), block.rescue, inner, checkAbort)) ?? abort;
    }
    if (block.always.length) {
      const stillUp = entered.filter((h) => !this.ctx.states.get(h)!.unreachable);
      const revive = stillUp.filter((h) => this.ctx.states.get(h)!.failed);
      revive.forEach((h) => (this.ctx.states.get(h)!.failed = false));
      abort = (await this.runNodes(new PlayRun(this.ctx, this.play, stillUp), block.always, inner, checkAbort)) ?? abort;
      revive.forEach((h) => (this.ctx.states.get(h)!.failed = true));
    }
    return abort;
  }

  /**
   * A dynamic include_tasks: each live host reports what it included (ok per file, skipped, or
   * failed on a file it could not read), then each chosen file and item runs, in the order first
   * chosen, on the hosts that chose it.
   */
  private async runInclude(run: PlayRun, task: Task, scope: Scope, checkAbort: CheckAbort): Promise<string | undefined> {
    const { ctx } = this;
    const live = run.batch.filter((h) => ctx.states.get(h)!.active);
    if (live.length === 0) return undefined;
    const title = taskTitle(task);
    ctx.emit({ type: 'task_start', play: this.play.name, task: title, loc: task.loc, handler: false, hosts: live });
    const cache: IncludeCache = new Map();
    const groups = new Map<string, { nodes: TaskNode[]; hosts: string[] }>();
    for (const host of live) {
      const started = Date.now();
      ctx.emit({ type: 'host_start', task: title, handler: false, host });
      const r = chooseIncludes(run, task, scope, host, cache);
      this.record(run, task, scope, host, r.items, r.combined, Date.now() - started, title, false);
      for (const c of r.chosen) {
        const g = groups.get(c.key) ?? { nodes: c.nodes, hosts: [] };
        g.hosts.push(host);
        groups.set(c.key, g);
      }
    }
    const abort = checkAbort();
    if (abort) return abort;
    for (const g of groups.values()) {
      const hosts = g.hosts.filter((h) => ctx.states.get(h)!.active);
      if (hosts.length === 0) continue;
      const inner = await this.runNodes(new PlayRun(ctx, this.play, hosts), g.nodes, scope, checkAbort);
      if (inner) return inner;
    }
    return undefined;
  }

  /**
   * meta: words to the play itself. As Ansible's linear strategy does, end_host, noop and
   * reset_connection apply per host (each host's `when`); the others act once for the batch,
   * with `when` evaluated on its first live host.
   */
  private async runMeta(run: PlayRun, task: Task, scope: Scope): Promise<void> {
    const { ctx } = this;
    const action = typeof task.args === 'string' ? task.args.trim() : String((task.args as Record<string, unknown>).action ?? '');
    if (action === 'flush_handlers') return this.flushHandlers(run);
    const live = run.batch.filter((h) => ctx.states.get(h)!.active);
    const holds = (host: string): boolean => {
      const conditions = [...scope.when, ...task.when];
      if (conditions.length === 0) return true;
      const vars = run.varsFor(host, task, scope);
      return conditions.every((c) => ctx.conditions.test(c, vars, task.loc));
    };
    if (action === 'end_host' || action === 'reset_connection') {
      for (const host of live.filter(holds)) {
        if (action === 'end_host') ctx.states.get(host)!.ended = true;
        else await ctx.connections.reset?.(host);
      }
      return;
    }
    if (live.length === 0 || !holds(live[0]!)) return;
    switch (action) {
      case 'end_play':
      case 'end_batch':
        // Every live host of the batch is done with the play, none failed; end_play also skips the later batches.
        for (const host of live) ctx.states.get(host)!.ended = true;
        if (action === 'end_play') this.playEnded = true;
        return;
      case 'clear_facts':
        for (const host of ctx.inventory.match(this.play.hosts)) ctx.states.get(host)?.clearFacts();
        run.refreshHostvars();
        return;
      case 'clear_host_errors':
        // Failed hosts of the batch rejoin for the later tasks; the recap still counts their failures.
        for (const host of run.batch) {
          const st = ctx.states.get(host)!;
          if (st.failed && !st.unreachable) {
            st.failed = false;
            st.stoppedAt = undefined;
          }
        }
        return;
      default:
        // noop and refresh_inventory (nothing to refresh: the inventory is read once); anything else was refused at load time.
        return;
    }
  }

  async flushHandlers(run: PlayRun, includeFailed = false): Promise<void> {
    // A `listen` topic wakes every handler listening to it, so topics are cleared only after the
    // last handler; a handler's own name is cleared as it runs (a later handler may notify it again).
    const topics = new Map<string, string[]>();
    for (const handler of this.play.handlers) {
      const names = [handler.name ?? '', ...handler.listen];
      const hosts = run.batch.filter((h) => {
        const st = this.ctx.states.get(h)!;
        return (st.active || (includeFailed && !st.unreachable)) && names.some((n) => st.notified.has(n));
      });
      if (hosts.length === 0) continue;
      for (const h of hosts) {
        this.ctx.states.get(h)!.notified.delete(handler.name ?? '');
        topics.set(h, [...(topics.get(h) ?? []), ...handler.listen]);
      }
      await this.runTask(new PlayRun(this.ctx, this.play, hosts), handler, rootScope, true, includeFailed);
    }
    for (const [h, listened] of topics) listened.forEach((n) => this.ctx.states.get(h)!.notified.delete(n));
  }

  /** The linear strategy: start the task on every live host of the batch, wait for all. */
  private async runTask(run: PlayRun, task: Task, scope: Scope, handler: boolean, includeFailed = false, ahead: Ahead = nothingAhead): Promise<void> {
    const { ctx } = this;
    const live = run.batch.filter((h) => ctx.states.get(h)!.active || (includeFailed && !ctx.states.get(h)!.unreachable));
    if (live.length === 0) return;
    const title = taskTitle(task);
    // pause and add_host run once for the batch, as Ansible's BYPASS_HOST_LOOP modules do.
    const module = moduleOf(ctx.modules, task);
    const once = task.runOnce || (module?.kind === 'action' && module.bypassHostLoop === true);
    const inventoryVersion = (ctx.inventory as { version?: number }).version;
    const targets = once ? live.slice(0, 1) : live;
    ctx.emit({ type: 'task_start', play: this.play.name, task: title, loc: task.loc, handler, hosts: targets });
    // throttle: at most N hosts at once for this task, inside the run-wide --forks bound.
    const throttle: <T>(fn: () => Promise<T>) => Promise<T> = task.throttle ? pLimit(task.throttle) : (fn) => fn();
    const outcomes = await Promise.all(
      targets.map((host) =>
        this.limit(() => throttle(async () => {
          const started = Date.now();
          ctx.emit({ type: 'host_start', task: title, handler, host });
          const ran = await runTaskOnHost(run, task, scope, host, { onOutput: progressEmitter(ctx, title, host), onRetry: (left) => ctx.emit({ type: 'host_retry', task: title, host, left }) }, ahead);
          // A failed handler puts back the files its notifying tasks replaced, then runs again.
          const r = handler ? await settleHandler(run, task, title, scope, host, ran) : ran;
          this.record(run, task, scope, host, r.items, r.combined, Date.now() - started, title, handler);
          return r.combined;
        })),
      ),
    );
    // add_host / group_by changed the groups: later tasks' hostvars and groups see it.
    if ((ctx.inventory as { version?: number }).version !== inventoryVersion) run.refreshHostvars();
    if (once && outcomes[0]) {
      // run_once: the one result stands for every host of the batch (register, facts, notify).
      for (const host of live.slice(1)) this.remember(task, host, outcomes[0]);
      if (outcomes[0].status === 'failed' && !(task.ignoreErrors || scope.ignoreErrors)) this.failAlong(task, title, handler, targets[0]!, live.slice(1));
    }
  }

  /** A failed run_once task fails every host it stood for, as in Ansible: each says so in its own result line. */
  private failAlong(task: Task, title: string, handler: boolean, ranOn: string, hosts: string[]): void {
    for (const host of hosts) {
      const st = this.ctx.states.get(host)!;
      this.ctx.emit({ type: 'host_result', task: title, handler, host, status: 'failed', msg: `the run_once task failed on ${ranOn}`, durationMs: 0 });
      st.counters.failed++;
      st.failed = true;
      st.stoppedAt = this.stopPoint(task, title, handler);
    }
  }

  private stopPoint(task: Task, title: string, handler: boolean): StopPoint {
    return { title, startable: !handler && !this.inChecks && task.name !== undefined };
  }

  private remember(task: Task, host: string, o: Outcome): void {
    const st = this.ctx.states.get(host)!;
    // Facts of a delegated task belong to the host it ran for, unless delegate_facts gives them to the delegate.
    const factsOwner = (task.delegateFacts && o.delegate && this.ctx.states.get(o.delegate)) || st;
    if (o.facts) factsOwner.learnFacts(o.facts);
    if (o.hostFacts) factsOwner.learnHostFacts(o.hostFacts);
    if (o.includedVars) factsOwner.learnIncludedVars(o.includedVars);
    if (task.noLog || o.hidden) {
      // Variables set by a no_log task are secret from here on: set_fact values, and what a
      // registered command printed (a password read from a file, say).
      for (const v of Object.values(revealUnsafe({ ...o.includedVars, ...o.hostFacts }))) this.ctx.secrets.add(typeof v === 'string' ? v : JSON.stringify(v));
      for (const k of ['stdout', 'content', 'value']) if (typeof o.data[k] === 'string' && o.data[k]) this.ctx.secrets.add(o.data[k]);
      if (o.stdout) this.ctx.secrets.add(o.stdout.trim());
    }
    // What came back from the host is data: a `{{` in its output is never rendered later (Ansible: unsafe).
    if (task.register) st.learnHostFacts(fromHost({ [task.register]: registered(o) }));
    if (o.status === 'changed') {
      // A would-be change is remembered on the machine it would change (the delegate's, when delegated).
      if (o.provides) ((o.delegate && this.ctx.states.get(o.delegate)) || st).forecasts.push({ task: task.name ?? task.module, provides: o.provides });
      for (const n of task.notify) st.notified.add(n);
    }
  }

  private record(run: PlayRun, task: Task, scope: Scope, host: string, items: Outcome[], combined: Outcome, durationMs: number, title: string, handler: boolean): void {
    const st = this.ctx.states.get(host)!;
    const ignore = task.ignoreErrors || scope.ignoreErrors;
    for (const o of items) if (task.noLog || o.hidden) Object.assign(o, { msg: 'the output has been hidden due to no_log: true', stdout: undefined, stderr: undefined, diffs: undefined });
    for (const o of items) if (o.diffs) o.diffs = guardDiffs(o.diffs, this.ctx.secrets);
    // An empty loop still says something per host, as Ansible's `skipping: [host]` does.
    for (const o of items.length ? items : [combined]) {
      const result: HostResult = {
        host, status: o.status, item: o.item, msg: o.msg, changes: o.changes, diffs: o.diffs,
        stdout: o.stdout, stderr: o.stderr, rc: o.rc, durationMs,
        ignored: o.status === 'failed' && ignore ? true : undefined,
        ...(o.delegate ? { delegate: o.delegate } : {}),
      };
      this.ctx.emit({ type: 'host_result', task: title, handler, ...result });
    }
    this.remember(task, host, combined);
    keepRestorePoints(st, task, title, combined);
    const c = st.counters;
    switch (combined.status) {
      case 'ok': c.ok++; break;
      case 'changed': c.ok++; c.changed++; break;
      case 'skipped': c.skipped++; break;
      case 'unreachable': c.unreachable++; st.unreachable = true; st.stoppedAt = this.stopPoint(task, title, handler); break;
      case 'failed':
        // An ignored failure that changed the host (a command that ran) is counted as changed too, as in Ansible.
        if (ignore) { c.ok++; c.ignored++; if (combined.alsoChanged) c.changed++; }
        else {
          c.failed++; st.failed = true; st.stoppedAt = this.stopPoint(task, title, handler);
          st.lastFailure = { task: { name: title, action: task.module }, result: fromHost(registered(combined)) };
        }
        break;
    }
    void run;
  }
}
