// `npm run bench`: the seed job run by runbook and by Ansible on identical fresh lab hosts, timed side by side (issue 6).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { labDown, labUp, seedHosts, type Lab } from '../src/lab/lab.js';
import { labHostsUsage, usageSince, type HostUsage } from './host-usage.js';
import { floorInvocation } from './floor.js';
import { measure, runWithLabs, type Measured } from './measure.js';
import { machine, median, sampleLines, tables, type Sample } from './report.js';
import { hostsRoot, warmRoot } from './page-cache.js';
import { HOST_PACKAGES, REPO, ansibleTool, freezeRunbook, parseRecap, runbookTool, type Invocation, type Tool } from './tools.js';

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2,12' },
    samples: { type: 'string', default: '3' },
    'lab-dir': { type: 'string', default: join(tmpdir(), 'runbook-bench') },
    // Labs b<N> on 10.79.N.0/24: apart from users' (10.77) and tests' (10.78) labs.
    'lab-index': { type: 'string', default: '0' },
    'no-build': { type: 'boolean', default: false },
    // Skips the apt/dpkg floor runs (bench/floor.ts) that show how much of a converge is dpkg's.
    'no-floor': { type: 'boolean', default: false },
    out: { type: 'string', default: join(REPO, 'bench/results') },
  },
});
const sizes = opts.sizes.split(',').map(Number);
const samplesPerFigure = Number(opts.samples);
const labIndex = Number(opts['lab-index']);
const labRoot = opts['lab-dir'];
const scratch = join(labRoot, 'scratch');

function preflight(): void {
  if (process.getuid?.() !== 0) throw new Error('the bench starts lab hosts (network namespaces, containers): run it as root');
  if (sizes.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(samplesPerFigure) || samplesPerFigure < 1) {
    throw new Error('--sizes takes web host counts such as 2,12 and --samples a positive count');
  }
  const ansible = spawnSync('ansible-doc', ['-t', 'module', 'community.general.ufw'], { encoding: 'utf8' });
  if (ansible.error || ansible.status !== 0) throw new Error('ansible-playbook with community.general is needed: run bench/setup (apt-get install ansible)');
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (apt-get install time)');
  if (!opts['no-build']) {
    console.log('building runbook (npm run build)');
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'inherit' });
  }
}

const live = new Set<string>();

async function withLab<T>(index: number, webCount: number, use: (lab: Lab) => Promise<T>): Promise<T> {
  const dir = join(labRoot, `b${index}`);
  live.add(dir);
  try {
    const lab = await labUp({
      name: `b${index}`,
      dir,
      subnet: `10.79.${index}.0/24`,
      hosts: seedHosts(webCount),
      extraPackages: HOST_PACKAGES,
      log: (l) => (l.startsWith('  ') ? undefined : console.log(`    [lab] ${l}`)),
    });
    return await use(lab);
  } finally {
    await labDown({ dir });
    live.delete(dir);
  }
}

/** Fails the whole bench on a run that did not do the job: a timing of a failing run is worthless. */
function verify(tool: Tool, phase: Sample['phase'], m: Measured, lab: Lab): number {
  const recap = parseRecap(m.stdout);
  // The failure lines (both tools print Ansible's "fatal: [host]: FAILED!") with what follows them, then the end of the output.
  const lines = m.stdout.split('\n');
  const failures = lines.flatMap((l, i) => (/^(fatal|failed): \[/.test(l) ? lines.slice(i, i + 12) : []));
  const tail = `\n--- failures ---\n${failures.join('\n')}\n--- last output ---\n${lines.slice(-25).join('\n')}\n${m.stderr.split('\n').slice(-20).join('\n')}`;
  if (m.code !== 0) throw new Error(`${tool.name} ${phase} exited ${m.code}${tail}`);
  const missing = lab.hosts.map((h) => h.name).filter((h) => !recap[h]);
  if (missing.length) throw new Error(`${tool.name} ${phase}: no PLAY RECAP line for ${missing.join(', ')}${tail}`);
  let changed = 0;
  for (const [host, c] of Object.entries(recap)) {
    if (c.failed || c.unreachable) throw new Error(`${tool.name} ${phase}: ${host} failed=${c.failed} unreachable=${c.unreachable}${tail}`);
    if (phase === 'converge' && c.changed === 0) throw new Error(`${tool.name} converge changed nothing on the fresh host ${host}${tail}`);
    if (phase === 'noop' && c.changed !== 0) throw new Error(`${tool.name} no-op re-run changed ${c.changed} on ${host}: the job is not idempotent${tail}`);
    changed += c.changed;
  }
  return changed;
}

async function oneSample(tool: Tool, index: number, webCount: number, sample: number): Promise<Sample[]> {
  return withLab(index, webCount, async (lab) => {
    const out: Sample[] = [];
    for (const phase of ['converge', 'noop'] as const) {
      const run = `${tool.name}-${webCount}-${sample}-${phase}`;
      const { m, load1, host } = await measured(await tool.invocation(lab, scratch, run), run, lab);
      const changed = verify(tool, phase, m, lab);
      console.log(
        `  ${tool.name.padEnd(8)} ${webCount} web, sample ${sample}, ${phase.padEnd(8)}: ${m.wallS.toFixed(2)} s wall, ` +
          `${m.cpuS.toFixed(2)} s CPU (time: ${m.timeCpuS.toFixed(2)} s), changed=${changed}, load ${load1.toFixed(1)}, ${hostLine(host)}`,
      );
      out.push({ size: webCount, tool: tool.name, sample, phase, wallS: m.wallS, cpuS: m.cpuS, timeCpuS: m.timeCpuS, maxRssMb: m.maxRssMb, changed, hosts: lab.hosts.length, load1, host });
    }
    return out;
  });
}

function hostLine(h: HostUsage): string {
  return `hosts: ${h.cpuS.toFixed(1)} s CPU, waited ${h.cpuWaitS.toFixed(1)} s for a core, ${h.ioWaitS.toFixed(1)} s for the disk`;
}

/** Runs one measured command on `lab` and keeps its output in scratch; the load average is read as it starts. */
async function measured(inv: Invocation, run: string, lab: Lab): Promise<{ m: Measured; load1: number; host: HostUsage }> {
  // The previous run's dirty pages are written out now, not during this run.
  execFileSync('sync');
  const load1 = loadavg()[0]!;
  const before = await labHostsUsage(lab);
  const m = await measure(inv.cmd, inv.args, { cwd: inv.cwd, env: inv.env, scratch });
  const host = usageSince(before, await labHostsUsage(lab));
  await writeFile(join(scratch, `${run}.log`), `${m.stdout}\n--- stderr ---\n${m.stderr}`);
  for (const d of inv.scratchDirs ?? []) await rm(d, { recursive: true, force: true });
  return { m, load1, host };
}

/** The apt/dpkg floor on fresh hosts of the same lab root (bench/floor.ts); converge only, since a re-run installs nothing. */
async function floorSample(index: number, webCount: number, sample: number): Promise<Sample[]> {
  return withLab(index, webCount, async (lab) => {
    const run = `apt-${webCount}-${sample}-converge`;
    const { m, load1, host } = await measured(await floorInvocation(lab, scratch, run), run, lab);
    if (m.code !== 0) throw new Error(`the apt-get floor run exited ${m.code}:\n${m.stdout}\n${m.stderr}`);
    console.log(`  apt      ${webCount} web, sample ${sample}, floor   : ${m.wallS.toFixed(2)} s wall, ${m.cpuS.toFixed(2)} s CPU, load ${load1.toFixed(1)}, ${hostLine(host)}`);
    return [{ size: webCount, tool: 'apt', sample, phase: 'converge', wallS: m.wallS, cpuS: m.cpuS, timeCpuS: m.timeCpuS, maxRssMb: m.maxRssMb, changed: 0, hosts: lab.hosts.length, load1, host }];
  });
}

/** Task counts as each tool lists them, to show the two jobs are the same size. */
function taskCounts(): string {
  const rb = execFileSync(process.execPath, [join(scratch, 'runbook/bin/runbook.js'), 'apply', 'playbooks/site.yml', '--list-tasks', '-i', 'inventory/production.yml'], { cwd: REPO, encoding: 'utf8' });
  const an = execFileSync('ansible-playbook', ['--list-tasks', '-i', 'localhost,', join(REPO, 'bench/ansible/site.yml')], {
    cwd: join(REPO, 'bench/ansible'),
    encoding: 'utf8',
    // -i localhost, matches no redis or web host: Ansible warns on stderr, which is not for people here.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ANSIBLE_CONFIG: join(REPO, 'bench/ansible/ansible.cfg') },
  });
  const rbCount = rb.split('\n').filter((l) => /^ {4}\S/.test(l)).length;
  const anCount = an.split('\n').filter((l) => /^ {6}\S.*\tTAGS: \[/.test(l)).length;
  return `tasks: runbook ${rbCount} (runbook apply --list-tasks), Ansible ${anCount} (ansible-playbook --list-tasks)`;
}

async function main(): Promise<void> {
  preflight();
  await mkdir(scratch, { recursive: true });
  await freezeRunbook(join(scratch, 'runbook'));
  const counts = taskCounts();
  console.log(counts);
  // The hosts' root is read once now: else the first measured run alone waits for the disk (bench/page-cache.ts).
  warmRoot(await hostsRoot(HOST_PACKAGES));
  const samples: Sample[] = [];
  const tools = [runbookTool, ansibleTool];
  let failure: string | undefined;
  try {
    for (const webCount of sizes) {
      for (let sample = 1; sample <= samplesPerFigure; sample++) {
        // Alternate the order (the floor's place too), so a slow spell of the machine does not always hit the same run.
        const runs: Array<() => Promise<Sample[]>> = [
          ...tools.map((tool, i) => () => oneSample(tool, labIndex + i, webCount, sample)),
          ...(opts['no-floor'] ? [] : [() => floorSample(labIndex + tools.length, webCount, sample)]),
        ];
        for (const run of sample % 2 ? runs : [...runs].reverse()) samples.push(...(await run()));
      }
    }
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  const date = new Date().toISOString().slice(0, 10);
  const body = [
    `# runbook vs Ansible, seed job (${date})`,
    '',
    ...(failure ? [`**The bench stopped on a failed run; the figures below are incomplete.**`, '', '```', failure.split('\n').slice(0, 40).join('\n'), '```', ''] : []),
    machine(),
    `- ${counts}`,
    `- ${samplesPerFigure} sample(s) per figure, tools alternating; each run on fresh lab hosts of the same root (python3, python3-apt added for Ansible), read into the page cache before the first run`,
    '- controller CPU: user+sys of every process the run started, from a cgroup of its own (Ansible\'s ssh masters included)',
    '',
    tables(samples),
    '## Every sample',
    '',
    sampleLines(samples),
    '',
  ].join('\n');
  await mkdir(opts.out, { recursive: true });
  // A second run on the same day gets its own file.
  let file = join(opts.out, `${date}.md`);
  for (let n = 2; existsSync(file); n++) file = join(opts.out, `${date}-${n}.md`);
  await writeFile(file, body);
  if (failure) throw new Error(`${failure}\n(partial results written to ${file})`);
  console.log(`\n${tables(samples)}\nwritten to ${file}`);
  const noop = (tool: Sample['tool'], size: number): number => median(samples.filter((s) => s.tool === tool && s.size === size && s.phase === 'noop').map((s) => s.wallS));
  for (const size of sizes) console.log(`no-op, ${size} web: Ansible / runbook = ${(noop('ansible', size) / noop('runbook', size)).toFixed(1)}x`);
}

await runWithLabs(main, live, 'the bench labs');
