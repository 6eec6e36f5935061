// `npm run bench:quick`: the figures of a no-op run that do not depend on the machine (round trips and
// host processes per unchanged task) and the CPU ones that do, on a small lab, checked against
// bench/results/quick.json (bench/quick-guard.ts). `-- --update` rewrites that file instead of checking.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { labDown, labUp, type Lab } from '../src/lab/lab.js';
import { measure, runWithLabs, stopRunning } from './measure.js';
import { compareQuick, COUNT_TOLERANCE, CPU_TOLERANCE, type QuickFigures } from './quick-guard.js';
import { median } from './report.js';
import { SCALE_PLAYBOOK, countRoundTrips, hostSpecs, taskCount, verify, type RoundTrips } from './scale.js';
import { REPO } from './tools.js';

const RESULTS = join(REPO, 'bench/results/quick.json');
const BIN = join(REPO, 'bin/runbook.js');

const { values: opts } = parseArgs({
  options: {
    hosts: { type: 'string', default: '3' },
    // Lab q<N> on 10.85.N.0/24 (10.81.0.0/22 is the light lab's), apart from the tests' (10.78), bench/run.ts's (10.79) and bench/scale.ts's (10.80).
    'lab-index': { type: 'string', default: process.env.RUNBOOK_TEST_LAB_INDEX ?? '0' },
    'work-dir': { type: 'string', default: join(tmpdir(), 'runbook-bench-quick') },
    'no-build': { type: 'boolean', default: false },
    update: { type: 'boolean', default: false },
  },
});
const hosts = Number(opts.hosts);
const labIndex = Number(opts['lab-index']);
const scratch = join(opts['work-dir'], 'scratch');
const env = { ...process.env, NO_COLOR: '1' };
const live = new Set<string>();

/**
 * A host's pid counter, read inside its pid namespace: `nsenter -p` forks once into the namespace and
 * that child (cat) reads /proc/loadavg, whose last field is the namespace's last allocated pid (the
 * kernel uses the reader's namespace, whichever /proc it reads). The read costs exactly one pid there.
 * Threads take pids too, so this counts processes and threads; the probes' shells start no threads.
 */
function pidCounter(lab: Lab): (host: string) => Promise<number> {
  const own = readlinkSync('/proc/self/ns/pid');
  const run = promisify(execFile);
  return async (name) => {
    const host = lab.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`no lab host ${name}`);
    // host.pid is the shell that supervises systemd-nspawn (it restarts it when the container reboots), in
    // our namespace; the container's init is the first descendant in a pid namespace of its own.
    const init = initBelow(host.pid, own);
    if (!init) throw new Error(`lab host ${name}: no process below the lab host's pid ${host.pid} in a pid namespace of its own`);
    const { stdout } = await run('nsenter', ['-t', init, '-p', 'cat', '/proc/loadavg']);
    const last = Number(stdout.trim().split(/\s+/).pop());
    if (!Number.isInteger(last)) throw new Error(`unexpected /proc/loadavg in ${name}: ${stdout}`);
    return last;
  };
}

/** The first process below `pid` (breadth first) whose pid namespace is not `own`. */
function initBelow(pid: number, own: string): string | undefined {
  const queue = [String(pid)];
  for (let seen = 0; queue.length > 0 && seen < 64; seen++) {
    const p = queue.shift()!;
    let children: string[] = [];
    try {
      children = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    } catch {
      continue;
    }
    for (const c of children) {
      try {
        if (readlinkSync(`/proc/${c}/ns/pid`) !== own) return c;
      } catch {
        continue;
      }
      queue.push(c);
    }
  }
  return undefined;
}

/** Median CPU (user+sys of the whole process tree, from a cgroup) of `runbook args`, over `samples` runs. */
async function cliCpu(args: string[], samples: number): Promise<number> {
  const cpu: number[] = [];
  for (let i = 0; i < samples; i++) {
    const m = await measure(process.execPath, [BIN, ...args], { cwd: REPO, env, scratch });
    if (m.code !== 0) throw new Error(`runbook ${args.join(' ')} exited ${m.code}:\n${m.stdout}\n${m.stderr}`);
    cpu.push(m.cpuS);
  }
  return median(cpu);
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench:quick starts lab hosts (network namespaces, containers): run it as root');
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (apt-get install time)');
  if (!Number.isInteger(hosts) || hosts < 1 || hosts > 20 || !Number.isInteger(labIndex) || labIndex < 0 || labIndex > 255) {
    throw new Error('--hosts takes 1 to 20 and --lab-index 0 to 255');
  }
  if (!opts['no-build']) execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'inherit' });
  await mkdir(scratch, { recursive: true });
  const tasks = taskCount();

  const startupCpuS = await cliCpu(['--version'], 5);
  // --syntax-check needs an inventory; a one-host file keeps it from reading the repo's runbook.cfg one.
  const inventory = join(scratch, 'syntax-inventory.yml');
  await writeFile(inventory, 'all:\n  hosts:\n    node1: {}\n');
  const syntaxCheckCpuS = await cliCpu(['apply', SCALE_PLAYBOOK, '--syntax-check', '-i', inventory, '-e', 'run_id=quick'], 3);
  console.log(`start-up CPU: runbook --version ${(startupCpuS * 1000).toFixed(0)} ms, --syntax-check of the bench playbook ${(syntaxCheckCpuS * 1000).toFixed(0)} ms`);

  const dir = join(opts['work-dir'], `q${labIndex}`);
  live.add(dir);
  let rt: RoundTrips;
  let counted: RoundTrips;
  let cliNoop: { wallS: number; cpuS: number };
  const noopCpu: number[] = [];
  try {
    const lab = await labUp({
      name: `q${labIndex}`,
      dir,
      subnet: `10.85.${labIndex}.0/24`,
      hosts: hostSpecs([hosts]),
      log: (l) => (l.startsWith('  ') ? undefined : console.log(`    [lab] ${l}`)),
    });
    const apply = ['apply', SCALE_PLAYBOOK, '-i', lab.inventoryFile, '-f', String(hosts), '-e', 'run_id=quick'];
    for (const phase of ['converge', 'noop'] as const) {
      const m = await measure(process.execPath, [BIN, ...apply], { cwd: scratch, env, scratch });
      await writeFile(join(scratch, `${phase}.log`), `${m.stdout}\n--- stderr ---\n${m.stderr}`);
      verify(phase, m, hosts);
      console.log(`${phase.padEnd(8)} (CLI, ${hosts} hosts x ${tasks} tasks): ${m.wallS.toFixed(2)} s wall, ${m.cpuS.toFixed(2)} s CPU`);
      if (phase === 'noop') cliNoop = m;
    }
    // Two more no-op runs: the apply start-up figure is a difference of CPU times, so it takes a median.
    noopCpu.push(cliNoop!.cpuS);
    for (let i = 0; i < 2; i++) {
      const m = await measure(process.execPath, [BIN, ...apply], { cwd: scratch, env, scratch });
      verify('noop', m, hosts);
      noopCpu.push(m.cpuS);
    }
    // Counted run: the pid reads cost controller CPU, so the CPU figure comes from the plain runs after it.
    const probes: string[] = [];
    const onExec = (host: string, task: string, script: string, spawned: number | undefined): void => {
      if (host === 'node1') probes.push(`### ${task}: ${spawned} process(es)\n${script}\n`);
    };
    counted = await countRoundTrips(lab, hosts, 'quick', { pidCounter: pidCounter(lab), onExec });
    // Each command node1 ran, with its process count: what docs/performance.md's breakdown is read from.
    await writeFile(join(scratch, 'probes-node1.txt'), probes.join('\n'));
    const plain = [await countRoundTrips(lab, hosts, 'quick'), await countRoundTrips(lab, hosts, 'quick')];
    rt = plain.reduce((a, b) => (a.cpuS <= b.cpuS ? a : b));
  } finally {
    await stopRunning();
    // The lab's dir holds its private key: delete it once the lab is down (a lab that would not stop keeps it).
    await labDown({ dir })
      .then(() => rm(dir, { recursive: true, force: true }))
      .catch((e: unknown) => console.error(`lab teardown failed for ${dir}: ${String(e)}`));
    live.delete(dir);
  }

  const spawned = counted.spawned!;
  const now: QuickFigures = {
    roundTripsPerTask: counted.perTaskMean,
    hostProcessesPerTask: spawned.perTaskMean,
    cpuMsPerHostTask: (rt.cpuS * 1000) / (hosts * tasks),
    startupCpuS,
    syntaxCheckCpuS,
    applyStartupCpuS: Math.max(0, median(noopCpu) - rt.cpuS),
  };
  console.log(
    [
      '',
      `no-op re-run of bench/scale/playbook.yml on ${hosts} lab hosts, ${tasks} tasks each:`,
      `  round trips per unchanged task:        ${now.roundTripsPerTask.toFixed(2)} (min ${counted.perTaskMin}, max ${counted.perTaskMax}; + ${counted.lockPerHost} per host for the run lock)`,
      `  host processes per unchanged task:     ${now.hostProcessesPerTask.toFixed(2)} (mean; median ${spawned.perTaskMedian}, min ${spawned.perTaskMin}, max ${spawned.perTaskMax})`,
      ...Object.entries(spawned.byTask).map(([task, n]) => `      ${String(n).padStart(3)}  ${task}`),
      `  controller CPU per host-task:          ${now.cpuMsPerHostTask.toFixed(2)} ms (in-process re-run, no Node start)`,
      `  start-up CPU (runbook --version):      ${(startupCpuS * 1000).toFixed(0)} ms`,
      `  --syntax-check CPU:                    ${(syntaxCheckCpuS * 1000).toFixed(0)} ms`,
      `  apply start-up CPU:                    ${(now.applyStartupCpuS * 1000).toFixed(0)} ms (CLI no-op median ${(median(noopCpu) * 1000).toFixed(0)} ms minus the in-process re-run ${(rt.cpuS * 1000).toFixed(0)} ms)`,
      `  CLI no-op: ${cliNoop!.wallS.toFixed(2)} s wall, ${cliNoop!.cpuS.toFixed(2)} s CPU`,
    ].join('\n'),
  );

  if (opts.update) {
    const record = {
      '//': 'Written by `npm run bench:quick -- --update`; bench/quick-guard.ts checks new runs against these figures.',
      date: new Date().toISOString(),
      machine: `${cpus().length} CPU(s), ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`,
      hosts,
      tasks,
      figures: Object.fromEntries(Object.entries(now).map(([k, v]) => [k, Number(v.toFixed(4))])),
      hostProcessesByTask: spawned.byTask,
    };
    await writeFile(RESULTS, `${JSON.stringify(record, null, 2)}\n`);
    console.log(`\nwritten to ${RESULTS}`);
    return;
  }
  const committed = (JSON.parse(readFileSync(RESULTS, 'utf8')) as { figures: Partial<QuickFigures> }).figures;
  const findings = compareQuick(committed, now);
  for (const f of findings) {
    const what = f.level === 'fail' ? `FAIL (counts may grow at most ${COUNT_TOLERANCE * 100}%)` : `warning (CPU bound ${1 + CPU_TOLERANCE}x: machines differ, so this does not fail)`;
    console.log(`${what}: ${f.figure} is ${f.now.toPrecision(3)}, committed ${f.committed.toPrecision(3)} in bench/results/quick.json`);
  }
  if (findings.some((f) => f.level === 'fail')) {
    console.log('A count regressed: find the change that added round trips or host processes, or, if it is worth it, commit new figures with `npm run bench:quick -- --update`.');
    process.exitCode = 1;
  } else console.log(`\nno regression against bench/results/quick.json`);
}

await runWithLabs(main, live, 'the quick bench lab');
