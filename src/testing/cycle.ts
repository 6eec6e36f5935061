// Molecule's test cycle on lab hosts: create, check (a forecast on the fresh hosts), converge,
// idempotence (a second run must change nothing), verify, destroy. The hosts are destroyed
// whatever happens (a failed stage, an error, Ctrl-C) unless the user asked to keep them.
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../executor/recap.js';
import { labDown, labUp, type Lab } from '../lab/lab.js';
import { writeConvergePlaybook, writeScenarioInventory } from './lab-inventory.js';
import { runStage, type StageOutcome, type TaskOutcome } from './run-stage.js';
import type { Scenario } from './scenario.js';
import { claimSlot } from './slot.js';

import { STAGES, type StageName } from './stages.js';

export { STAGES, type StageName };
/** --only: a stage and the stages it needs first. */
const NEEDS: Record<StageName, StageName[]> = {
  check: ['check'],
  converge: ['converge'],
  idempotence: ['converge', 'idempotence'],
  verify: ['converge', 'verify'],
};

export interface StageReport {
  name: 'create' | StageName | 'destroy';
  status: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  exitCode?: number;
  /** Why it failed, or why it was skipped; secrets masked. */
  message?: string;
  /** idempotence: the tasks that changed on the second run. */
  changedTasks?: TaskOutcome[];
  failedTasks?: TaskOutcome[];
}

export interface CycleReport {
  scenario: string;
  /** The lab's name (rtN): its hosts are machines rtN-HOST while it runs. */
  lab?: string;
  hosts: string[];
  stages: StageReport[];
  exitCode: number;
  /** --keep: how to reach the hosts. */
  kept?: { dir: string; inventory: string; ssh: string; down: string };
}

export interface CycleOptions {
  only?: StageName;
  keep: boolean;
  signal: AbortSignal;
  out: NodeJS.WritableStream;
  /** Lab progress and stage banners. */
  log: (line: string) => void;
}

const describe = (tasks: TaskOutcome[]): string => tasks.map((t) => `${t.handler ? 'handler ' : ''}'${t.task}' on ${t.host}`).join(', ');

export async function runCycle(scenario: Scenario, opts: CycleOptions): Promise<CycleReport> {
  const wanted = new Set(opts.only ? NEEDS[opts.only] : STAGES);
  const report: CycleReport = { scenario: scenario.file ?? scenario.dir, hosts: scenario.hosts.map((h) => h.name), stages: [], exitCode: ExitCode.ok };
  const slot = await claimSlot();
  report.lab = slot.name;
  const dir = join(tmpdir(), 'runbook-test', slot.name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let lab: Lab | undefined;
  let started = Date.now();
  try {
    opts.log(`--- create: ${scenario.hosts.length} lab host(s): ${report.hosts.join(', ')}`);
    try {
      lab = await labUp({ name: slot.name, dir, subnet: slot.subnet, hosts: scenario.hosts, log: (l) => opts.log(`    ${l.trim()}`) });
      report.stages.push({ name: 'create', status: 'passed', durationMs: Date.now() - started });
    } catch (err) {
      report.stages.push({ name: 'create', status: 'failed', durationMs: Date.now() - started, message: err instanceof Error ? err.message : String(err) });
      throw err;
    }
    const inventory = writeScenarioInventory(lab, scenario);
    const converge = 'playbook' in scenario.converge ? scenario.converge.playbook : writeConvergePlaybook(dir, scenario.converge.role);
    const stage = (playbook: string, check: boolean): Promise<StageOutcome> =>
      runStage({ playbook, inventory, check, projectDir: scenario.dir, signal: opts.signal, out: opts.out });

    let failedAlready = false;
    for (const name of STAGES) {
      if (!wanted.has(name)) continue;
      if (failedAlready || opts.signal.aborted) {
        report.stages.push({ name, status: 'skipped', durationMs: 0, message: opts.signal.aborted ? 'interrupted' : 'an earlier stage failed' });
        continue;
      }
      if (name === 'verify' && !scenario.verify) {
        report.stages.push({ name, status: 'skipped', durationMs: 0, message: 'no verify playbook (tests/verify.yml, or verify: in runbook-test.yml)' });
        continue;
      }
      opts.log(`--- ${name}${name === 'check' ? ': --check on the fresh hosts (the forecast must not fail)' : name === 'idempotence' ? ': converge again, nothing may change' : ''}`);
      started = Date.now();
      const outcome = await stage(name === 'verify' ? scenario.verify! : converge, name === 'check');
      const result: StageReport = { name, status: 'passed', durationMs: Date.now() - started, exitCode: outcome.exitCode };
      if (outcome.exitCode !== ExitCode.ok) {
        result.status = 'failed';
        result.failedTasks = outcome.failed;
        result.message = outcome.exitCode === ExitCode.interrupted
          ? 'interrupted'
          : outcome.secrets.mask(`${name} failed (exit ${outcome.exitCode})${outcome.failed.length ? `: ${describe(outcome.failed)}` : ''}`);
      } else if (name === 'idempotence' && outcome.changed.length > 0) {
        result.status = 'failed';
        result.exitCode = ExitCode.failed;
        result.changedTasks = outcome.changed;
        result.message = outcome.secrets.mask(`not idempotent: ${outcome.changed.length} task(s) changed on the second run: ${describe(outcome.changed)}`);
      }
      if (result.status === 'failed') {
        failedAlready = true;
        report.exitCode = result.exitCode ?? ExitCode.failed;
        opts.log(`FAILED ${name}: ${result.message}`);
      }
      report.stages.push(result);
    }
    if (opts.signal.aborted) report.exitCode = ExitCode.interrupted;
  } finally {
    started = Date.now();
    if (opts.keep && lab) {
      report.kept = {
        dir,
        inventory: join(dir, 'test-inventory.yml'),
        ssh: `ssh -i ${lab.keyFile} -o UserKnownHostsFile=${lab.knownHostsFile} root@${lab.hosts[0]!.address}`,
        down: `runbook lab down --dir ${dir}`,
      };
      report.stages.push({ name: 'destroy', status: 'skipped', durationMs: 0, message: '--keep' });
    } else {
      opts.log('--- destroy');
      try {
        await labDown({ dir, name: slot.name });
        // The lab's private key and inventory go too: nothing of the test is left behind.
        rmSync(dir, { recursive: true, force: true });
        report.stages.push({ name: 'destroy', status: 'passed', durationMs: Date.now() - started });
      } catch (err) {
        report.stages.push({ name: 'destroy', status: 'failed', durationMs: Date.now() - started, message: err instanceof Error ? err.message : String(err) });
        if (report.exitCode === ExitCode.ok) report.exitCode = ExitCode.failed;
      }
    }
    slot.release();
  }
  if (opts.signal.aborted) report.exitCode = ExitCode.interrupted;
  return report;
}
