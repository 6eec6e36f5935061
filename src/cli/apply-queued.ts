// `apply --queue`: the loaded run checked as a local run checks it (preflight: bad input is exit 1
// before anything is sent), handed to workers through Redis, and followed to its recap; a worker
// drives it with the same runPlaybook as a local run, the queue as its play driver.
import { resolve } from 'node:path';
import type { RunContext } from '../executor/context.js';
import { HostState } from '../executor/host-state.js';
import { preflight } from '../executor/preflight.js';
import { RuntimeInventory } from '../inventory/runtime.js';
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
    ...(o.connection.becomeMethod ? { becomeMethod: o.connection.becomeMethod } : {}),
    ...(o.connection.becomeFlags !== undefined ? { becomeFlags: o.connection.becomeFlags } : {}),
  };
  const sources = bundleSources({
    playbook: ctx.playbook, inventory: ctx.inventory, inventoryPath: input.inventoryPath, rolesPath: input.rolesPath,
    extraVarFiles: extraVars.filter((e) => e.startsWith('@')).map((e) => e.slice(1)), privateKeyFiles: input.privateKeyFiles,
  });
  ctx.inventory = ctx.inventory instanceof RuntimeInventory ? ctx.inventory : new RuntimeInventory(ctx.inventory);
  for (const h of [...ctx.inventory.hosts, ...ctx.playbook.plays.flatMap((p) => ctx.inventory.match(p.hosts))]) if (!ctx.states.has(h)) ctx.states.set(h, new HostState(h));
  const hostsPerPlay = preflight(ctx);
  // The resume hint is spelt by the driver from this command line; a word holding a secret (a password in the URL) is masked first.
  if (addr.password) ctx.secrets.add(addr.password);
  const argv = process.argv.map((w) => ctx.secrets.mask(w));
  return submitRun(ctx, {
    addr, sources, hostsPerPlay,
    drive: {
      chunk: (input.opts.queueChunk as number | undefined) ?? 1,
      ...(o.limit ? { limit: o.limit } : {}),
      resume: { argv, cwd: input.cwd, ...(process.env.PATH ? { path: process.env.PATH } : {}) },
      job: { playbook: input.playbookFile, inventory: input.inventoryPath, rolesPath: input.rolesPath, extraVars, options },
    },
  });
}
