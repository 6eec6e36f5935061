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
import { aptCounts, countsLine, countsSince, type AptCounts } from './host-logs.js';
import { labHostsUsage, usageSince, type HostUsage } from './host-usage.js';
import { floorInvocation, floorStageTimes, floorStages } from './floor.js';
import { measure, runWithLabs } from './measure.js';
import { median } from './report.js';
import { evictRoot, hostsRoot, warmRoot } from './page-cache.js';
import { HOST_PACKAGES, REPO, parseRecap, type Invocation } from './tools.js';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2' },
    samples: { type: 'string', default: '2' },
    // A built runbook tree (bin/, dist/, node_modules) to compare with: `git archive REV | tar -x -C DIR`, link node_modules, npx tsc.
    baseline: { type: 'string' },
    'lab-dir': { type: 'string', default: join(tmpdir(), 'runbook-bench-converge') },
    'lab-index': { type: 'string', default: process.env.RUNBOOK_TEST_LAB_INDEX ?? '0' },
    // Drops the hosts' root from the page cache before each run, as on the first run after a while: shows what a cold root costs.
    cold: { type: 'boolean', default: false },
    out: { type: 'string', default: join(REPO, 'bench/results') },
  },
});
const sizes = opts.sizes.split(',').map(Number);
const samples = Number(opts.samples);
const labIndex = Number(opts['lab-index']);
const scratch = join(opts['lab-dir'], 'scratch');
const live = new Set<string>();

/** `installs`: each install task's time (the floor's stage, or runbook's slowest host on that task), by task name. */
/** `host`: what the run asked of the lab hosts (CPU) and how long they stalled for a core or the disk (bench/host-usage.ts). */
/** `apt`: what apt and dpkg did on the hosts, counted from their logs (bench/host-logs.ts). */
type Run = { tool: string; size: number; sample: number; wallS: number; cpuS: number; host: HostUsage; apt: AptCounts; load1: number; installs: Map<string, number> };

/** runbook's SLOWEST TASKS lines after the recap (`role : task [host] ---- 12.34s`): each task's slowest host, in seconds. */
function slowestTasks(stdout: string): Map<string, number> {
  const out = new Map<string, number>();
  const at = stdout.lastIndexOf('SLOWEST TASKS');
  if (at < 0) return out;
  for (const line of stdout.slice(at).split('\n')) {
    const m = /^(.+?) \[[^\]]+\] -{3,} ([\d.]+)s$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

function runbookAt(tree: string): (lab: Lab) => Invocation {
  return (lab) => ({ cmd: process.execPath, args: [join(tree, 'bin/runbook.js'), 'apply', join(REPO, 'playbooks/site.yml'), '-i', lab.inventoryFile], cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
}

async function onFreshLab(webCount: number, tool: string, invocation: (lab: Lab) => Promise<Invocation> | Invocation, sample: number): Promise<Run> {
  const dir = join(opts['lab-dir'], `c${labIndex}`);
  live.add(dir);
  try {
    if (opts.cold) evictRoot(await hostsRoot(HOST_PACKAGES));
    // The root `npm run bench` uses, so the floor here is the floor there.
    const lab = await labUp({ name: `c${labIndex}`, dir, subnet: `10.79.${labIndex}.0/24`, hosts: seedHosts(webCount), extraPackages: HOST_PACKAGES, log: () => undefined });
    execFileSync('sync');
    const load1 = loadavg()[0]!;
    const inv = await invocation(lab);
    const [before, aptBefore] = [await labHostsUsage(lab), await aptCounts(lab)];
    const m = await measure(inv.cmd, inv.args, { cwd: inv.cwd, env: inv.env, scratch });
    const host = usageSince(before, await labHostsUsage(lab));
    const apt = countsSince(aptBefore, await aptCounts(lab));
    await writeFile(join(scratch, `${tool}-${webCount}-${sample}.log`), `${m.stdout}\n--- stderr ---\n${m.stderr}`);
    if (m.code !== 0) throw new Error(`${tool} at ${webCount} web exited ${m.code}:\n${m.stdout.split('\n').slice(-30).join('\n')}\n${m.stderr}`);
    if (tool !== 'floor') {
      const recap = parseRecap(m.stdout);
      for (const h of lab.hosts) if (!recap[h.name] || recap[h.name]!.failed || recap[h.name]!.unreachable) throw new Error(`${tool}: ${h.name} did not converge`);
    }
    console.log(`  ${tool.padEnd(8)} ${webCount} web, sample ${sample}: ${m.wallS.toFixed(2)} s wall, ${m.cpuS.toFixed(2)} s CPU, host CPU ${host.cpuS.toFixed(2)} s, waited ${host.cpuWaitS.toFixed(2)} s for a core and ${host.ioWaitS.toFixed(2)} s for the disk; ${countsLine(apt)}; load ${load1.toFixed(1)}`);
    const installs = tool === 'floor' ? floorStageTimes(m.stdout) : slowestTasks(m.stdout);
    return { tool, size: webCount, sample, wallS: m.wallS, cpuS: m.cpuS, host, apt, load1, installs };
  } finally {
    await labDown({ dir });
    live.delete(dir);
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the bench starts lab hosts: run it as root');
  await mkdir(scratch, { recursive: true });
  // Else the first run alone would wait for the disk (bench/page-cache.ts).
  if (!opts.cold) warmRoot(await hostsRoot(HOST_PACKAGES));
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
  const lines = ['| web hosts | tool | samples (wall s) | median wall s | above the floor | median CPU s | median host CPU s | median host wait for a core, s | median host wait for the disk, s |', '|---|---|---|---|---|---|---|---|---|'];
  for (const size of sizes) {
    const of = (tool: string) => runs.filter((r) => r.size === size && r.tool === tool);
    const floor = median(of('floor').map((r) => r.wallS));
    for (const [tool] of tools) {
      const w = median(of(tool).map((r) => r.wallS));
      lines.push(`| ${size} | ${tool} | ${of(tool).map((r) => r.wallS.toFixed(2)).join(', ')} | ${w.toFixed(2)} | ${tool === 'floor' ? '' : `${(w - floor).toFixed(2)} s`} | ${median(of(tool).map((r) => r.cpuS)).toFixed(2)} | ${median(of(tool).map((r) => r.host.cpuS)).toFixed(2)} | ${median(of(tool).map((r) => r.host.cpuWaitS)).toFixed(2)} | ${median(of(tool).map((r) => r.host.ioWaitS)).toFixed(2)} |`);
    }
  }
  // Where a gap comes from: each install task beside the floor's apt-get of the same packages on the same hosts.
  const names = tools.map(([t]) => t);
  lines.push('', `| web hosts | install task (median s) | ${names.join(' | ')} |`, `|---|---|${names.map(() => '---|').join('')}`);
  for (const size of sizes) {
    for (const { task } of floorStages()) {
      const cell = (tool: string) => {
        const xs = runs.filter((r) => r.size === size && r.tool === tool).map((r) => r.installs.get(task)).filter((x): x is number => x !== undefined);
        return xs.length ? median(xs).toFixed(2) : '-';
      };
      lines.push(`| ${size} | ${task} | ${names.map(cell).join(' | ')} |`);
    }
  }
  const loads = runs.map((r) => r.load1);
  const every = runs.map((r) => `| ${r.size} | ${r.tool} | ${r.sample} | ${r.wallS.toFixed(2)} | ${r.cpuS.toFixed(2)} | ${r.host.cpuS.toFixed(2)} | ${r.host.cpuWaitS.toFixed(2)} | ${r.host.ioWaitS.toFixed(2)} | ${countsLine(r.apt)} | ${r.load1.toFixed(1)} | ${floorStages().map(({ task }) => `${task.replace(/^.* : /, '')} ${r.installs.get(task)?.toFixed(1) ?? '-'}`).join(', ')} |`);
  const table = [
    lines.join('\n'),
    '',
    opts.cold ? 'the hosts\' root was dropped from the page cache before each run (--cold)' : 'the hosts\' root was read into the page cache before the first run',
    `load average at the runs' start: ${Math.min(...loads).toFixed(1)} to ${Math.max(...loads).toFixed(1)}`,
    '',
    '| web hosts | tool | sample | wall s | CPU s | host CPU s | host wait for a core, s | host wait for the disk, s | on the hosts (apt and dpkg logs) | load at start | install tasks, s |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...every,
    '',
  ].join('\n');
  await mkdir(opts.out, { recursive: true });
  // A second run on the same day gets its own file (converge-DATE-2.md, ...).
  const base = join(opts.out, `converge-${new Date().toISOString().slice(0, 10)}`);
  let file = `${base}.md`;
  for (let n = 2; existsSync(file); n++) file = `${base}-${n}.md`;
  await writeFile(file, `# First converge of the seed job above the apt/dpkg floor (bench/converge.ts)\n\n${table}`);
  console.log(`\n${table}\nwritten to ${file}`);
}

await runWithLabs(main, live, 'the bench lab');
