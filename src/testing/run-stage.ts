// Runs one playbook of a test cycle in this process, as `runbook apply` would, and keeps what the
// cycle judges by: the exit code, and which tasks changed or failed on which host.
import { dirname } from 'node:path';
import { loadConfig } from '../config/load.js';
import { libraryPath } from '../config/settings.js';
import type { SecretSet } from '../secrets/mask.js';
import { defaultRunOptions, type RunOptions } from '../executor/options.js';
import { loadInventory } from '../inventory/load.js';
import { loadPlaybook } from '../playbook/load.js';
import { vaultForRun } from '../cli/vault.js';
import { resolve } from 'node:path';

export interface StageRun {
  playbook: string;
  inventory: string;
  check: boolean;
  /** The scenario's folder: where runbook.cfg (roles_path, vault_password_file) is looked up. */
  projectDir: string;
  signal: AbortSignal;
  out: NodeJS.WritableStream;
}

export interface TaskOutcome {
  task: string;
  host: string;
  handler: boolean;
}

export interface StageOutcome {
  exitCode: number;
  changed: TaskOutcome[];
  failed: TaskOutcome[];
  /** Masks the run's secrets in text the cycle writes (reports, messages). */
  secrets: SecretSet;
}

export async function runStage(run: StageRun): Promise<StageOutcome> {
  const config = loadConfig(run.projectDir);
  const { vault, secrets } = vaultForRun({}, config, run.projectDir);
  const rolesPath = (config.rolesPath ?? []).map((p) => resolve(run.projectDir, p));
  const playbook = loadPlaybook(run.playbook, { rolesPath, library: libraryPath(config, process.env, run.projectDir), vault });
  const inventory = loadInventory(run.inventory, { playbookDir: dirname(run.playbook), vault });
  const options: RunOptions = { ...defaultRunOptions(), check: run.check, signal: run.signal };
  const [{ runPlaybook }, { buildContext }] = await Promise.all([import('../executor/run-playbook.js'), import('../cli/wiring.js')]);
  const ctx = buildContext({ options, inventory, playbook, json: false, out: run.out, secrets, vault });
  const changed: TaskOutcome[] = [];
  const failed: TaskOutcome[] = [];
  const emit = ctx.emit;
  ctx.emit = (event) => {
    emit(event);
    if (event.type !== 'host_result') return;
    const outcome = { task: event.task, host: event.host, handler: event.handler };
    if (event.status === 'changed') changed.push(outcome);
    if ((event.status === 'failed' && !event.ignored) || event.status === 'unreachable') failed.push(outcome);
  };
  const exitCode = await runPlaybook(ctx);
  return { exitCode, changed, failed, secrets };
}
