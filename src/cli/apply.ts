// `runbook apply`: load and validate everything, then hand a RunContext to the executor.
import { setMaxListeners } from 'node:events';
import { dirname, resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { libraryPath } from '../config/settings.js';
import { effectiveSettings } from './settings-precedence.js';
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { includeWarning } from './include-warning.js';
import { defaultRunOptions, type RunOptions } from '../executor/options.js';
import { loadInventory } from '../inventory/load.js';
import { inventorySources } from '../inventory/sources.js';
import { missingSources } from '../playbook/controller-file.js';
import { loadPlaybook } from '../playbook/load.js';
import { parseExtraVars } from './extra-vars.js';
import { listHosts, listTags, listTasks } from './listings.js';
import { playbookHasTask } from '../executor/start-at.js';
import { closeLineReaders, promptLine, promptSecret } from './prompt.js';
import { createStepPrompt } from './step.js';
import { resumeCommand } from './resume-command.js';
import { vaultForRun } from './vault.js';
import { checkTarget } from '../output/report/target.js';
import { maskError } from './mask-error.js';
import { parseQueueUrl, passwordSources, type QueueAddress } from '../queue/url.js';

/** --queue: the address (and password source), checked before anything runs; interactive flags have no worker to answer them. */
function queueAddress(opts: Record<string, unknown>): QueueAddress {
  for (const [flag, set] of [['-k/--ask-pass', opts.askPass], ['-K/--ask-become-pass', opts.askBecomePass], ['--step', opts.step]] as const) {
    if (set) throw new InputError(`${flag} cannot be used with --queue: workers run without a terminal`, undefined, 'give the password as a vault-encrypted variable (ansible_become_password), which workers decrypt with their own vault password');
  }
  return parseQueueUrl(String(opts.queue), passwordSources(process.env, opts.queuePasswordFile as string | undefined));
}

function splitList(values: unknown): string[] {
  return ((values as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
}

export async function applyCommand(playbookArg: string, opts: Record<string, unknown>): Promise<number> {
  const cwd = process.cwd();
  const config = loadConfig(cwd);
  // An ansible.cfg's keys that runbook does not use: said before anything else, never dropped silently.
  for (const w of config.warnings ?? []) process.stderr.write(`[WARNING]: ${w}\n`);
  const settings = effectiveSettings(opts, config);
  // become_ask_pass in ansible.cfg is a default for -K, as in Ansible.
  opts = { ...opts, askBecomePass: settings.askBecomePass };
  // Values decrypted while loading join the run's secrets, to be masked in every output.
  const { vault, secrets } = vaultForRun({ vaultPasswordFile: opts.vaultPasswordFile as string | undefined, askVaultPass: Boolean(opts.askVaultPass) }, config, cwd);
  const rolesPath = [...(opts.rolesPath ? String(opts.rolesPath).split(':') : []), ...(config.rolesPath ?? [])].map((p) => resolve(cwd, p));
  const playbookFile = resolve(cwd, playbookArg);
  // --syntax-check also reads what dynamic includes can name; problems there are warnings, since the run may never reach them.
  const warnings = new Set<string>();
  const warn = (p: InputError, at: SourceLoc): void => void warnings.add(includeWarning(p, at));
  const library = libraryPath(config, process.env, cwd);
  const notice = (p: InputError): void => void warnings.add(`[WARNING]: ${p.describe()}\n`);
  const playbook = loadPlaybook(playbookFile, { rolesPath, library, vault, ...(opts.syntaxCheck ? { warn, notice } : {}) });
  const inventoryPath = settings.inventory;
  if (!inventoryPath?.length) {
    throw new InputError('no inventory given', undefined, 'pass -i inventory/production.yml, set `inventory =` in runbook.cfg, or start the lab with `runbook lab up`');
  }
  const sources = inventorySources(inventoryPath, cwd);
  const inventory = loadInventory(sources, { playbookDir: dirname(playbookFile), vault });

  const options: RunOptions = {
    ...defaultRunOptions(),
    check: Boolean(opts.check),
    diff: Boolean(opts.diff),
    forks: settings.forks,
    ...(opts.probeBatch !== undefined ? { probeBatch: Number(opts.probeBatch) } : {}),
    limit: opts.limit as string | undefined,
    tags: splitList(opts.tags),
    skipTags: splitList(opts.skipTags),
    extraVars: parseExtraVars((opts.extraVars as string[]) ?? [], cwd, vault),
    verbose: Number(opts.verbose ?? 0),
    hostLock: opts.waitLock ? 'wait' : 'fail',
    connection: {
      user: settings.user,
      privateKeyFile: settings.privateKeyFile,
      knownHostsFile: opts.knownHosts ? resolve(cwd, String(opts.knownHosts)) : config.knownHostsFile,
      knownHostsOverride: opts.knownHosts ? resolve(cwd, String(opts.knownHosts)) : undefined,
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
  // The report shows the diffs that were applied, whether or not -D prints them.
  if (opts.report) {
    checkTarget(resolve(cwd, String(opts.report)));
    options.collectDiffs = true;
  }
  // A stopped run prints how to resume it: this very command line, narrowed to the unfinished hosts.
  options.resumeCommand = (request) => resumeCommand({ argv: process.argv, cwd, path: process.env.PATH }, request);
  if (opts.step) options.step = createStepPrompt();
  // vars_prompt asks only on a terminal; otherwise -e, the prompt's default, or an error naming -e.
  if (process.stdin.isTTY) options.prompt = (question, secret) => (secret ? promptSecret(question) : promptLine(question));
  // -b / --become-user are defaults under every become keyword and variable, as in Ansible (not extra vars).
  // ansible.cfg's become / become_user are the defaults under those flags.
  if (settings.become) options.connection.become = true;
  if (settings.becomeUser) options.connection.becomeUser = settings.becomeUser;
  if (settings.becomeMethod) options.connection.becomeMethod = settings.becomeMethod;
  if (settings.becomeFlags !== undefined) options.connection.becomeFlags = settings.becomeFlags;

  // Read now, so a bad address is bad input before anything else happens; Redis is contacted only when the run starts.
  const queue = opts.queue !== undefined ? queueAddress(opts) : undefined;

  if (opts.syntaxCheck) {
    // A missing copy/template src is no error either: `when:` may skip its task; the task fails when it runs.
    for (const missing of missingSources(playbook)) warnings.add(`[WARNING]: ${missing.describe()}\n  (this task fails when it runs)\n`);
    for (const w of warnings) process.stderr.write(w);
    const { syntaxCheckTemplates } = await import('./syntax-templates.js');
    const dialects = syntaxCheckTemplates(playbook);
    for (const line of dialects) process.stdout.write(`${line}\n`);
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
  // Every command in flight listens for Ctrl-C (one per host or more at once): not a leak, so no warning.
  setMaxListeners(0, controller.signal);
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    // Abort first: the live view clears its block, so this note does not land inside it.
    controller.abort();
    process.stderr.write('\n[interrupted: finishing the recap; press Ctrl-C again to quit at once]\n');
  };
  process.on('SIGINT', onSigint);
  // Loaded only now: the executor pulls in SSH, Redis and Handlebars, which --syntax-check and the listings never need.
  const [{ runPlaybook }, { buildContext }, { connectPacer }] = await Promise.all([
    import('../executor/run-playbook.js'),
    import('./wiring.js'),
    import('../transport/connect-pace.js'),
  ]);
  if (options.verbose >= 1 && !opts.json) {
    const { dialectLines } = await import('./syntax-templates.js');
    for (const line of dialectLines(playbook)) process.stdout.write(`templates: ${line}\n`);
  }
  const ctx = buildContext({ options, inventory, playbook, json: Boolean(opts.json), secrets, reportFile: opts.report as string | undefined, vault });
  try {
    if (queue) {
      // Only a queued run loads BullMQ: a local run needs no Redis and no queue code.
      const { runQueued } = await import('./apply-queued.js');
      const only = sources.length === 1 && sources[0]!.kind === 'path' ? sources[0]!.path : undefined;
      if (only === undefined) throw new InputError('--queue takes one inventory file or directory (it travels to the workers as it is)', undefined, 'merge the inventories into one directory and pass that with -i');
      return await runQueued(ctx, queue, { opts, cwd, playbookFile, inventoryPath: only, rolesPath, privateKeyFiles: [options.connection.privateKeyFile].filter((k): k is string => Boolean(k)) });
    }
    const code = await runPlaybook(ctx);
    noteConnectRetries(connectPacer.stats);
    return code;
  } catch (err) {
    // main.ts prints this error: mask what the run learnt is secret, as every other output is.
    maskError(err, ctx.secrets);
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
    closeLineReaders();
  }
}

/** Says when sshd dropped handshakes that were retried (connect-pace.ts): a sign of a MaxStartups limit, not an error. */
function noteConnectRetries(stats: { connects: number; retries: number; gaveUp: number }): void {
  if (stats.retries === 0) return;
  const gaveUp = stats.gaveUp > 0 ? `; ${stats.gaveUp} host(s) still dropped after every retry` : '';
  process.stderr.write(`[ssh] ${stats.retries} handshake(s) dropped by the server (sshd MaxStartups?) were retried, ${stats.connects} connection(s) made${gaveUp}\n`);
}
