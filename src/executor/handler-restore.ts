// A handler that fails after a change (a service that will not restart on its new config) must not
// leave the host down: the files the notifying tasks replaced are put back, the handler runs again,
// and the host is still reported failed, saying what was restored and whether the handler now works.
import { describeError } from '../core/errors.js';
import { discardStep, readRestore, restoreStep } from '../modules/lib/restore-files.js';
import type { ReplacedFile } from '../modules/types.js';
import type { Task } from '../playbook/types.js';
import type { HostState } from './host-state.js';
import type { Outcome } from './outcome.js';
import type { PlayRun } from './play-run.js';
import { runTaskOnHost } from './run-task.js';
import type { Scope } from './scope.js';

/** A file replaced by a task that notified a handler, waiting for that handler to run. */
export interface RestorePoint extends ReplacedFile {
  /** The task that replaced it, as the output titles it. */
  task: string;
}

type TaskRun = { items: Outcome[]; combined: Outcome };

/** Remembers what a changed task replaced under each name it notifies. */
export function keepRestorePoints(st: HostState, task: Pick<Task, 'notify'>, title: string, o: Outcome): void {
  if (o.status !== 'changed' || !o.replaced?.length) return;
  for (const name of task.notify) {
    const list = st.restorePoints.get(name) ?? [];
    list.push(...o.replaced.map((r) => ({ ...r, task: title })));
    st.restorePoints.set(name, list);
  }
}

/** Takes the points filed under the handler's names; the earliest per path is the state before the changes. */
function takePoints(st: HostState, handler: Task): { first: RestorePoint[]; later: RestorePoint[] } {
  const first = new Map<string, RestorePoint>();
  const later: RestorePoint[] = [];
  for (const name of [handler.name ?? '', ...handler.listen]) {
    for (const p of st.restorePoints.get(name) ?? []) {
      const seen = first.get(p.path);
      if (!seen) first.set(p.path, p);
      else if (p.previous !== seen.previous) later.push(p);
    }
    st.restorePoints.delete(name);
  }
  return { first: [...first.values()], later };
}

/** Kept copies still filed under another handler's name (one task may notify several). */
function stillNeeded(st: HostState): Set<string> {
  return new Set([...st.restorePoints.values()].flat().flatMap((p) => (p.previous ? [p.previous] : [])));
}


/** The failure's message, with the end of stderr when the message does not carry it (command, shell). */
function failureText(o: Outcome): string {
  const msg = o.msg ?? o.status;
  const err = o.stderr?.trim().split('\n').slice(-5).join('\n');
  return err && !msg.includes(err) ? `${msg}: ${err}` : msg;
}

function describeFile(p: RestorePoint): string {
  return p.previous === null ? `${p.path} (created by '${p.task}', removed again)` : `${p.path} (changed by '${p.task}')`;
}

/**
 * Runs after a handler ran on one host. Failed: restore, run again, report. Otherwise the kept
 * copies are no longer needed and are removed. Unreachable: nothing can be done; the copies stay.
 */
export async function settleHandler(run: PlayRun, handler: Task, title: string, scope: Scope, host: string, result: TaskRun): Promise<TaskRun> {
  const { ctx } = run;
  const st = ctx.states.get(host)!;
  const { first, later } = takePoints(st, handler);
  if (first.length === 0 || result.combined.status === 'unreachable') return result;

  const vars = run.varsFor(host, handler, scope);
  const become = ctx.resolver.become(vars, handler.become ?? scope.become ?? run.play.become, run.becomeUserFor(handler, scope, vars), run.becomeHowFor(handler, scope));
  const exec = async (script: string) => (await ctx.connections.get(host, ctx.resolver.spec(host, vars, { remoteUser: run.play.remoteUser, connection: run.play.connection }))).exec(script, { become, signal: ctx.options.signal });
  const needed = stillNeeded(st);
  const discard = async (points: RestorePoint[]): Promise<void> => {
    const copies = points.flatMap((p) => (p.previous && !needed.has(p.previous) ? [p.previous] : []));
    // Best effort: a copy left behind costs disk space, not correctness.
    if (copies.length) await exec(discardStep(copies).script).catch(() => undefined);
  };

  if (result.combined.status !== 'failed') {
    await discard([...first, ...later]);
    return result;
  }

  const firstFailure = failureText(result.combined);
  let restoredText: string;
  let notRestored = '';
  try {
    const step = restoreStep(first);
    const r = readRestore(first, await exec(step.script));
    restoredText = r.restored.length ? r.restored.map((f) => describeFile(f as RestorePoint)).join(', ') : 'nothing';
    if (r.notRestored.length) notRestored = `; could not restore ${r.notRestored.map((f) => f.path).join(', ')}: ${r.detail ?? ''}`;
    await discard(later);
  } catch (err) {
    const msg = `'${title}' failed after a change, and restoring ${first.map((p) => p.path).join(', ')} failed too: ${describeError(err)}\nthe first failure: ${firstFailure}`;
    return fail(result, msg, []);
  }

  const again = await runTaskOnHost(run, handler, scope, host);
  const restored = first.map((p) => p.path);
  const verdict = again.combined.status === 'failed' || again.combined.status === 'unreachable'
    ? `then ran it again, and it failed again: ${failureText(again.combined)}`
    : `then ran it again, and it succeeded: the service is back on its old config. Fix the change and run again`;
  const msg = `'${title}' failed after a change, so runbook restored what the tasks notifying it changed: ${restoredText}${notRestored}; ${verdict}.\nthe first failure: ${firstFailure}`;
  return fail(result, msg, restored);
}

function fail(result: TaskRun, msg: string, restored: string[]): TaskRun {
  const combined: Outcome = {
    ...result.combined,
    status: 'failed',
    msg,
    data: { ...result.combined.data, restored },
    changes: restored.map((p) => `restored ${p}`),
  };
  return { items: [combined], combined };
}
