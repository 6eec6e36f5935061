// The async and poll task keywords. poll > 0: the task runs in the foreground and is stopped
// (its command killed on the host) once `async` seconds have passed. poll: 0: the module's probe
// and plan run as usual, then its steps run detached on the host as a job that async_status reads.
import type { ModuleContext, RemoteModule } from '../modules/types.js';
import { finishedJobScript, launchScript, newJobId } from '../modules/lib/async-job.js';
import type { ExecResult } from '../transport/types.js';
import { failed } from './outcome.js';
import type { Outcome } from './outcome.js';
import { runRemote, type ModuleRun } from './run-module.js';

class AsyncTimeout extends Error {
  constructor(seconds: number) {
    super(`async task did not complete within the requested time - ${seconds}s`);
    this.name = 'AsyncTimeout';
  }
}

/** Runs `attempt` with a deadline of `seconds`: past it, the attempt's commands are stopped and the task fails, as Ansible's async with poll > 0. */
export async function withDeadline(seconds: number, outer: AbortSignal | undefined, attempt: (signal: AbortSignal) => Promise<Outcome>): Promise<Outcome> {
  const timer = new AbortController();
  const handle = setTimeout(() => timer.abort(new AsyncTimeout(seconds)), seconds * 1000);
  const signal = outer ? AbortSignal.any([outer, timer.signal]) : timer.signal;
  try {
    const timedOut = new Promise<never>((_, reject) => timer.signal.addEventListener('abort', () => reject(timer.signal.reason), { once: true }));
    return await Promise.race([attempt(signal), timedOut]);
  } catch (err) {
    if (err instanceof AsyncTimeout && !outer?.aborted) return failed(err.message, { data: { finished: 0 } });
    throw err;
  } finally {
    clearTimeout(handle);
  }
}

/** poll: 0 for a remote module: plan now, start the steps as a detached job, register its id. */
export async function startRemoteJob(module: RemoteModule, args: unknown, mctx: ModuleContext, run: ModuleRun, seconds: number): Promise<Outcome> {
  // Check mode forecasts as without async: nothing is started.
  if (run.check) return runRemote(module, args, mctx, run);
  const probe = module.probe(args, mctx);
  const probed: ExecResult = probe.script === '' ? { stdout: '', stderr: '', code: 0 } : await run.transport.exec(probe.script, { stdin: probe.stdin, become: run.become, signal: run.signal });
  const plan = module.plan(args, probed, mctx);
  if (plan.failure) return failed(plan.failure.msg, { data: plan.data ?? {}, changes: plan.changes });
  const jid = newJobId();
  const exec = async (script: string) => {
    const r = await run.transport.exec(script, { become: run.become, signal: run.signal });
    if (r.code !== 0) throw new Error(`could not start the async job on the host (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    return r;
  };
  if (plan.changes.length === 0) {
    // Nothing to run (creates: says done): the job is finished before it starts.
    await exec(finishedJobScript(jid, plan.data ?? {}));
    return { status: 'ok', data: { ...plan.data, ansible_job_id: jid, started: 1, finished: 1 } };
  }
  const r = await exec(launchScript({ jid, timeout: seconds, steps: plan.steps, data: plan.data ?? {}, commandLike: plan.runsArbitraryCommand === true }));
  const pid = /pid=(\d+)/.exec(r.stdout)?.[1];
  return { status: 'changed', changes: plan.changes, data: { ansible_job_id: jid, started: 1, finished: 0, results_file: `~/.ansible_async/${jid}`, ...(pid ? { pid: Number(pid) } : {}) } };
}
