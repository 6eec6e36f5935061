// The differential table (test/differential/cases.yml) and its accepted differences, read and turned into batch playbooks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from '../support/runbook.js';

/** Every case works under its own folder, so cases of one batch cannot see each other. */
export const CASE_ROOT = '/srv/diff';

export interface DiffCase {
  name: string;
  /** Shell run in the case's folder on both fresh hosts before anything else (preconditions). */
  setup?: string;
  /** Shell run in the case's folder after each run; its output is compared (packages, services, times, ...). */
  state?: string;
  /** Controller files the tasks use as `src` (name: content), written beside the batch playbook. */
  files?: Record<string, string>;
  tasks: Record<string, unknown>[];
  handlers?: Record<string, unknown>[];
  /** Cases of another batch run on hosts reset to fresh first. */
  batch?: string;
}

/** What may differ: a phase's task statuses (`first`, `second`, `check`) or the host `state` after the runs. */
export type Aspect = 'first' | 'second' | 'check' | 'state';

export interface Accepted {
  case: string;
  aspect: Aspect;
  /** deliberate: runbook keeps its behaviour (docs/ansible-compat.md says why); known: a difference still to fix. */
  kind: 'deliberate' | 'known';
  reason: string;
}

const DIR = join(REPO, 'test/differential');

export function loadCases(): DiffCase[] {
  const cases = parse(readFileSync(join(DIR, 'cases.yml'), 'utf8')) as DiffCase[];
  const seen = new Set<string>();
  for (const c of cases) {
    if (!/^[a-z0-9-]+$/.test(c.name) || seen.has(c.name)) throw new Error(`cases.yml: bad or repeated case name '${c.name}'`);
    seen.add(c.name);
  }
  return cases;
}

export function loadAccepted(cases: readonly DiffCase[]): Accepted[] {
  const accepted = parse(readFileSync(join(DIR, 'accepted.yml'), 'utf8')) as Accepted[];
  const names = new Set(cases.map((c) => c.name));
  for (const a of accepted) {
    if (!names.has(a.case)) throw new Error(`accepted.yml: no case '${a.case}'`);
    if (!['first', 'second', 'check', 'state'].includes(a.aspect)) throw new Error(`accepted.yml: ${a.case}: bad aspect '${a.aspect}'`);
    if (!['deliberate', 'known'].includes(a.kind) || !a.reason) throw new Error(`accepted.yml: ${a.case}: needs kind (deliberate|known) and a reason`);
  }
  return accepted;
}

/** Cases grouped by batch, in table order; the default batch first. */
export function batches(cases: readonly DiffCase[]): DiffCase[][] {
  const byName = new Map<string, DiffCase[]>();
  for (const c of cases) {
    const key = c.batch ?? '';
    byName.set(key, [...(byName.get(key) ?? []), c]);
  }
  return [...byName.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : 0)).map(([, list]) => list);
}

/** Task names carry their case: `case #n` unless the case names the task itself (then `case: name`). */
export function taskName(c: DiffCase, task: Record<string, unknown>, index: number): string {
  return typeof task.name === 'string' ? `${c.name}: ${task.name}` : `${c.name} #${index + 1}`;
}

/** One play running every case of a batch against host `target`; handlers keep the names the tasks notify. */
export function batchPlaybook(cases: readonly DiffCase[]): Record<string, unknown>[] {
  const tasks = cases.flatMap((c) => c.tasks.map((t, i) => ({ ...t, name: taskName(c, t, i) })));
  const handlers = cases.flatMap((c) => c.handlers ?? []);
  return [{ name: 'differential', hosts: 'target', gather_facts: true, tasks, ...(handlers.length ? { handlers } : {}) }];
}

/** Case name of a task name, or undefined for tasks outside the table (fact gathering). */
export function caseOf(task: string, cases: readonly DiffCase[]): string | undefined {
  return cases.find((c) => task.startsWith(`${c.name} #`) || task.startsWith(`${c.name}: `))?.name;
}

/** The shell that prepares every case of a batch on a host. */
export function setupScript(cases: readonly DiffCase[]): string {
  return ['set -e', ...cases.map((c) => `mkdir -p ${CASE_ROOT}/${c.name} && (cd ${CASE_ROOT}/${c.name} && ${c.setup ? `{\n${c.setup}\n}` : 'true'})`)].join('\n');
}
