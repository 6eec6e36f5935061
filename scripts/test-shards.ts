// Runs the test suite as a few mocha processes side by side, because most of the integration
// tests' time is spent waiting on lab hosts (boots, apt, ssh round trips), not on this machine's
// cores. Each shard gets its own range of lab indices (RUNBOOK_TEST_LAB_INDEX) so their labs never
// meet. A lab that files in different shards ask for (the seed job's) is booted once per shard.
// Prints each shard's output prefixed by its number, then one mocha-style summary for the whole run
// (.ci/run counts its "N passing" / "N failing" lines).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(import.meta.dirname, '..');
/** Seconds each integration file (and, as "unit", the whole unit suite) took in CI, for balancing; a new file counts as DEFAULT_COST. */
const COSTS: Record<string, number> = JSON.parse(readFileSync(join(ROOT, 'test', 'shard-costs.json'), 'utf8'));
const DEFAULT_COST = 60;
// Lab indices run up to 199 (subnets 10.78.N.0/24); a whole serial run uses about 20.
const LAST_LAB_INDEX = 199;

function specs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...specs(path));
    else if (entry.endsWith('.test.js')) out.push(path);
  }
  return out.sort();
}

/** Longest-first onto the least loaded shard; shard 0 starts with the unit suite's `head` seconds. */
function assign(files: string[], shards: number, cost: (f: string) => number, head: number): string[][] {
  const groups: string[][] = Array.from({ length: shards }, () => []);
  const load = new Array<number>(shards).fill(0);
  load[0] = head;
  for (const f of [...files].sort((a, b) => cost(b) - cost(a) || a.localeCompare(b))) {
    const i = load.indexOf(Math.min(...load));
    groups[i]!.push(f);
    load[i]! += cost(f);
  }
  return groups;
}

interface ShardResult {
  code: number;
  passing: number;
  failing: number;
  pending: number;
}

function runShard(n: number, files: string[], firstIndex: number): Promise<ShardResult> {
  const env = { ...process.env, RUNBOOK_TEST_LAB_INDEX: String(firstIndex) };
  const mocha = join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js');
  const child = spawn(process.execPath, [mocha, '--no-config', '--timeout', '600000', '--reporter', 'spec', ...files], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child.pid!);
  const result: ShardResult = { code: 1, passing: 0, failing: 0, pending: 0 };
  const read = (stream: NodeJS.ReadableStream): void => {
    createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`[${n}] ${line}\n`);
      const m = /^ +(\d+) (passing|failing|pending)\b/.exec(line);
      if (m) result[m[2] as 'passing' | 'failing' | 'pending'] = Number(m[1]);
    });
  };
  read(child.stdout!);
  read(child.stderr!);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      children.delete(child.pid!);
      result.code = code ?? (signal ? 128 : 1);
      resolve(result);
    });
  });
}

const children = new Set<number>();
// Each mocha tears its own labs down on SIGINT/SIGTERM; pass the signal on and wait for them.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    for (const pid of children) {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  });
}

async function main(): Promise<void> {
  const shards = Math.max(1, Number(process.env.RUNBOOK_TEST_SHARDS ?? 4) || 4);
  const baseIndex = Number(process.env.RUNBOOK_TEST_LAB_INDEX ?? 0) || 0;
  const dist = join(ROOT, 'dist', 'test');
  const unit = specs(join(dist, 'unit'));
  const integration = specs(join(dist, 'integration'));
  const key = (f: string): string => relative(join(dist, 'integration'), f).replace(/\.js$/, '.ts');
  const groups = assign(integration, shards, (f) => COSTS[key(f)] ?? DEFAULT_COST, COSTS['unit'] ?? 0);
  groups[0]!.unshift(...unit);
  const started = Date.now();
  groups.forEach((g, i) => console.log(`[${i}] ${g.length} files: ${g.filter((f) => !unit.includes(f)).map(key).join(', ')}`));
  const spacing = Math.floor((LAST_LAB_INDEX + 1 - baseIndex) / shards);
  const results = await Promise.all(groups.map((g, i) => runShard(i, g, baseIndex + i * spacing)));
  const sum = (k: 'passing' | 'failing' | 'pending'): number => results.reduce((s, r) => s + r[k], 0);
  const minutes = Math.round((Date.now() - started) / 60000);
  console.log('');
  console.log(`  ${sum('passing')} passing (${minutes}m, ${shards} shards)`);
  if (sum('pending') > 0) console.log(`  ${sum('pending')} pending`);
  if (sum('failing') > 0) console.log(`  ${sum('failing')} failing`);
  const bad = results.map((r, i) => ({ ...r, i })).filter((r) => r.code !== 0);
  for (const r of bad) console.log(`  shard ${r.i} exited with ${r.code}`);
  process.exitCode = bad.length > 0 ? 1 : 0;
}

await main();
