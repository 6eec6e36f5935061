// Shares lab hosts between the integration tests of one run, and removes every lab it started whatever happens.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { processAlive } from '../../../src/lab/procs.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labDown, labResetHost, labUp, lightLabUp, normalizeHosts, type Lab, type LabHost, type LabHostSpec } from '../../../src/lab/lab.js';
import { sshRun, type SshTarget } from '../../../src/lab/ssh.js';
import type { RunResult } from '../../../src/lab/exec.js';

export type { Lab, LabHost };
/** Hosts by name and groups, or a count (host1..hostN); without hosts, the seed job's redis1, web1, web2 (and secrets.yml). */
export type LabSpec = { hosts?: LabHostSpec[] | number; extraPackages?: string[] };

/** Test labs live here (named t0, t1, ... on 10.78.N.0/24), apart from a user's `.lab` on 10.77.0.0/24. */
export const TEST_LABS_DIR = join(tmpdir(), 'runbook-test-labs');

const labs = new Map<string, Promise<Lab>>();
const started = new Set<string>();
// Test runs at once (helpers in parallel) each need their own lab names and subnets: RUNBOOK_TEST_LAB_INDEX
// sets the first index, and a TMPDIR of their own keeps one run's sweep off the other's labs.
let nextIndex = Number(process.env.RUNBOOK_TEST_LAB_INDEX ?? 0);
let swept: Promise<void> | undefined;

/** A test lab index (name t<N>, subnet 10.78.N.0/24) no other lab of this run uses, for a test that starts its own lab. */
export function takeTestLabIndex(): number {
  return nextIndex++;
}

/** The lab for `spec`, started on first use and shared by every test asking for the same hosts. */
export function getLab(spec: LabSpec = {}): Promise<Lab> {
  const key = JSON.stringify({ hosts: normalizeHosts(spec.hosts), extra: spec.extraPackages ?? [] });
  let lab = labs.get(key);
  if (!lab) {
    lab = startLab(nextIndex++, spec);
    labs.set(key, lab);
  }
  return lab;
}

async function startLab(index: number, spec: LabSpec): Promise<Lab> {
  if (index > 199) throw new Error('more than 200 test labs in one run: share labs between tests');
  swept ??= sweepTestLabs();
  await swept;
  const name = `t${index}`;
  const dir = join(TEST_LABS_DIR, name);
  started.add(dir);
  mkdirSync(TEST_LABS_DIR, { recursive: true });
  writeFileSync(`${dir}.owner`, String(process.pid));
  const extra = spec.extraPackages?.length ? { extraPackages: spec.extraPackages } : {};
  return labUp({ name, dir, subnet: `10.78.${index}.0/24`, hosts: spec.hosts, log: progress, ...extra });
}

/**
 * A light lab of `hosts` sshd-only hosts (docs/lab.md), on index N's /22: 10.82.0.0/22 for t0,
 * 10.82.4.0/22 for t1, ... then 10.83.x for t64 on; apart from a user's light lab on 10.81.0.0/22.
 * Not shared: each call starts its own, torn down after the run like the others.
 */
export async function startLightLab(hosts: number): Promise<Lab> {
  const index = nextIndex++;
  if (index > 199) throw new Error('more than 200 test labs in one run: share labs between tests');
  swept ??= sweepTestLabs();
  await swept;
  const name = `t${index}`;
  const dir = join(TEST_LABS_DIR, name);
  started.add(dir);
  mkdirSync(TEST_LABS_DIR, { recursive: true });
  writeFileSync(`${dir}.owner`, String(process.pid));
  return lightLabUp({ name, dir, subnet: lightTestSubnet(index), hosts, log: progress });
}

export function lightTestSubnet(index: number): string {
  return `10.${82 + Math.floor(index / 64)}.${(index % 64) * 4}.0/22`;
}

/** Shows the slow, rare steps (building the root) so a first run does not look hung. */
function progress(line: string): void {
  if (!line.startsWith('  ')) console.log(`      [lab] ${line}`);
}

/** Removes labs a crashed earlier run left in TEST_LABS_DIR (each recorded in its own state file). */
export async function sweepTestLabs(): Promise<void> {
  if (!existsSync(TEST_LABS_DIR)) return;
  for (const entry of readdirSync(TEST_LABS_DIR)) {
    if (entry.endsWith('.owner')) continue;
    const dir = join(TEST_LABS_DIR, entry);
    // A lab whose test process still runs is not a leftover: another run's, not ours to remove.
    const owner = existsSync(`${dir}.owner`) ? Number(readFileSync(`${dir}.owner`, 'utf8').trim()) || undefined : undefined;
    if (owner && owner !== process.pid && processAlive(owner)) continue;
    await removeTestLab(dir);
  }
  removeTestLabsDirIfEmpty();
}

/**
 * Stops a test lab and deletes its dir: the lab key, the deploy password and the secrets stay
 * there after `labDown`, and a test run must not leave private keys behind in /tmp.
 * A lab that could not be stopped entirely keeps its dir (its state file is what removes it later).
 */
export async function removeTestLab(dir: string): Promise<void> {
  await labDown({ dir });
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.owner`, { force: true });
}

/** Removes TEST_LABS_DIR once no lab (of this run or a concurrent one) is left in it. */
export function removeTestLabsDirIfEmpty(): void {
  try {
    if (existsSync(TEST_LABS_DIR) && readdirSync(TEST_LABS_DIR).length === 0) rmdirSync(TEST_LABS_DIR);
  } catch {
    // Another run created a lab in it meanwhile: it is theirs to remove.
  }
}

/** Replaces a host of a shared lab by a fresh, bare one (same name, address and host keys). */
export function resetHost(lab: Lab, name: string): Promise<LabHost> {
  return labResetHost(lab, name);
}

/** How to reach a lab host with the system ssh client (host key checking on). */
export function hostTarget(lab: Lab, name: string, user = 'root'): SshTarget {
  const host = lab.hosts.find((h) => h.name === name);
  if (!host) throw new Error(`lab ${lab.name} has no host ${name}`);
  return { address: host.address, keyFile: lab.keyFile, knownHostsFile: lab.knownHostsFile, user };
}

/** Runs a shell script on a lab host; the result carries its exit code (255: ssh itself failed). */
export function onHost(lab: Lab, name: string, script: string, opts: { input?: string; user?: string } = {}): Promise<RunResult> {
  return sshRun(hostTarget(lab, name, opts.user), script, { input: opts.input });
}

/** Tears down every lab this run started; safe to call more than once. */
export async function teardownLabs(): Promise<void> {
  await Promise.allSettled(labs.values());
  const errors: unknown[] = [];
  for (const dir of started) {
    try {
      await removeTestLab(dir);
      started.delete(dir);
    } catch (err) {
      errors.push(err);
    }
  }
  labs.clear();
  removeTestLabsDirIfEmpty();
  if (errors.length > 0) throw errors[0];
}

/** Mocha root hook plugin, for `--require` of this file. */
export const mochaHooks = { afterAll: teardownLabs };
export const mochaGlobalTeardown = teardownLabs;

// Imported from a spec file (no --require), the root suite still gets the teardown.
declare const after: ((fn: () => Promise<void>) => void) | undefined;
if (typeof after === 'function') {
  after(async function teardownTestLabs() {
    await teardownLabs();
  });
}

// Ctrl-C or a kill: tear down before leaving. Ctrl-C reaches this process several times (from the
// terminal, npm and mocha's parent), so every signal is caught and the first one starts the teardown.
let leaving: Promise<void> | undefined;
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
  process.on(sig, () => {
    leaving ??= teardownLabs()
      .catch((err: unknown) => console.error(`lab teardown failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => process.exit(code));
  });
}
// A plain exit (mocha --exit, process.exit in a test) gets a synchronous last try.
process.once('exit', () => {
  if (started.size === 0) return;
  const self = fileURLToPath(import.meta.url);
  const script = join(self, '..', `teardown${self.endsWith('.ts') ? '.ts' : '.js'}`);
  const loader = self.endsWith('.ts') && !process.execArgv.some((a) => a.includes('tsx')) ? ['--import', 'tsx'] : [];
  spawnSync(process.execPath, [...process.execArgv, ...loader, script, ...started], { stdio: 'inherit' });
});
