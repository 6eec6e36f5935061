// `runbook apply`: load and validate everything, then hand a RunContext to the executor.
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { InputError } from '../core/errors.js';
import { runPlaybook } from '../executor/run-playbook.js';
import { defaultRunOptions, type RunOptions } from '../executor/options.js';
import { loadInventory } from '../inventory/load.js';
import { loadPlaybook } from '../playbook/load.js';
import { parseExtraVars } from './extra-vars.js';
import { listHosts, listTasks } from './listings.js';
import { buildContext } from './wiring.js';

function splitList(values: unknown): string[] {
  return ((values as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

export async function applyCommand(playbookArg: string, opts: Record<string, unknown>): Promise<number> {
  const cwd = process.cwd();
  const config = loadConfig(cwd);
  const rolesPath = [...(opts.rolesPath ? String(opts.rolesPath).split(':') : []), ...(config.rolesPath ?? [])].map((p) => resolve(cwd, p));
  const playbookFile = resolve(cwd, playbookArg);
  const playbook = loadPlaybook(playbookFile, { rolesPath });
  const inventoryPath = (opts.inventory as string | undefined) ?? config.inventory;
  if (!inventoryPath) {
    throw new InputError('no inventory given', undefined, 'pass -i inventory/production.yml, set `inventory =` in runbook.cfg, or start the lab with `runbook lab up`');
  }
  const inventory = loadInventory(resolve(cwd, inventoryPath), { playbookDir: dirname(playbookFile) });

  const options: RunOptions = {
    ...defaultRunOptions(),
    check: Boolean(opts.check),
    diff: Boolean(opts.diff),
    forks: (opts.forks as number | undefined) ?? config.forks ?? 20,
    limit: opts.limit as string | undefined,
    tags: splitList(opts.tags),
    skipTags: splitList(opts.skipTags),
    extraVars: parseExtraVars((opts.extraVars as string[]) ?? [], cwd),
    verbose: Number(opts.verbose ?? 0),
    connection: {
      user: (opts.user as string | undefined) ?? config.remoteUser,
      privateKeyFile: (opts.privateKey as string | undefined) ?? config.privateKeyFile,
      knownHostsFile: opts.knownHosts ? resolve(cwd, String(opts.knownHosts)) : config.knownHostsFile,
      hostKeyChecking: config.hostKeyChecking ?? true,
      timeoutMs: (config.timeout ?? 15) * 1000,
    },
  };
  if (opts.become) options.extraVars = { ansible_become: true, ...options.extraVars };
  if (opts.becomeUser) options.extraVars = { ansible_become_user: opts.becomeUser, ...options.extraVars };

  if (opts.syntaxCheck) {
    process.stdout.write(`playbook: ${playbookArg}\n`);
    return 0;
  }
  if (opts.listHosts) return listHosts(playbook, inventory, options);
  if (opts.listTasks) return listTasks(playbook, options);

  const controller = new AbortController();
  options.signal = controller.signal;
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\n[interrupted: finishing the recap; press Ctrl-C again to quit at once]\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const ctx = buildContext({ options, inventory, playbook, json: Boolean(opts.json) });
    return await runPlaybook(ctx);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
