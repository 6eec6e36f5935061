// The set-up most lab test files share: one lab host, reset to the bare root, a scratch folder with
// an inventory that reaches it as root, and two helpers: `play` writes a one-play playbook and runs
// it, `sh` runs a script on the host and insists it succeeds. One place, so a change to how tests
// reach their host (a key, known_hosts, a user) is made once.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, resetHost, type Lab, type LabSpec } from '../lab/fixture.js';
import { runbook, type CliRun } from './runbook.js';

export interface OneHostSpec {
  /** The host's inventory name. */
  host: string;
  /** Its groups (default: app). */
  groups?: string[];
  /** The scratch folder's name starts with this (`runbook-PREFIX-`). */
  prefix: string;
  /** Reset the host to the bare root first (default true: a shared lab may hold another file's state). */
  reset?: boolean;
  /** Inventory vars added to (or replacing) the root login's. */
  vars?: Record<string, unknown>;
  /** Packages beyond the root's (the lab builds a root variant carrying them). */
  extraPackages?: LabSpec['extraPackages'];
}

export interface OneHost {
  lab: Lab;
  host: string;
  /** The host's address on the lab network. */
  address: string;
  /** Scratch folder, removed by cleanup(). */
  work: string;
  /** work/inventory.yml. */
  inventory: string;
  /** Writes work/NAME.yml, one play of TASKS on every host without facts, and applies it. */
  play(name: string, tasks: unknown[], ...extra: string[]): Promise<CliRun>;
  /** Runs SCRIPT on the host as USER and returns its stdout; a non-zero exit fails the test. */
  sh(script: string, user?: string): Promise<string>;
  cleanup(): void;
}

export async function oneHostLab(spec: OneHostSpec): Promise<OneHost> {
  const lab = await getLab({ hosts: [{ name: spec.host, groups: spec.groups ?? ['app'] }], ...(spec.extraPackages ? { extraPackages: spec.extraPackages } : {}) });
  if (spec.reset ?? true) await resetHost(lab, spec.host);
  const address = lab.hosts.find((h) => h.name === spec.host)!.address;
  const work = mkdtempSync(join(tmpdir(), `runbook-${spec.prefix}-`));
  const inventory = join(work, 'inventory.yml');
  const vars = { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile, ...spec.vars };
  writeFileSync(inventory, stringify({ all: { vars, hosts: { [spec.host]: { ansible_host: address } } } }));
  return {
    lab, host: spec.host, address, work, inventory,
    async play(name, tasks, ...extra) {
      const file = join(work, `${name}.yml`);
      writeFileSync(file, stringify([{ name, hosts: 'all', gather_facts: false, tasks }]));
      return runbook(['apply', file, '-i', inventory, ...extra]);
    },
    async sh(script, user = 'root') {
      const r = await onHost(lab, spec.host, script, { user });
      expect(r.code, `${script}\n${r.stderr}`).to.equal(0);
      return r.stdout;
    },
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}
