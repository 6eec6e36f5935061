// Runs a whole playbook: preflight (no connection), plays in order, the recap, the exit code.
import { InterruptedError } from '../core/errors.js';
import type { RunContext } from './context.js';
import type { HostCounters } from './events.js';
import { releaseHostLocks } from './host-lock.js';
import { HostState } from './host-state.js';
import { preflight } from './preflight.js';
import { exitCodeFor } from './recap.js';
import { PlayRunner } from './run-play.js';

export async function runPlaybook(ctx: RunContext): Promise<number> {
  const started = Date.now();
  // Inventory hosts, plus hosts a pattern answers implicitly (localhost).
  const known = [...ctx.inventory.hosts, ...ctx.playbook.plays.flatMap((p) => ctx.inventory.match(p.hosts))];
  for (const h of known) if (!ctx.states.has(h)) ctx.states.set(h, new HostState(h));
  const hostsPerPlay = preflight(ctx);

  const touched = new Set<string>();
  let aborted = false;
  let interrupted = false;
  try {
    for (const [i, play] of ctx.playbook.plays.entries()) {
      const hosts = hostsPerPlay[i]!.filter((h) => ctx.states.get(h)!.active);
      hosts.forEach((h) => touched.add(h));
      if (hosts.length === 0) {
        ctx.emit({ type: 'warning', msg: `play '${play.name}': no hosts matched '${play.hosts}'${ctx.options.limit ? ` with --limit ${ctx.options.limit}` : ''}, skipping` });
        continue;
      }
      const result = await new PlayRunner(ctx, play).run(hosts);
      if (result.aborted) {
        aborted = true;
        break;
      }
    }
  } catch (err) {
    if (!(err instanceof InterruptedError) && !ctx.options.signal?.aborted) throw err;
    interrupted = true;
  } finally {
    await releaseHostLocks();
    await ctx.connections.closeAll();
  }

  const recap: Record<string, HostCounters> = {};
  for (const h of touched) recap[h] = ctx.states.get(h)!.counters;
  const exitCode = exitCodeFor(recap, { aborted, interrupted });
  ctx.emit({ type: 'recap', hosts: recap, exitCode, durationMs: Date.now() - started });
  return exitCode;
}
