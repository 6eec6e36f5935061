// `apply --queue`: the loaded run handed to workers through Redis and followed to its recap;
// the same runPlaybook as a local run, with the queue as its play driver.
import { resolve } from 'node:path';
import type { RunContext } from '../executor/context.js';
import { runPlaybook } from '../executor/run-playbook.js';
import { bundleSources } from '../queue/bundle-sources.js';
import type { JobOptions } from '../queue/job.js';
import { submitRun } from '../queue/submit.js';
import type { QueueAddress } from '../queue/url.js';

export interface QueuedInput {
  opts: Record<string, unknown>;
  cwd: string;
  playbookFile: string;
  inventoryPath: string;
  rolesPath: string[];
  privateKeyFiles: string[];
}

export async function runQueued(ctx: RunContext, addr: QueueAddress, input: QueuedInput): Promise<number> {
  const o = ctx.options;
  // -e @file travels inside the bundle under its absolute path.
  const extraVars = ((input.opts.extraVars as string[] | undefined) ?? []).map((e) => (e.trim().startsWith('@') ? `@${resolve(input.cwd, e.trim().slice(1))}` : e));
  const options: JobOptions = {
    check: o.check, diff: o.diff, collectDiffs: Boolean(o.collectDiffs), forks: o.forks, tags: o.tags, skipTags: o.skipTags,
    verbose: o.verbose, forceHandlers: Boolean(o.forceHandlers), hostKeyChecking: o.connection.hostKeyChecking, timeoutMs: o.connection.timeoutMs,
    ...(o.startAtTask ? { startAtTask: o.startAtTask } : {}),
    ...(o.connection.user ? { user: o.connection.user } : {}),
    ...(o.connection.become !== undefined ? { become: o.connection.become } : {}),
    ...(o.connection.becomeUser ? { becomeUser: o.connection.becomeUser } : {}),
  };
  const sources = bundleSources({
    playbook: ctx.playbook, inventory: ctx.inventory, inventoryPath: input.inventoryPath, rolesPath: input.rolesPath,
    extraVarFiles: extraVars.filter((e) => e.startsWith('@')).map((e) => e.slice(1)), privateKeyFiles: input.privateKeyFiles,
  });
  const run = await submitRun(ctx, {
    addr, sources, chunk: (input.opts.queueChunk as number | undefined) ?? 1,
    job: { playbook: input.playbookFile, inventory: input.inventoryPath, rolesPath: input.rolesPath, extraVars, options },
  });
  let code = 1;
  try {
    code = await runPlaybook(ctx, run.drive);
    return code;
  } finally {
    await run.finish(code);
  }
}
