// Runs one tool's command and measures it: wall time, and controller CPU of everything the command started.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { labDown } from '../src/lab/lab.js';

export type Measured = {
  code: number;
  stdout: string;
  stderr: string;
  wallS: number;
  /** CPU seconds (user+sys) of every process the command started, from its own cgroup: Ansible's daemonized ssh masters included. */
  cpuS: number;
  /** user+sys that /usr/bin/time reports: the command and the children it waited for (not ssh ControlPersist masters). */
  timeCpuS: number;
  /** Peak resident memory of the largest single process, from /usr/bin/time (MB). */
  maxRssMb: number;
};

/** Where a per-run cgroup can count CPU time: cgroup v1's cpuacct, else the cgroup v2 mount. */
type CpuCounter = { root: string; read: (dir: string) => Promise<number> };

let counter: Promise<CpuCounter> | undefined;

async function findCounter(): Promise<CpuCounter> {
  const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').map((l) => l.split(' '));
  const v1 = mounts.find(([, , type, opts]) => type === 'cgroup' && (opts ?? '').split(',').includes('cpuacct'));
  if (v1) return { root: v1[1]!, read: async (d) => Number((await readFile(join(d, 'cpuacct.usage'), 'utf8')).trim()) / 1e9 };
  const v2 = mounts.find(([, , type]) => type === 'cgroup2');
  if (v2) {
    return {
      root: v2[1]!,
      read: async (d) => Number(/^usage_usec (\d+)$/m.exec(await readFile(join(d, 'cpu.stat'), 'utf8'))?.[1] ?? NaN) / 1e6,
    };
  }
  throw new Error('no cgroup hierarchy counts CPU time here (neither cpuacct nor cgroup2 is mounted)');
}

let serial = 0;
/** The cgroup of the run in progress, so a Ctrl-C can stop its processes (by PID) before the labs go. */
let current: string | undefined;

/** Ends the run in progress, if any: every process in its cgroup. */
export async function stopRunning(): Promise<void> {
  if (current) await endLeftovers(current);
}

/**
 * Runs `cmd args` inside a fresh cgroup of its own, under /usr/bin/time. The cgroup's CPU total is read
 * when the command exits; whatever it left running (ssh ControlPersist masters) is then ended by PID.
 */
export async function measure(cmd: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv; scratch: string }): Promise<Measured> {
  const cpu = await (counter ??= findCounter());
  const cg = join(cpu.root, `runbook-bench-${process.pid}-${serial++}`);
  await mkdir(cg, { recursive: true });
  current = cg;
  const timeFile = join(opts.scratch, `time-${process.pid}-${serial}.txt`);
  await mkdir(opts.scratch, { recursive: true });
  // The shell enters the cgroup, then becomes /usr/bin/time: no process of the run starts outside it.
  const enter = 'echo $$ > "$1/cgroup.procs" || exit 125; t=$2; shift 2; exec /usr/bin/time -f "%e %U %S %M" -o "$t" "$@"';
  const started = process.hrtime.bigint();
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('sh', ['-c', enter, 'sh', cg, timeFile, cmd, ...args], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuS = await cpu.read(cg);
  await endLeftovers(cg);
  current = undefined;
  const [, user, sys, rssKb] = (await readFile(timeFile, 'utf8').catch(() => '')).trim().split('\n').pop()!.split(' ').map(Number);
  await rm(timeFile, { force: true });
  return { ...result, wallS, cpuS, timeCpuS: (user ?? NaN) + (sys ?? NaN), maxRssMb: (rssKb ?? NaN) / 1024 };
}

/** Ends what the run left in its cgroup (only processes this run started), then removes the cgroup. */
async function endLeftovers(cg: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = (await readFile(join(cg, 'cgroup.procs'), 'utf8')).split('\n').filter(Boolean).map(Number);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, attempt < 10 ? 'SIGTERM' : 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (existsSync(cg)) await rmdir(cg).catch(() => writeFile(join(cg, 'notify_on_release'), '1').catch(() => {}));
}

/**
 * Runs a bench's `main` so that no lab outlives it: on Ctrl-C or a kill, and after an error, the
 * measured run is stopped and every lab still in `live` is taken down.
 */
export async function runWithLabs(main: () => Promise<void>, live: Set<string>, what: string): Promise<void> {
  let leaving = false;
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(sig, () => {
      if (leaving) return;
      leaving = true;
      console.error(`\n${sig}: stopping the run and removing ${what}`);
      void stopRunning()
        .then(() => Promise.allSettled([...live].map((dir) => labDown({ dir }))))
        .finally(() => process.exit(code));
    });
  }
  try {
    await main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  } finally {
    await stopRunning();
    for (const dir of live) await labDown({ dir }).catch((e: unknown) => console.error(`lab teardown failed for ${dir}: ${String(e)}`));
  }
}
