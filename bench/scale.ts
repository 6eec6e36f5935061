// `npm run bench:scale`: one small playbook on growing numbers of lab hosts, to show how runbook's wall
// time, controller CPU and memory grow with hosts and tasks (issue 6: <= 2 ms CPU per host per task,
// < 1 MB of controller memory per host). Runs the compiled CLI: it builds first unless --no-build.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { labDown, labUp, lightLabUp, type Lab, type LabHostSpec } from '../src/lab/lab.js';
import { inventoryYaml } from '../src/lab/inventory.js';
import { MAX_LIGHT_HOSTS } from '../src/lab/light/names.js';
import { scaleSvg, type CurvePoint } from './scale-svg.js';
import { buildContext } from '../src/cli/wiring.js';
import { defaultRunOptions } from '../src/executor/options.js';
import { runPlaybook } from '../src/executor/run-playbook.js';
import { loadInventory } from '../src/inventory/load.js';
import { loadPlaybook } from '../src/playbook/load.js';
import { ConnectionPool, openTransport } from '../src/transport/pool.js';
import type { Transport } from '../src/transport/types.js';
import { measure, runWithLabs, stopRunning, type Measured } from './measure.js';
import { median } from './report.js';
import { REPO, parseRecap } from './tools.js';

export const SCALE_PLAYBOOK = join(REPO, 'bench/scale/playbook.yml');

export type ScaleOptions = {
  /** Host counts to run on, e.g. [10, 25, 50]; one lab of the largest serves all (--limit picks the first N). */
  sizes: number[];
  /** Converge + no-op pairs per size. */
  samples: number;
  /** Where the lab (s<index>) and the run logs go. */
  workDir: string;
  /** Lab s<index> on 10.80.<index>.0/24: apart from users' (10.77), tests' (10.78) and bench/run.ts's (10.79) labs. */
  labIndex: number;
  /**
   * Light lab (docs/lab.md): sshd-only hosts behind one sshd, up to 1,012, on 10.86.(4i).0/22 for lab
   * index i; the full lab (systemd hosts, at most 243) otherwise.
   */
  light?: boolean;
  /** Writes a V8 CPU profile of the runbook process of the last no-op run on the largest size into this dir. */
  cpuProfDir?: string;
  log?: (line: string) => void;
};

export type ScaleSample = {
  hosts: number;
  sample: number;
  phase: 'converge' | 'noop';
  wallS: number;
  /** user+sys of the runbook process (and anything it started), from its own cgroup. */
  cpuS: number;
  /** Peak RSS of the runbook process, MB (/usr/bin/time %M). */
  maxRssMb: number;
  changed: number;
  /** SSH handshakes the server dropped and runbook retried (connect pacing, "[ssh] N handshake(s)" on stderr). */
  retries: number;
};

/** What one no-op re-run sent over SSH, counted in-process around the real transport. */
export type RoundTrips = {
  hosts: number;
  /** Commands per host per task (the probe and any step), min and max over hosts and tasks; 0 for a task whose probe was read ahead with an earlier one's. */
  perTaskMin: number;
  perTaskMax: number;
  /** Commands per host that belong to the run, not a task: the run lock's holder and its release. */
  lockPerHost: number;
  /** SSH connections opened per host. */
  connectionsPerHost: number;
  /** Most commands in flight at once on one connection (the lock holder included); sshd's MaxSessions is 10. */
  maxInFlight: number;
  /** Commands per host-task, averaged over every host and task (a batch of probes counts once, for the task that sent it). */
  perTaskMean: number;
  /** Controller CPU (process.cpuUsage, user+sys) of the in-process re-run, in seconds: no Node start or imports in it. */
  cpuS: number;
  /** With a pid counter: processes started on the host per host-task (see RoundTripOptions.pidCounter). */
  spawned?: { perTaskMean: number; perTaskMedian: number; perTaskMin: number; perTaskMax: number; byTask: Record<string, number> };
};

export type RoundTripOptions = {
  /** The playbook re-run; default the scale playbook. */
  playbook?: string;
  /**
   * Reads a host's pid counter (its pid namespace's last pid), costing exactly one pid of its own there. When
   * given, it is read before and after each task command, so the command's processes are after - before - 1:
   * exact while the host runs nothing else (commands of one host run one at a time; the lock holder is
   * started before the first task and not counted).
   */
  pidCounter?: (host: string) => Promise<number>;
  /** Sees each task command with the processes it started (with a pidCounter): to show where they go. */
  onExec?: (host: string, task: string, script: string, spawned: number | undefined) => void;
};

export type ScaleResult = { samples: ScaleSample[]; tasks: number; roundTrips?: RoundTrips; markdown: string };

const LOCK_SCRIPT = /runbook-lock|^kill \d+ 2>\/dev\/null; while kill -0/;

/**
 * Re-runs the (converged) playbook in this process on `n` hosts, with the CLI's wiring and host lock,
 * counting every command each connection carries and attributing it to the host's current task.
 */
export async function countRoundTrips(lab: Lab, n: number, runId: string, opts: RoundTripOptions = {}): Promise<RoundTrips> {
  const playbookFile = opts.playbook ?? SCALE_PLAYBOOK;
  const playbook = loadPlaybook(playbookFile);
  const pidCounter = opts.pidCounter;
  const spawnedPerTask = new Map<string, number>();
  const inventory = loadInventory(lab.inventoryFile);
  const options = { ...defaultRunOptions(), forks: n, limit: `hosts${n}`, extraVars: { run_id: runId }, hostLock: 'fail' as const };
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const ctx = buildContext({ options, inventory, playbook, json: true, out: sink });
  const current = new Map<string, string>();
  const perTask = new Map<string, number>();
  const lock = new Map<string, number>();
  const connections = new Map<string, number>();
  let maxInFlight = 0;
  let changed = 0;
  let firstOther = '';
  const emit = ctx.emit;
  ctx.emit = (e) => {
    if (e.type === 'host_start') current.set(e.host, e.task);
    if (e.type === 'host_result' && e.status !== 'ok') {
      changed++;
      firstOther ||= `${e.host} ${e.task}: ${e.status} ${e.msg ?? ''}`;
    }
    emit(e);
  };
  ctx.connections = new ConnectionPool(async (spec): Promise<Transport> => {
    const inner = await openTransport(spec);
    connections.set(spec.name, (connections.get(spec.name) ?? 0) + 1);
    let inFlight = 0;
    return {
      host: inner.host,
      exec: async (script, execOptions) => {
        const isLock = LOCK_SCRIPT.test(script);
        const key = `${spec.name}\0${current.get(spec.name) ?? '(no task)'}`;
        if (isLock) lock.set(spec.name, (lock.get(spec.name) ?? 0) + 1);
        else perTask.set(key, (perTask.get(key) ?? 0) + 1);
        const before = pidCounter && !isLock ? await pidCounter(spec.name) : undefined;
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await inner.exec(script, execOptions);
        } finally {
          inFlight--;
          let spawned: number | undefined;
          if (before !== undefined) {
            spawned = (await pidCounter!(spec.name)) - before - 1;
            spawnedPerTask.set(key, (spawnedPerTask.get(key) ?? 0) + spawned);
          }
          if (!isLock) opts.onExec?.(spec.name, current.get(spec.name) ?? '(no task)', script, spawned);
        }
      },
      forward: (address, port) => inner.forward(address, port),
      close: () => inner.close(),
    };
  });
  const cpuBefore = process.cpuUsage();
  const code = await runPlaybook(ctx);
  const cpu = process.cpuUsage(cpuBefore);
  if (code !== 0 || changed !== 0) throw new Error(`round-trip count: the re-run exited ${code} with ${changed} results other than ok, first: ${firstOther}`);
  const tasks = taskCount(playbookFile);
  // Probes read ahead (--probe-batch) answer later tasks with no command of their own: those count 0.
  const hostsSeen = new Set([...perTask.keys()].map((k) => k.split('\0')[0]));
  if (hostsSeen.size !== n) throw new Error(`round-trip count: commands seen on ${hostsSeen.size} hosts, expected ${n}`);
  const counts = [...perTask.values(), ...Array<number>(n * tasks - perTask.size).fill(0)];
  return {
    hosts: n,
    perTaskMin: Math.min(...counts),
    perTaskMax: Math.max(...counts),
    lockPerHost: Math.max(...lock.values()),
    connectionsPerHost: Math.max(...connections.values()),
    maxInFlight,
    perTaskMean: counts.reduce((a, b) => a + b, 0) / counts.length,
    cpuS: (cpu.user + cpu.system) / 1e6,
    ...(pidCounter ? { spawned: spawnedStats(spawnedPerTask, n * tasks) } : {}),
  };
}

/** `hostTasks`: every host-task of the run; those that sent no command (their probe was read ahead) spawned nothing of their own. */
function spawnedStats(perTask: ReadonlyMap<string, number>, hostTasks: number): NonNullable<RoundTrips['spawned']> {
  const values = [...perTask.values(), ...Array<number>(Math.max(0, hostTasks - perTask.size)).fill(0)];
  const byTask: Record<string, number[]> = {};
  for (const [key, v] of perTask) (byTask[key.split('\0')[1]!] ??= []).push(v);
  return {
    perTaskMean: values.reduce((a, b) => a + b, 0) / values.length,
    perTaskMedian: median(values),
    perTaskMin: Math.min(...values),
    perTaskMax: Math.max(...values),
    byTask: Object.fromEntries(Object.entries(byTask).map(([task, vs]) => [task, median(vs)])),
  };
}

export function roundTripsMarkdown(r: RoundTrips): string {
  return [
    `Round trips of a no-op re-run on ${r.hosts} hosts, counted around the real SSH transport (in-process, the CLI's wiring and host lock):`,
    `${r.perTaskMin === r.perTaskMax ? r.perTaskMin : `${r.perTaskMin} to ${r.perTaskMax}`} command(s) per host per unchanged task; ` +
      `${r.connectionsPerHost} connection(s) per host for the whole run; ${r.lockPerHost} more command(s) per host for the run lock (taken once, released at the end); ` +
      `at most ${r.maxInFlight} command(s) in flight on one connection (sshd's default MaxSessions is 10; runbook's channel gate allows 8).`,
  ].join('\n');
}

/** The play's task count, read from the playbook itself so the per-task figures follow edits. */
export function taskCount(file = SCALE_PLAYBOOK): number {
  const plays = parse(readFileSync(file, 'utf8')) as { tasks?: unknown[] }[];
  return plays.reduce((n, p) => n + (p.tasks?.length ?? 0), 0);
}

/** node1..nodeN, each in the group `hostsK` of every size K it falls within, so `--limit hostsK` picks the first K. */
export function hostSpecs(sizes: readonly number[]): LabHostSpec[] {
  const max = Math.max(...sizes);
  return Array.from({ length: max }, (_, i) => ({ name: `node${i + 1}`, groups: sizes.filter((k) => i < k).map((k) => `hosts${k}`) }));
}

/** A timing of a run that did not do its job is worthless: fail the bench instead. */
export function verify(phase: ScaleSample['phase'], m: Measured, hosts: number): number {
  const recap = parseRecap(m.stdout);
  const tail = `\n--- last output ---\n${m.stdout.split('\n').slice(-30).join('\n')}\n${m.stderr.split('\n').slice(-20).join('\n')}`;
  if (m.code !== 0) throw new Error(`runbook ${phase} on ${hosts} hosts exited ${m.code}${tail}`);
  if (Object.keys(recap).length !== hosts) throw new Error(`runbook ${phase}: ${Object.keys(recap).length} recap lines for ${hosts} hosts${tail}`);
  let changed = 0;
  for (const [host, c] of Object.entries(recap)) {
    if (c.failed || c.unreachable) throw new Error(`runbook ${phase}: ${host} failed=${c.failed} unreachable=${c.unreachable}${tail}`);
    if (phase === 'converge' && c.changed === 0) throw new Error(`runbook converge changed nothing on ${host}${tail}`);
    if (phase === 'noop' && c.changed !== 0) throw new Error(`runbook no-op re-run changed ${c.changed} on ${host}: the playbook is not idempotent${tail}`);
    changed += c.changed;
  }
  return changed;
}

/** Least squares y = a + b x. */
function fit(points: readonly [number, number][]): { a: number; b: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const b = sxx === 0 ? NaN : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
  return { a: my - b * mx, b };
}

const f = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** The table people read, the fitted growth per host, and every sample. */
export function scaleMarkdown(samples: readonly ScaleSample[], tasks: number): string {
  const sizes = [...new Set(samples.map((s) => s.hosts))].sort((a, b) => a - b);
  const med = (n: number, phase: ScaleSample['phase'], pick: (s: ScaleSample) => number): number =>
    median(samples.filter((s) => s.hosts === n && s.phase === phase).map(pick));
  const out = [
    `Playbook: bench/scale/playbook.yml, ${tasks} tasks (file, copy, lineinfile, command), gather_facts off, forks = hosts.`,
    'Medians of the samples; CPU is user+sys of the runbook process from a cgroup of its own, RSS its peak (/usr/bin/time %M).',
    '',
    '| hosts | run | wall s | controller CPU s | CPU ms per host per task | peak RSS MB | peak RSS MB per host | SSH retries |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const n of sizes) {
    for (const phase of ['converge', 'noop'] as const) {
      const cpu = med(n, phase, (s) => s.cpuS);
      const rss = med(n, phase, (s) => s.maxRssMb);
      const retries = samples.filter((s) => s.hosts === n && s.phase === phase).reduce((t, s) => t + s.retries, 0);
      out.push(`| ${n} | ${phase === 'converge' ? 'first converge' : 'no-op re-run'} | ${f(med(n, phase, (s) => s.wallS))} | ${f(cpu)} | ${f((cpu * 1000) / (n * tasks))} | ${f(rss, 0)} | ${f(rss / n)} | ${retries} |`);
    }
  }
  out.push('', '| growth (least squares over the sizes) | first converge | no-op re-run | target |', '|---|---|---|---|');
  const growth = (phase: ScaleSample['phase'], pick: (s: ScaleSample) => number) => fit(sizes.map((n) => [n, med(n, phase, pick)] as [number, number]));
  const cpuC = growth('converge', (s) => s.cpuS);
  const cpuN = growth('noop', (s) => s.cpuS);
  const rssC = growth('converge', (s) => s.maxRssMb);
  const rssN = growth('noop', (s) => s.maxRssMb);
  const wallC = growth('converge', (s) => s.wallS);
  const wallN = growth('noop', (s) => s.wallS);
  out.push(`| controller CPU per added host per task, ms | ${f((cpuC.b * 1000) / tasks)} | ${f((cpuN.b * 1000) / tasks)} | <= 0.5 (issue 18) |`);
  out.push(`| controller CPU fixed part (start-up, loading), s | ${f(cpuC.a)} | ${f(cpuN.a)} | |`);
  out.push(`| peak RSS per added host, MB | ${f(rssC.b)} | ${f(rssN.b)} | <= 0.25 (issue 18) |`);
  out.push(`| peak RSS fixed part, MB | ${f(rssC.a, 0)} | ${f(rssN.a, 0)} | |`);
  out.push(`| wall time per added host, s | ${f(wallC.b, 3)} | ${f(wallN.b, 3)} | |`);
  out.push('', '<details><summary>every sample</summary>', '', '| hosts | sample | run | wall s | CPU s | peak RSS MB | changed | SSH retries |', '|---|---|---|---|---|---|---|---|');
  for (const s of samples) out.push(`| ${s.hosts} | ${s.sample} | ${s.phase} | ${f(s.wallS)} | ${f(s.cpuS)} | ${f(s.maxRssMb, 0)} | ${s.changed} | ${s.retries} |`);
  out.push('', '</details>');
  return out.join('\n');
}

const live = new Set<string>();

/** Starts the lab, runs every sample, and always takes the lab down. */
export async function runScaleBench(opts: ScaleOptions): Promise<ScaleResult> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const tasks = taskCount();
  const scratch = join(opts.workDir, 'scale-scratch');
  await mkdir(scratch, { recursive: true });
  const dir = join(opts.workDir, `s${opts.labIndex}`);
  const sizes = [...opts.sizes].sort((a, b) => a - b);
  const largest = sizes[sizes.length - 1]!;
  live.add(dir);
  try {
    log(`starting ${opts.light ? 'light ' : ''}lab s${opts.labIndex} with ${largest} hosts`);
    const labLog = (l: string): void => (l.startsWith('  ') ? undefined : log(`    [lab] ${l}`));
    const lab: Lab = opts.light
      ? await lightScaleLab(dir, opts.labIndex, sizes, labLog)
      : await labUp({ name: `s${opts.labIndex}`, dir, subnet: `10.80.${opts.labIndex}.0/24`, hosts: hostSpecs(sizes), log: labLog });
    // Not measured: just-booted hosts are still settling (and a failure here shows in warmup.log). Light hosts do not boot.
    if (!opts.light) await warmUp(lab, largest, scratch, log);
    const samples: ScaleSample[] = [];
    for (const n of sizes) {
      for (let sample = 1; sample <= opts.samples; sample++) {
        for (const phase of ['converge', 'noop'] as const) {
          const profile = opts.cpuProfDir && n === largest && sample === opts.samples && phase === 'noop';
          const nodeArgs = profile ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir!] : [];
          const args = [...nodeArgs, join(REPO, 'bin/runbook.js'), 'apply', SCALE_PLAYBOOK, '-i', lab.inventoryFile, '--limit', `hosts${n}`, '-f', String(n), '-e', `run_id=n${n}-s${sample}`];
          // cwd outside the repo: no runbook.cfg, only what the command line says.
          const m = await measure(process.execPath, args, { cwd: scratch, env: { ...process.env, NO_COLOR: '1' }, scratch });
          await writeFile(join(scratch, `n${n}-s${sample}-${phase}.log`), `${m.stdout}\n--- stderr ---\n${m.stderr}`);
          const changed = verify(phase, m, n);
          const retries = connectRetries(m.stderr);
          samples.push({ hosts: n, sample, phase, wallS: m.wallS, cpuS: m.cpuS, maxRssMb: m.maxRssMb, changed, retries });
          log(
            `  ${String(n).padStart(3)} hosts, sample ${sample}, ${phase.padEnd(8)}: ${f(m.wallS)} s wall, ${f(m.cpuS)} s CPU ` +
              `(${f((m.cpuS * 1000) / (n * tasks))} ms/host/task), peak RSS ${f(m.maxRssMb, 0)} MB, changed=${changed}, SSH retries=${retries}`,
          );
        }
      }
    }
    const smallest = sizes[0]!;
    const roundTrips = await countRoundTrips(lab, smallest, `n${smallest}-s1`);
    log(`  ${roundTripsMarkdown(roundTrips).split('\n').join(' ')}`);
    return { samples, tasks, roundTrips, markdown: `${scaleMarkdown(samples, tasks)}\n\n${roundTripsMarkdown(roundTrips)}` };
  } finally {
    await stopRunning();
    await labDown({ dir }).catch((e: unknown) => log(`lab teardown failed for ${dir}: ${String(e)}`));
    live.delete(dir);
  }
}

/** The light lab for the bench: hosts host1..hostN, re-grouped as `hostsK` so --limit picks the first K, as on the full lab. */
async function lightScaleLab(dir: string, index: number, sizes: readonly number[], log: (l: string) => void): Promise<Lab> {
  const lab = await lightLabUp({ name: `s${index}`, dir, subnet: `10.86.${(index % 64) * 4}.0/22`, hosts: Math.max(...sizes), log });
  const groups = hostSpecs(sizes);
  const hosts = lab.hosts.map((h, i) => ({ name: h.name, address: h.address, groups: groups[i]!.groups }));
  const inventoryFile = join(dir, 'inventory-scale.yml');
  await writeFile(inventoryFile, inventoryYaml(hosts, lab.keyFile, lab.knownHostsFile));
  return { ...lab, inventoryFile };
}

/** What the CLI said of dropped handshakes it retried (src/cli/apply.ts), 0 when it said nothing. */
export function connectRetries(stderr: string): number {
  return Number(/\[ssh\] (\d+) handshake\(s\) dropped/.exec(stderr)?.[1] ?? 0);
}

/** The curve points the SVG draws: medians per size of one phase. */
export function curvePoints(samples: readonly ScaleSample[], tasks: number, phase: ScaleSample['phase']): CurvePoint[] {
  const sizes = [...new Set(samples.map((s) => s.hosts))].sort((a, b) => a - b);
  return sizes.map((n) => {
    const of = samples.filter((s) => s.hosts === n && s.phase === phase);
    const cpu = median(of.map((s) => s.cpuS));
    return { hosts: n, cpuMsPerHostTask: (cpu * 1000) / (n * tasks), rssMbPerHost: median(of.map((s) => s.maxRssMb)) / n, wallS: median(of.map((s) => s.wallS)) };
  });
}

async function warmUp(lab: Lab, largest: number, scratch: string, log: (l: string) => void): Promise<void> {
  const warm = await measure(process.execPath, [join(REPO, 'bin/runbook.js'), 'apply', SCALE_PLAYBOOK, '-i', lab.inventoryFile, '-f', String(largest), '-e', 'run_id=warmup'], { cwd: scratch, env: { ...process.env, NO_COLOR: '1' }, scratch });
  await writeFile(join(scratch, 'warmup.log'), `${warm.stdout}\n--- stderr ---\n${warm.stderr}`);
  log(`  warm-up run on ${largest} hosts: exit ${warm.code} in ${f(warm.wallS)} s (not counted)`);
}

function machine(): string {
  const cpu = cpus();
  return `${cpu.length} CPU(s), ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, node ${process.version}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '10,25,50' },
      samples: { type: 'string', default: '3' },
      'work-dir': { type: 'string', default: join(tmpdir(), 'runbook-bench-scale') },
      'lab-index': { type: 'string', default: '0' },
      light: { type: 'boolean', default: false },
      svg: { type: 'string' },
      'cpu-prof': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string', default: join(REPO, 'bench/results') },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const samples = Number(values.samples);
  const most = values.light ? MAX_LIGHT_HOSTS : 243;
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > most) || !Number.isInteger(samples) || samples < 1) {
    throw new Error(`--sizes takes host counts such as 10,25,50 (at most ${most}${values.light ? '' : '; --light for more'}) and --samples a positive count`);
  }
  if (process.getuid?.() !== 0) throw new Error('the bench starts lab hosts (network namespaces, containers): run it as root');
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is needed (apt-get install time)');
  if (!values['no-build']) {
    console.log('building runbook (tsc)');
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: REPO, stdio: 'inherit' });
  }
  const result = await runScaleBench({
    sizes,
    samples,
    workDir: values['work-dir'],
    labIndex: Number(values['lab-index']),
    light: values.light,
    ...(values['cpu-prof'] ? { cpuProfDir: values['cpu-prof'] } : {}),
  });
  const date = new Date().toISOString();
  const body = [`# runbook at scale (${date})`, '', `- machine: ${machine()}`, `- load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`, '', result.markdown, ''].join('\n');
  await mkdir(values.out, { recursive: true });
  const file = join(values.out, `scale-${date.slice(0, 10)}.md`);
  await writeFile(file, body);
  console.log(`\n${result.markdown}\n\nwritten to ${file}`);
  if (values.svg) {
    const curves = [
      { label: 'no-op re-run', colour: '#1f77b4', points: curvePoints(result.samples, result.tasks, 'noop') },
      { label: 'first converge', colour: '#ff7f0e', points: curvePoints(result.samples, result.tasks, 'converge') },
    ];
    await writeFile(values.svg, scaleSvg(curves, `runbook at scale, ${values.light ? 'light lab' : 'lab'}, ${date.slice(0, 10)} (${result.tasks} tasks)`));
    console.log(`plot written to ${values.svg}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runWithLabs(main, live, 'the scale lab');
