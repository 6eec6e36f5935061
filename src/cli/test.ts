// `runbook test [PATH]`: a role or playbook tried on throwaway lab hosts (Molecule's cycle); the
// hosts are removed on every way out, Ctrl-C included, unless --keep.
import { resolve } from 'node:path';
import { setMaxListeners } from 'node:events';
import { InputError } from '../core/errors.js';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runCycle, STAGES, type StageName } from '../testing/cycle.js';
import { jsonReport, junitXml } from '../testing/reports.js';
import { loadScenario } from '../testing/scenario.js';

export interface TestCliOptions {
  keep?: boolean;
  only?: string;
  junit?: string;
  json?: string;
}

export async function testCommand(path: string | undefined, opts: TestCliOptions): Promise<number> {
  const cwd = process.cwd();
  if (opts.only !== undefined && !(STAGES as readonly string[]).includes(opts.only)) {
    throw new InputError(`--only ${opts.only}: no such stage`, undefined, `use one of ${STAGES.join(', ')}`);
  }
  for (const [flag, file] of [['--junit', opts.junit], ['--json', opts.json]] as const) {
    if (file === undefined) continue;
    const dir = dirname(resolve(cwd, file));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`${flag}: directory ${dir} does not exist`, undefined, 'create it first, or give a path in an existing directory');
  }
  // Every error in the scenario, the playbooks or the roles shows before any host is created.
  const scenario = loadScenario(resolve(cwd, path ?? '.'));

  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const onSignal = (): void => {
    if (controller.signal.aborted) {
      process.stderr.write('\n[still removing the lab hosts; they would be left running otherwise]\n');
      return;
    }
    controller.abort();
    process.stderr.write(`\n[interrupted: stopping${opts.keep ? '' : ' and removing the lab hosts'}]\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  try {
    const report = await runCycle(scenario, { only: opts.only as StageName | undefined, keep: Boolean(opts.keep), signal: controller.signal, out: process.stdout, log });
    if (opts.junit) writeFileSync(resolve(cwd, opts.junit), junitXml(report));
    if (opts.json) writeFileSync(resolve(cwd, opts.json), jsonReport(report));
    log('');
    log('RUNBOOK TEST');
    for (const s of report.stages) log(`  ${s.name.padEnd(12)} ${s.status}${s.message ? `: ${s.message}` : ''}`);
    if (report.kept) {
      log('');
      log('hosts kept:');
      log(`  inventory:   ${report.kept.inventory}`);
      log(`  ssh:         ${report.kept.ssh}`);
      log(`  remove with: ${report.kept.down}`);
    }
    return report.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
