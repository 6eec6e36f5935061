// Turns the samples into the table people read: every sample, the median, and Ansible's figure over runbook's.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import type { HostUsage } from './host-usage.js';

export type Sample = {
  size: number;
  /** `apt` is the floor: the seed job's apt-get installs alone (bench/floor.ts), converge only. */
  tool: 'runbook' | 'ansible' | 'apt';
  sample: number;
  phase: 'converge' | 'noop';
  wallS: number;
  cpuS: number;
  timeCpuS: number;
  maxRssMb: number;
  changed: number;
  hosts: number;
  /** The machine's 1-minute load average when the run started (other work on the machine shows here). */
  load1: number;
  /** What the run asked of the lab hosts, and how long they waited for a core or the disk (bench/host-usage.ts). */
  host?: HostUsage;
};

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const FIGURES = [
  { label: 'first converge, wall s', phase: 'converge', pick: (s: Sample) => s.wallS },
  { label: 'no-op re-run, wall s', phase: 'noop', pick: (s: Sample) => s.wallS },
  { label: 'first converge, controller CPU s', phase: 'converge', pick: (s: Sample) => s.cpuS },
  { label: 'no-op re-run, controller CPU s', phase: 'noop', pick: (s: Sample) => s.cpuS },
] as const;

const fmt = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : '-');

/** One markdown table per size: a row per figure, with each tool's samples, medians and the ratio. */
export function tables(samples: readonly Sample[]): string {
  const out: string[] = [];
  for (const size of [...new Set(samples.map((s) => s.size))]) {
    out.push(`### 1 Redis + ${size} web hosts`, '');
    out.push('| figure | runbook samples | runbook median | Ansible samples | Ansible median | Ansible / runbook |');
    out.push('|---|---|---|---|---|---|');
    for (const f of FIGURES) {
      const of = (tool: Sample['tool']): number[] =>
        samples.filter((s) => s.size === size && s.tool === tool && s.phase === f.phase).sort((a, b) => a.sample - b.sample).map(f.pick);
      const rb = of('runbook');
      const an = of('ansible');
      const ratio = median(an) / median(rb);
      out.push(`| ${f.label} | ${rb.map(fmt).join(', ')} | ${fmt(median(rb))} | ${an.map(fmt).join(', ')} | ${fmt(median(an))} | ${Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : '-'} |`);
    }
    out.push('', ...floorLines(samples, size));
  }
  return out.join('\n');
}

/**
 * The apt/dpkg floor beside the first converge: the floor's samples, what each tool spent above it
 * (its own work: connections, probes, modules, waits), and the best ratio any runbook could reach
 * against this Ansible figure (Ansible's converge over the floor).
 */
function floorLines(samples: readonly Sample[], size: number): string[] {
  const walls = (tool: Sample['tool']): number[] =>
    samples.filter((s) => s.size === size && s.tool === tool && s.phase === 'converge').sort((a, b) => a.sample - b.sample).map((s) => s.wallS);
  const floor = walls('apt');
  if (floor.length === 0) return [];
  const [f, rb, an] = [median(floor), median(walls('runbook')), median(walls('ansible'))];
  return [
    `First converge against the apt/dpkg floor (the same apt-get installs alone over ssh, in the plays' order: bench/floor.ts):`,
    '',
    '| figure | s |',
    '|---|---|',
    `| floor samples | ${floor.map(fmt).join(', ')} |`,
    `| floor median | ${fmt(f)} |`,
    `| runbook above the floor | ${fmt(rb - f)} |`,
    `| Ansible above the floor | ${fmt(an - f)} |`,
    `| Ansible / runbook, above the floor | ${fmt((an - f) / (rb - f))}x |`,
    `| best possible Ansible / runbook (Ansible over the floor) | ${fmt(an / f)}x |`,
    '',
    // A run that waited longer for a core than the floor did is slower for the machine's sake, not its own.
    'The same first converges, as work and waits on the lab hosts (summed over the hosts, medians; bench/host-usage.ts):',
    '',
    '| figure | runbook | Ansible | floor |',
    '|---|---|---|---|',
    ...(['cpuS', 'cpuWaitS', 'ioWaitS'] as const).map((k) => {
      const label = { cpuS: 'host CPU s', cpuWaitS: 'host wait for a core, s', ioWaitS: 'host wait for the disk, s' }[k];
      const of = (tool: Sample['tool']): string =>
        fmt(median(samples.filter((s) => s.size === size && s.tool === tool && s.phase === 'converge' && s.host).map((s) => s.host![k])));
      return `| ${label} | ${of('runbook')} | ${of('ansible')} | ${of('apt')} |`;
    }),
    '',
  ];
}

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return 'unknown';
  }
}

/** The machine and software the figures come from. */
export function machine(): string {
  const cpu = cpus();
  return [
    `- date: ${new Date().toISOString()}`,
    `- machine: ${cpu.length} CPU(s), ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${version('uname', ['-r'])}`,
    `- load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `- node ${process.version}; ${version('ansible-playbook', ['--version'])}`,
  ].join('\n');
}

/** Every sample as one line, for the record. */
export function sampleLines(samples: readonly Sample[]): string {
  const lines = [
    '| size | tool | sample | run | wall s | CPU s (cgroup) | CPU s (time) | max RSS MB | changed | load at start | host CPU s | host wait for a core s | host wait for the disk s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of samples) {
    lines.push(`| ${s.size} web | ${s.tool} | ${s.sample} | ${s.phase} | ${fmt(s.wallS)} | ${fmt(s.cpuS)} | ${fmt(s.timeCpuS)} | ${s.maxRssMb.toFixed(0)} | ${s.changed} | ${s.load1.toFixed(1)} | ${fmt(s.host?.cpuS ?? NaN)} | ${fmt(s.host?.cpuWaitS ?? NaN)} | ${fmt(s.host?.ioWaitS ?? NaN)} |`);
  }
  return lines.join('\n');
}
