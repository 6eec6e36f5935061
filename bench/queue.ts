// `npm run bench:queue`: the same no-op run of bench/scale/playbook.yml (10 tasks) on the same lab
// hosts, locally and through the queue with 1, 2 and 4 workers: wall time, and CPU of the
// submitter plus the workers, so the queue's overhead per host-task can be read off. Not a test.
// Runs the compiled CLI (npm run build first). Options: --hosts N (8), --samples N (3), --lab-index N.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { labDown, labUp } from '../src/lab/lab.js';
import { startRedis } from '../test/integration/support/redis-server.js';
import { measure } from './measure.js';
import { median } from './report.js';
import { REPO } from './tools.js';

const PLAYBOOK = join(REPO, 'bench/scale/playbook.yml');
const TASKS = 10;
const BIN = join(REPO, 'bin/runbook.js');

/** user+sys seconds a live process has used so far (/proc/PID/stat, clock ticks of 1/100 s). */
function cpuOf(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { hosts: { type: 'string', default: '8' }, samples: { type: 'string', default: '3' }, 'lab-index': { type: 'string', default: process.env.RUNBOOK_TEST_LAB_INDEX ?? '0' } } });
  const hosts = Number(values.hosts);
  const samples = Number(values.samples);
  const index = Number(values['lab-index']);
  const scratch = await mkdtemp(join(tmpdir(), 'runbook-bench-queue-'));
  const log = (l: string): void => console.error(l);
  log(`lab q${index}: ${hosts} hosts; ${cpus().length} cores; load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  const lab = await labUp({ name: `q${index}`, dir: join(scratch, 'lab'), subnet: `10.85.${index}.0/24`, hosts, log: (l) => (l.startsWith('  ') ? undefined : log(`  [lab] ${l}`)) });
  const redis = await startRedis();
  const env = { ...process.env, NO_COLOR: '1', RUNBOOK_QUEUE_PASSWORD: redis.userPassword };
  const workers: ChildProcess[] = [];
  const rows: { mode: string; wallS: number[]; cpuS: number[] }[] = [];
  try {
    const args = (runId: string, extra: string[] = []): string[] => [BIN, 'apply', PLAYBOOK, '-i', lab.inventoryFile, '-f', String(hosts), '-e', `run_id=${runId}`, ...extra];
    const warm = await measure(process.execPath, args('bench'), { cwd: scratch, env, scratch });
    if (warm.code !== 0) throw new Error(`warm-up converge failed: ${warm.stderr}${warm.stdout.slice(-2000)}`);
    const local = { mode: 'local', wallS: [] as number[], cpuS: [] as number[] };
    for (let i = 0; i < samples; i++) {
      const m = await measure(process.execPath, args('bench'), { cwd: scratch, env, scratch });
      if (m.code !== 0) throw new Error(`local run failed: exit ${m.code}`);
      local.wallS.push(m.wallS);
      local.cpuS.push(m.cpuS);
    }
    rows.push(local);
    for (const count of [1, 2, 4]) {
      for (let w = 0; w < count; w++) {
        const child = spawn(process.execPath, [BIN, 'worker', '--queue', redis.url, '--name', `b${w + 1}`, '-c', String(Math.ceil(hosts / count)), '--cache-dir', join(scratch, `cache-${count}-${w}`)], { cwd: scratch, env, stdio: ['ignore', 'ignore', 'pipe'] });
        let text = '';
        child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
        workers.push(child);
        while (!text.includes('waiting for jobs')) await new Promise((r) => setTimeout(r, 100));
      }
      const row = { mode: `queue, ${count} worker${count > 1 ? 's' : ''}`, wallS: [] as number[], cpuS: [] as number[] };
      // First run per worker set unmeasured: it unpacks the bundle.
      await measure(process.execPath, args('bench', ['--queue', redis.url]), { cwd: scratch, env, scratch });
      for (let i = 0; i < samples; i++) {
        const before = workers.reduce((n, c) => n + cpuOf(c.pid!), 0);
        const m = await measure(process.execPath, args('bench', ['--queue', redis.url]), { cwd: scratch, env, scratch });
        if (m.code !== 0) throw new Error(`queued run failed: exit ${m.code}: ${m.stderr}`);
        const after = workers.reduce((n, c) => n + cpuOf(c.pid!), 0);
        row.wallS.push(m.wallS);
        row.cpuS.push(m.cpuS + (after - before));
      }
      rows.push(row);
      for (const c of workers.splice(0)) {
        c.kill('SIGTERM');
        await new Promise((r) => c.once('exit', r));
      }
    }
  } finally {
    for (const c of workers) c.kill('SIGKILL');
    await redis.stop();
    await labDown({ name: `q${index}`, dir: join(scratch, 'lab') }).catch((e: unknown) => log(`lab down: ${String(e)}`));
  }
  const hostTasks = hosts * TASKS;
  const base = rows[0]!;
  const lines = [
    `No-op run of bench/scale/playbook.yml (${TASKS} tasks) on ${hosts} lab hosts, median of ${samples}; ${cpus().length} cores shared with the lab hosts, Redis and the workers.`,
    '',
    '| Mode | Wall (s) | CPU, submitter + workers (s) | Wall vs local | CPU per host-task (ms) | Extra CPU per host-task vs local (ms) |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const wall = median(r.wallS);
      const cpu = median(r.cpuS);
      return `| ${r.mode} | ${wall.toFixed(2)} | ${cpu.toFixed(2)} | ${(wall / median(base.wallS)).toFixed(2)}x | ${((cpu / hostTasks) * 1000).toFixed(1)} | ${r === base ? '' : (((cpu - median(base.cpuS)) / hostTasks) * 1000).toFixed(1)} |`;
    }),
  ];
  console.log(lines.join('\n'));
  await mkdir(join(REPO, 'bench/results'), { recursive: true });
  const out = join(REPO, 'bench/results', `queue-${new Date().toISOString().slice(0, 10)}.json`);
  await writeFile(out, `${JSON.stringify({ hosts, tasks: TASKS, samples, cores: cpus().length, rows }, null, 2)}\n`);
  console.error(`samples written to ${out}`);
  await rm(scratch, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
