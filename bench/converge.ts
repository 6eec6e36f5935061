// `npm run bench:converge`: the seed job's first converge by this runbook, by an earlier build (--baseline),
// and the apt/dpkg floor, each on fresh lab hosts; what each spends above the floor. Runbook only, no Ansible,
// so a change to the converge path is measured in minutes on a small lab.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { labDown, labUp, seedHosts, type Lab } from '../src/lab/lab.js';
import { floorInvocation } from './floor.js';
import { measure, runWithLabs } from './measure.js';
import { median } from './report.js';
import { REPO, parseRecap, type Invocation } from './tools.js';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2' },
    samples: { type: 'string', default: '2' },
    // A built runbook tree (bin/, dist/, node_modules) to compare with: `git archive REV | tar -x -C DIR`, link node_modules, npx tsc.
    baseline: { type: 'string' },
    'lab-dir': { type: 'string', default: join(tmpdir(), 'runbook-bench-converge') },
    'lab-index': { type: 'string', default: process.env.RUNBOOK_TEST_LAB_INDEX ?? '0' },
    out: { type: 'string', default: join(REPO, 'bench/results') },
  },
});
const sizes = opts.sizes.split(',').map(Number);
const samples = Number(opts.samples);
const labIndex = Number(opts['lab-index']);
const scratch = join(opts['lab-dir'], 'scratch');
const live = new Set<string>();

type Run = { tool: string; size: number; sample: number; wallS: number; cpuS: number; load1: number };

function runbookAt(tree: string): (lab: Lab) => Invocation {
  return (lab) => ({ cmd: process.execPath, args: [join(tree, 'bin/runbook.js'), 'apply', join(REPO, 'playbooks/site.yml'), '-i', lab.inventoryFile], cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
}

async function onFreshLab(webCount: number, tool: string, invocation: (lab: Lab) => Promise<Invocation> | Invocation, sample: number): Promise<Run> {
  const dir = join(opts['lab-dir'], `c${labIndex}`);
  live.add(dir);
  try {
    const lab = await labUp({ name: `c${labIndex}`, dir, subnet: `10.79.${labIndex}.0/24`, hosts: seedHosts(webCount), log: () => undefined });
    execFileSync('sync');
    const load1 = loadavg()[0]!;
    const inv = await invocation(lab);
    const m = await measure(inv.cmd, inv.args, { cwd: inv.cwd, env: inv.env, scratch });
    await writeFile(join(scratch, `${tool}-${webCount}-${sample}.log`), `${m.stdout}\n--- stderr ---\n${m.stderr}`);
    if (m.code !== 0) throw new Error(`${tool} at ${webCount} web exited ${m.code}:\n${m.stdout.split('\n').slice(-30).join('\n')}\n${m.stderr}`);
    if (tool !== 'floor') {
      const recap = parseRecap(m.stdout);
      for (const h of lab.hosts) if (!recap[h.name] || recap[h.name]!.failed || recap[h.name]!.unreachable) throw new Error(`${tool}: ${h.name} did not converge`);
    }
    console.log(`  ${tool.padEnd(8)} ${webCount} web, sample ${sample}: ${m.wallS.toFixed(2)} s wall, ${m.cpuS.toFixed(2)} s CPU, load ${load1.toFixed(1)}`);
    return { tool, size: webCount, sample, wallS: m.wallS, cpuS: m.cpuS, load1 };
  } finally {
    await labDown({ dir });
    live.delete(dir);
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the bench starts lab hosts: run it as root');
  await mkdir(scratch, { recursive: true });
  const tools: Array<[string, (lab: Lab) => Promise<Invocation> | Invocation]> = [
    ['runbook', runbookAt(REPO)],
    ...(opts.baseline ? [['baseline', runbookAt(opts.baseline)] as [string, (lab: Lab) => Invocation]] : []),
    ['floor', (lab: Lab) => floorInvocation(lab, scratch, `floor-${Date.now()}`)],
  ];
  const runs: Run[] = [];
  for (const size of sizes) {
    for (let sample = 1; sample <= samples; sample++) {
      // Alternate the order, so a busy spell of the machine does not always fall on the same tool.
      const order = sample % 2 ? tools : [...tools].reverse();
      for (const [name, inv] of order) runs.push(await onFreshLab(size, name, inv, sample));
    }
  }
  const lines = ['| web hosts | tool | samples (wall s) | median wall s | above the floor | median CPU s |', '|---|---|---|---|---|---|'];
  for (const size of sizes) {
    const of = (tool: string) => runs.filter((r) => r.size === size && r.tool === tool);
    const floor = median(of('floor').map((r) => r.wallS));
    for (const [tool] of tools) {
      const w = median(of(tool).map((r) => r.wallS));
      lines.push(`| ${size} | ${tool} | ${of(tool).map((r) => r.wallS.toFixed(2)).join(', ')} | ${w.toFixed(2)} | ${tool === 'floor' ? '' : `${(w - floor).toFixed(2)} s`} | ${median(of(tool).map((r) => r.cpuS)).toFixed(2)} |`);
    }
  }
  const loads = runs.map((r) => r.load1);
  const table = `${lines.join('\n')}\n\nload average at the runs' start: ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}\n`;
  await mkdir(opts.out, { recursive: true });
  let file = join(opts.out, `converge-${new Date().toISOString().slice(0, 10)}.md`);
  for (let n = 2; existsSync(file); n++) file = file.replace(/(-\d+)?\.md$/, `-${n}.md`);
  await writeFile(file, `# First converge of the seed job above the apt/dpkg floor (bench/converge.ts)\n\n${table}`);
  console.log(`\n${table}\nwritten to ${file}`);
}

await runWithLabs(main, live, 'the bench lab');
