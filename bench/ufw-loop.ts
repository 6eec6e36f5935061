// `npm run bench:ufw-loop`: the cost of the seed job's biggest ufw loop alone (the Redis host's rule per web
// host), on one lab host, by this runbook and by an earlier build (--baseline): the part of the first converge
// that grows with the web host count, measured without dpkg's noise around it.
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { labDown, labUp, type Lab } from '../src/lab/lab.js';
import { measure, runWithLabs } from './measure.js';
import { median } from './report.js';
import { REPO } from './tools.js';

const { values: opts } = parseArgs({
  options: {
    rules: { type: 'string', default: '12' },
    samples: { type: 'string', default: '3' },
    baseline: { type: 'string' },
    'lab-dir': { type: 'string', default: join(tmpdir(), 'runbook-bench-ufw') },
    'lab-index': { type: 'string', default: process.env.RUNBOOK_TEST_LAB_INDEX ?? '0' },
  },
});
const rules = Number(opts.rules);
const samples = Number(opts.samples);
const labIndex = Number(opts['lab-index']);
const scratch = join(opts['lab-dir'], 'scratch');
const live = new Set<string>();

async function apply(tree: string, lab: Lab, playbook: string): Promise<{ wallS: number; cpuS: number }> {
  const m = await measure(process.execPath, [join(tree, 'bin/runbook.js'), 'apply', playbook, '-i', lab.inventoryFile], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' }, scratch });
  if (m.code !== 0) throw new Error(`runbook (${tree}) exited ${m.code}:\n${m.stdout.split('\n').slice(-30).join('\n')}\n${m.stderr}`);
  return { wallS: m.wallS, cpuS: m.cpuS };
}

function ssh(lab: Lab, script: string): void {
  const h = lab.hosts[0]!;
  execFileSync('ssh', ['-i', lab.keyFile, '-o', `UserKnownHostsFile=${lab.knownHostsFile}`, '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', `root@${h.address}`, script], { stdio: 'ignore' });
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the bench starts a lab host: run it as root');
  await mkdir(scratch, { recursive: true });
  const dir = join(opts['lab-dir'], `u${labIndex}`);
  live.add(dir);
  const lab = await labUp({ name: `u${labIndex}`, dir, subnet: `10.79.${labIndex}.0/24`, hosts: [{ name: 'redis1', groups: ['redis'] }], log: () => undefined });
  const file = (name: string, tasks: unknown[]) => {
    const path = join(scratch, `${name}.yml`);
    return writeFile(path, stringify([{ name, hosts: 'all', gather_facts: false, tasks }])).then(() => path);
  };
  await apply(REPO, lab, await file('ufw-package', [{ name: 'ufw', apt: { name: 'ufw' } }]));
  // The role's task: one allow from each web server's address to Redis's port, as at `rules` web hosts.
  const loop = await file('ufw-loop', [{
    name: 'allow Redis from each web server',
    ufw: { rule: 'allow', port: '6379', proto: 'tcp', from_ip: '{{ item }}' },
    loop: Array.from({ length: rules }, (_, i) => `10.77.0.${12 + i}`),
  }]);
  const trees: Array<[string, string]> = [['runbook', REPO], ...(opts.baseline ? [['baseline', opts.baseline] as [string, string]] : [])];
  const runs: Array<{ tool: string; wallS: number; cpuS: number; load1: number }> = [];
  for (let sample = 1; sample <= samples; sample++) {
    for (const [tool, tree] of sample % 2 ? trees : [...trees].reverse()) {
      ssh(lab, 'ufw --force reset >/dev/null; sync');
      const load1 = loadavg()[0]!;
      const r = await apply(tree, lab, loop);
      console.log(`  ${tool.padEnd(8)} ${rules} rules, sample ${sample}: ${r.wallS.toFixed(2)} s wall, ${r.cpuS.toFixed(2)} s controller CPU, load ${load1.toFixed(1)}`);
      runs.push({ tool, ...r, load1 });
    }
  }
  for (const [tool] of trees) {
    const w = runs.filter((r) => r.tool === tool).map((r) => r.wallS);
    console.log(`${tool}: median ${median(w).toFixed(2)} s for ${rules} rules (${w.map((x) => x.toFixed(2)).join(', ')})`);
  }
  await labDown({ dir });
  live.delete(dir);
}

await runWithLabs(main, live, 'the bench lab');
