// The apt/dpkg floor of the seed job: only its apt-get installs, over plain ssh, in the plays' order.
// No tool can converge fresh hosts faster than this, so it shows how much of each tool's first
// converge is its own work and how much is dpkg's.
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Lab } from '../src/lab/lab.js';
import { REPO, type Invocation } from './tools.js';

/** Marks a line `stage time: PACKAGES<TAB>MS` of the floor's output: one stage's wall time. */
export const STAGE_MARK = 'stage time: ';

/** Each stage's wall time in seconds, by the task that installs the same packages, from the floor's output. */
export function floorStageTimes(stdout: string): Map<string, number> {
  const task = new Map(floorStages().map((s) => [s.packages.join(' '), s.task]));
  const out = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    if (!line.startsWith(STAGE_MARK)) continue;
    const [pkgs = '', ms] = line.slice(STAGE_MARK.length).split('\t');
    const name = task.get(pkgs);
    if (name && ms) out.set(name, Number(ms) / 1000);
  }
  return out;
}

/** One play's apt-get install: run on every host of `group` at once, the next stage after all finish. */
type Stage = { group: string; packages: string[]; /** The seed job's task that installs them (role : name, as runbook prints it). */ task: string };

function roleDefault(role: string, key: string): string[] {
  const defaults = parse(readFileSync(join(REPO, 'roles', role, 'defaults/main.yml'), 'utf8')) as Record<string, unknown>;
  const value = defaults[key];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`roles/${role}/defaults/main.yml: ${key} is not a list of package names`);
  return value;
}

/** The seed job's installs, in the order and on the hosts the playbook installs them (the role defaults name the packages). */
export function floorStages(): Stage[] {
  return [
    { group: 'all', packages: ['ufw'], task: 'firewall : install ufw' },
    { group: 'redis', packages: roleDefault('redis_server', 'redis_packages'), task: 'redis_server : install Redis' },
    { group: 'web', packages: roleDefault('php_web', 'php_web_nginx_packages'), task: 'php_web : install nginx and PHP-FPM' },
    { group: 'web', packages: roleDefault('php_redis_client', 'php_redis_packages'), task: 'php_redis_client : install phpredis and redis-tools' },
  ];
}

/**
 * The floor as a shell script: per stage one ssh per host in parallel, each running the apt-get both
 * tools run (the lists refreshed first, as cache_valid_time makes both do on fresh hosts, and the
 * same --force-confdef/--force-confold), then a check that every package is installed.
 */
export function floorScript(lab: Lab): string {
  const ssh = ['ssh', '-i', lab.keyFile, '-o', `UserKnownHostsFile=${lab.knownHostsFile}`, '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'].map((w) => `'${w}'`).join(' ');
  const lines = ['set -u', `rb_ssh() { ${ssh} "root@$1" "$2"; }`];
  // Both tools refresh the lists at a host's first apt task only (cache_valid_time): so does the floor.
  const updated = new Set<string>();
  for (const stage of floorStages()) {
    const hosts = lab.hosts.filter((h) => stage.group === 'all' || h.groups.includes(stage.group));
    const pkgs = stage.packages.join(' ');
    lines.push(`echo "stage: ${pkgs} on ${hosts.map((h) => h.name).join(' ')}"`, 'rb_t0=$(date +%s%N)', 'pids=');
    for (const h of hosts) {
      const update = updated.has(h.name) ? '' : 'apt-get -q update >/dev/null && ';
      const cmd = `export DEBIAN_FRONTEND=noninteractive; ${update}apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install ${pkgs} >/dev/null && dpkg-query -W -f='\${Status}\\n' ${pkgs} | grep -vq 'install ok installed' && exit 3; exit 0`;
      lines.push(`rb_ssh ${h.address} "${cmd.replace(/["$\\`]/g, '\\$&')}" & pids="$pids $!"`);
    }
    lines.push('for p in $pids; do wait "$p" || { echo "apt-get failed on a host" >&2; exit 1; }; done');
    // Each stage's wall time, to set beside the tool's own install task for the same packages.
    lines.push(`echo "${STAGE_MARK}${pkgs}\t$(( ($(date +%s%N) - rb_t0) / 1000000 ))"`);
    for (const h of hosts) updated.add(h.name);
  }
  lines.push('echo "floor done"');
  return `${lines.join('\n')}\n`;
}

/** How the bench runs the floor against `lab` (a script in scratch, run by sh). */
export async function floorInvocation(lab: Lab, scratch: string, run: string): Promise<Invocation> {
  const file = join(scratch, `${run}.sh`);
  await writeFile(file, floorScript(lab));
  return { cmd: 'sh', args: [file], cwd: REPO, env: { ...process.env, LC_ALL: 'C' }, scratchDirs: [file] };
}
