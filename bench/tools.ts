// The two tools under test: how each runs the seed job against a lab, and how its PLAY RECAP is read.
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { Lab } from '../src/lab/lab.js';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ANSIBLE_DIR = join(REPO, 'bench/ansible');

/** What Ansible needs on the managed hosts; every tool's hosts (the floor's too) get the same root, so all face identical hosts. */
export const HOST_PACKAGES = ['python3', 'python3-apt'];

export type Invocation = {
  cmd: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Scratch dirs of this run only, removed after it. */
  scratchDirs?: string[];
};

export type Tool = {
  name: 'runbook' | 'ansible';
  /** The command for one run of the seed job against `lab`; `run` names the run's own scratch files. */
  invocation(lab: Lab, scratch: string, run: string): Promise<Invocation>;
};

/** Both tools print plain output: no colours to render, and the recap is easy to read back. */
const PLAIN = { NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' };

/** The runbook under test: the repo's bin, or a frozen copy (see freezeRunbook). */
let runbookBin = join(REPO, 'bin/runbook.js');

/**
 * Copies the built runbook (bin, dist, package.json) into `dir` and runs that copy from then on, so a
 * rebuild of the working tree during the bench cannot change the program half-way through the samples.
 */
export async function freezeRunbook(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const f of ['bin', 'dist', 'package.json']) await cp(join(REPO, f), join(dir, f), { recursive: true, preserveTimestamps: true });
  await symlink(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  runbookBin = join(dir, 'bin/runbook.js');
}

export const runbookTool: Tool = {
  name: 'runbook',
  // The lab's inventory (group_vars/all/secrets.yml beside it), runbook.cfg of the repo (forks 20), human output.
  invocation: async (lab) => ({
    cmd: process.execPath,
    args: [runbookBin, 'apply', join(REPO, 'playbooks/site.yml'), '-i', lab.inventoryFile],
    cwd: REPO,
    env: { ...process.env, ...PLAIN },
  }),
};

export const ansibleTool: Tool = {
  name: 'ansible',
  invocation: async (lab, scratch, run) => {
    const inventory = await ansibleInventory(lab);
    const controlDir = join(scratch, `ansible-cp-${run}`);
    const localTemp = join(scratch, `ansible-tmp-${run}`);
    await mkdir(controlDir, { recursive: true, mode: 0o700 });
    return {
      scratchDirs: [controlDir, localTemp],
      cmd: 'ansible-playbook',
      args: ['-i', inventory, join(ANSIBLE_DIR, 'site.yml')],
      cwd: ANSIBLE_DIR,
      env: {
        ...process.env,
        ...PLAIN,
        ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'),
        // A control socket dir of this run only: no ssh master of an earlier run is reused.
        ANSIBLE_SSH_CONTROL_PATH_DIR: controlDir,
        ANSIBLE_LOCAL_TEMP: localTemp,
      },
    };
  },
};

/**
 * The lab's inventory for Ansible, written beside the lab's own (so Ansible loads the same
 * group_vars/all/secrets.yml), with the lab's known_hosts given to ssh: host keys stay checked.
 */
async function ansibleInventory(lab: Lab): Promise<string> {
  const doc = parse(await readFile(lab.inventoryFile, 'utf8')) as { all: { vars: Record<string, unknown> } };
  const { ssh_known_hosts_file: _, ...vars } = doc.all.vars;
  doc.all.vars = {
    ...vars,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHostsFile} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes`,
  };
  const file = join(lab.dir, 'ansible-inventory.yml');
  await writeFile(file, `# Written by bench/run.ts for ansible-playbook: the lab's hosts, key and known_hosts.\n${stringify(doc)}`);
  return file;
}

export type HostCounters = { ok: number; changed: number; unreachable: number; failed: number; skipped: number };

const RECAP_LINE = /^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\b/;

/** Counters per host after the last PLAY RECAP: runbook prints Ansible's recap format, so one reader serves both. */
export function parseRecap(stdout: string): Record<string, HostCounters> {
  const at = stdout.lastIndexOf('PLAY RECAP');
  const hosts: Record<string, HostCounters> = {};
  if (at < 0) return hosts;
  for (const line of stdout.slice(at).split('\n')) {
    const m = RECAP_LINE.exec(line.trim());
    if (!m) continue;
    const [ok, changed, unreachable, failed, skipped] = m.slice(2).map(Number) as [number, number, number, number, number];
    hosts[m[1]!] = { ok, changed, unreachable, failed, skipped };
  }
  return hosts;
}
