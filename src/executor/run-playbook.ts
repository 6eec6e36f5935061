// Runs a whole playbook: preflight (no connection), plays in order, the recap, the exit code.
import { InterruptedError } from '../core/errors.js';
import type { RunContext } from './context.js';
import type { HostCounters, ResumeHint } from './events.js';
import { releaseHostLocks } from './host-lock.js';
import { HostState } from './host-state.js';
import { preflight } from './preflight.js';
import { exitCodeFor } from './recap.js';
import { PlayRunner, type PlayResult } from './run-play.js';
import type { Play } from '../playbook/types.js';
import { resumeHint } from './resume.js';
import { RuntimeInventory } from '../inventory/runtime.js';
import { playHosts } from './preflight.js';
import { ProbeCache } from './probe-cache.js';

/** --probe-batch's default: a play's worth of tasks in one command, with the script well under a command line's limit. */
export const DEFAULT_PROBE_BATCH = 50;

/**
 * Runs one play on its hosts and says whether it stopped the rollout. Local by default; the queue
 * (src/queue) supplies another that hands the play's batches to workers running this same executor.
 */
export type PlayDriver = (play: Play, hosts: string[], playIndex: number) => Promise<PlayResult>;

export async function runPlaybook(ctx: RunContext, drive?: PlayDriver): Promise<number> {
  const runPlay: PlayDriver = drive ?? ((play, hosts) => new PlayRunner(ctx, play).run(hosts));
  const started = Date.now();
  ctx.probes ??= new ProbeCache(ctx.options.probeBatch ?? DEFAULT_PROBE_BATCH);
  // add_host and group_by change the inventory for the later plays of this run.
  const inventory = ctx.inventory instanceof RuntimeInventory ? ctx.inventory : new RuntimeInventory(ctx.inventory);
  ctx.inventory = inventory;
  // Inventory hosts, plus hosts a pattern answers implicitly (localhost).
  const known = [...ctx.inventory.hosts, ...ctx.playbook.plays.flatMap((p) => ctx.inventory.match(p.hosts))];
  for (const h of known) if (!ctx.states.has(h)) ctx.states.set(h, new HostState(h));
  const hostsPerPlay = preflight(ctx);
  const preflightVersion = inventory.version;

  const touched = new Set<string>();
  let aborted = false;
  let interrupted = false;
  let resume: ResumeHint | undefined;
  try {
    for (const [i, play] of ctx.playbook.plays.entries()) {
      // A host that ended the previous play (meta: end_host, end_play) is back for this one.
      for (const st of ctx.states.values()) st.ended = false;
      if (inventory.version !== preflightVersion) {
        hostsPerPlay[i] = playHosts(ctx, play);
        for (const h of hostsPerPlay[i]!) if (!ctx.states.has(h)) ctx.states.set(h, new HostState(h));
      }
      const hosts = hostsPerPlay[i]!.filter((h) => ctx.states.get(h)!.active);
      hosts.forEach((h) => touched.add(h));
      if (hosts.length === 0) {
        ctx.emit({ type: 'warning', msg: `play '${play.name}': no hosts matched '${play.hosts}'${ctx.options.limit ? ` with --limit ${ctx.options.limit}` : ''}, skipping` });
        continue;
      }
      const result = await runPlay(play, hosts, i);
      if (result.aborted) {
        aborted = true;
        const { reason, notRun, cut } = result.aborted;
        // Never run: the play's later batches, and the later plays' hosts no earlier play touched.
        const untouched = hostsPerPlay.slice(i + 1).flat().filter((h) => !touched.has(h) && !notRun.includes(h));
        resume = resumeHint(ctx, hostsPerPlay, { playIndex: i, notRun, cut });
        ctx.emit({ type: 'aborted', reason, notRun: [...notRun, ...new Set(untouched)], ...(resume ? { resume } : {}) });
        break;
      }
    }
    if (!aborted) resume = resumeHint(ctx, hostsPerPlay);
  } catch (err) {
    if (!(err instanceof InterruptedError) && !ctx.options.signal?.aborted) {
      // Listeners end cleanly (the live view clears its block) before the CLI prints the error.
      ctx.emit({ type: 'run_error', msg: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    interrupted = true;
  } finally {
    await releaseHostLocks();
    await ctx.connections.closeAll();
  }

  const recap: Record<string, HostCounters> = {};
  for (const h of touched) recap[h] = ctx.states.get(h)!.counters;
  const exitCode = exitCodeFor(recap, { aborted, interrupted });
  ctx.emit({ type: 'recap', hosts: recap, exitCode, durationMs: Date.now() - started, ...(resume && !interrupted ? { resume } : {}), probes: { ...ctx.probes.counts } });
  return exitCode;
}
