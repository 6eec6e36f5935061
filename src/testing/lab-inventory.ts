// The inventory a test cycle runs against: the lab's hosts and connection settings, with the
// scenario's host_vars and group_vars (groups that have vars but no hosts are still written).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { Lab } from '../lab/lab.js';
import type { Scenario } from './scenario.js';

export const SCENARIO_INVENTORY = 'test-inventory.yml';

type Group = { hosts?: Record<string, null>; vars?: Record<string, unknown> };

export function writeScenarioInventory(lab: Lab, scenario: Scenario): string {
  const base = parse(readFileSync(lab.inventoryFile, 'utf8')) as { all: { vars: Record<string, unknown>; hosts: Record<string, Record<string, unknown>>; children?: Record<string, Group> } };
  const all = base.all;
  for (const [host, vars] of Object.entries(scenario.hostVars)) all.hosts[host] = { ...all.hosts[host], ...vars };
  for (const [group, vars] of Object.entries(scenario.groupVars)) {
    if (group === 'all') {
      all.vars = { ...all.vars, ...vars };
      continue;
    }
    all.children ??= {};
    all.children[group] = { ...all.children[group], vars };
  }
  const file = join(lab.dir, SCENARIO_INVENTORY);
  writeFileSync(file, `# Written by runbook test: the lab hosts of ${scenario.file ?? scenario.dir}, with its variables.\n${stringify({ all })}`, { mode: 0o600 });
  return file;
}

/** A role alone converges through this playbook: the role on every host. */
export function writeConvergePlaybook(dir: string, role: string): string {
  const file = join(dir, 'converge.yml');
  writeFileSync(file, `# Written by runbook test: the role on every lab host.\n${stringify([{ name: 'Converge', hosts: 'all', roles: [{ role }] }])}`);
  return file;
}
