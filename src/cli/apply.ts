// `runbook apply`: load and validate everything, then hand a RunContext to the executor.
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { InputError } from '../core/errors.js';
import { runPlaybook } from '../executor/run-playbook.js';
import { defaultRunOptions, type RunOptions } from '../executor/options.js';
import { loadInventory } from '../inventory/load.js';
import { loadPlaybook } from '../playbook/load.js';
import { parseExtraVars } from './extra-vars.js';
import { listHosts, listTags, listTasks } from './listings.js';
import { playbookHasTask } from '../executor/start-at.js';
import { closeLineReaders, promptSecret } from './prompt.js';
import { createStepPrompt } from './step.js';
import { vaultForRun } from './vault.js';
import { buildContext } from './wiring.js';

function splitList(values: unknown): string[] {
  return ((values as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

export async function applyCommand(playbookArg: string, opts: Record<string, unknown>): Promise<number> {
  const cwd = process.cwd();
  const config = loadConfig(cwd);
  // Values decrypted while loading join the run's secrets, to be masked in every output.
  const { vault, secrets } = vaultForRun({ vaultPasswordFile: opts.vaultPasswordFile as string | undefined, askVaultPass: Boolean(opts.askVaultPass) }, config, cwd);
  const rolesPath = [...(opts.rolesPath ? String(opts.rolesPath).split(':') : []), ...(config.rolesPath ?? [])].map((p) => resolve(cwd, p));
  const playbookFile = resolve(cwd, playbookArg);
  const playbook = loadPlaybook(playbookFile, { rolesPath, vault });
  const inventoryPath = (opts.inventory as string | undefined) ?? config.inventory;
  if (!inventoryPath) {
    throw new InputError('no inventory given', undefined, 'pass -i inventory/production.yml, set `inventory =` in runbook.cfg, or start the lab with `runbook lab up`');
  }
  const inventory = loadInventory(resolve(cwd, inventoryPath), { playbookDir: dirname(playbookFile), vault });

  const options: RunOptions = {
    ...defaultRunOptions(),
    check: Boolean(opts.check),
    diff: Boolean(opts.diff),
    forks: (opts.forks as number | undefined) ?? config.forks ?? 20,
    limit: opts.limit as string | undefined,
    tags: splitList(opts.tags),
    skipTags: splitList(opts.skipTags),
    extraVars: parseExtraVars((opts.extraVars as string[]) ?? [], cwd, vault),
    verbose: Number(opts.verbose ?? 0),
    hostLock: opts.waitLock ? 'wait' : 'fail',
    connection: {
      user: (opts.user as string | undefined) ?? config.remoteUser,
      privateKeyFile: (opts.privateKey as string | undefined) ?? config.privateKeyFile,
      knownHostsFile: opts.knownHosts ? resolve(cwd, String(opts.knownHosts)) : config.knownHostsFile,
      hostKeyChecking: config.hostKeyChecking ?? true,
      timeoutMs: (config.timeout ?? 15) * 1000,
    },
  };
  if (opts.startAtTask !== undefined) {
    const name = String(opts.startAtTask);
    if (!playbookHasTask(playbook, name)) {
      throw new InputError(`--start-at-task: no task named '${name}' in ${playbookArg}`, undefined, 'use the name --list-tasks shows (with or without "role : "), or * wildcards');
    }
    options.startAtTask = name;
  }
  if (opts.forceHandlers) options.forceHandlers = true;
  if (opts.step) options.step = createStepPrompt();
  if (opts.become) options.extraVars = { ansible_become: true, ...options.extraVars };
  if (opts.becomeUser) options.extraVars = { ansible_become_user: opts.becomeUser, ...options.extraVars };

  if (opts.syntaxCheck) {
    process.stdout.write(`playbook: ${playbookArg}\n`);
    return 0;
  }
  if (opts.listHosts) return listHosts(playbook, inventory, options);
  if (opts.listTasks) return listTasks(playbook, options);
  if (opts.listTags) return listTags(playbook, options);

  // Asked only now that something will connect; as in Ansible, an empty -K answer reuses the -k password.
  if (opts.askPass) options.connection.password = await promptSecret('SSH password: ');
  if (opts.askBecomePass) {
    const asked = await promptSecret(opts.askPass ? 'BECOME password[defaults to SSH password]: ' : 'BECOME password: ');
    options.connection.becomePassword = asked === '' && opts.askPass ? options.connection.password : asked;
  }

  const controller = new AbortController();
  options.signal = controller.signal;
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\n[interrupted: finishing the recap; press Ctrl-C again to quit at once]\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const ctx = buildContext({ options, inventory, playbook, json: Boolean(opts.json), secrets });
  try {
    return await runPlaybook(ctx);
  } catch (err) {
    // main.ts prints this error: mask what the run learnt is secret, as every other output is.
    if (err instanceof Error) {
      const e = err as Error & { hint?: string };
      Object.assign(err, { message: ctx.secrets.mask(e.message), ...(e.hint ? { hint: ctx.secrets.mask(e.hint) } : {}) });
      if (e.stack) e.stack = ctx.secrets.mask(e.stack);
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    closeLineReaders();
  }
}
