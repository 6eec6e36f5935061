// Counts of what apt and dpkg did on the lab hosts during a run, from their own logs: apt-get runs,
// dpkg runs, packages installed, trigger runs. Machine-independent, so two runs (a tool and the
// apt/dpkg floor) can be compared exactly where their wall times cannot.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab } from '../src/lab/lab.js';
import { hostNames, labNames } from '../src/lab/names.js';

/** Summed over the lab's hosts. */
export type AptCounts = {
  /** apt-get runs that installed or removed something (a `Commandline:` entry in apt's history.log). */
  aptRuns: number;
  /** dpkg runs (`startup` lines of dpkg.log: one per --unpack or --configure run apt starts). */
  dpkgRuns: number;
  /** Packages installed (dpkg.log `install` actions). */
  installed: number;
  /** Triggers processed (dpkg.log `trigproc` lines): a trigger run twice shows here. */
  triggers: number;
};

const ZERO: AptCounts = { aptRuns: 0, dpkgRuns: 0, installed: 0, triggers: 0 };

function count(text: string, re: RegExp): number {
  return text.split('\n').filter((l) => re.test(l)).length;
}

/** The counts so far; a run's share is the difference of two readings. */
export async function aptCounts(lab: Lab): Promise<AptCounts> {
  const names = labNames(lab.name, lab.subnet);
  const sum = { ...ZERO };
  for (const [i, h] of lab.hosts.entries()) {
    const root = hostNames(names, h.name, i).merged;
    const history = await readFile(join(root, 'var/log/apt/history.log'), 'utf8').catch(() => '');
    const dpkg = await readFile(join(root, 'var/log/dpkg.log'), 'utf8').catch(() => '');
    sum.aptRuns += count(history, /^Commandline: /);
    sum.dpkgRuns += count(dpkg, /^\S+ \S+ startup /);
    sum.installed += count(dpkg, /^\S+ \S+ install /);
    sum.triggers += count(dpkg, /^\S+ \S+ trigproc /);
  }
  return sum;
}

export function countsSince(before: AptCounts, after: AptCounts): AptCounts {
  return { aptRuns: after.aptRuns - before.aptRuns, dpkgRuns: after.dpkgRuns - before.dpkgRuns, installed: after.installed - before.installed, triggers: after.triggers - before.triggers };
}

export function countsLine(c: AptCounts): string {
  return `${c.aptRuns} apt-get, ${c.dpkgRuns} dpkg runs, ${c.installed} packages, ${c.triggers} triggers`;
}
