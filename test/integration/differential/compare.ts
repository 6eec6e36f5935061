// Compares the twin hosts' results case by case and splits the differences into accepted and unexpected.
import type { Accepted, Aspect, DiffCase } from './cases.js';
import { caseOf } from './cases.js';
import type { HostState } from './host-state.js';
import type { StatusMap } from './tools.js';

export interface Difference {
  case: string;
  aspect: Aspect;
  /** What each tool did, for the failure message. */
  detail: string;
}

/** Per task of each case: the status under Ansible against the status under runbook ('absent' if a tool never reached it). */
export function compareStatuses(aspect: Aspect, cases: readonly DiffCase[], ansible: StatusMap, runbook: StatusMap): Difference[] {
  const tasks = [...new Set([...ansible.keys(), ...runbook.keys()])];
  const out: Difference[] = [];
  for (const c of cases) {
    const lines = tasks
      .filter((t) => caseOf(t, cases) === c.name)
      .filter((t) => ansible.get(t) !== runbook.get(t))
      .map((t) => `${t}: ansible ${ansible.get(t) ?? 'absent'}, runbook ${runbook.get(t) ?? 'absent'}`);
    if (lines.length > 0) out.push({ case: c.name, aspect, detail: lines.join('; ') });
  }
  return out;
}

export function compareStates(cases: readonly DiffCase[], ansible: HostState, runbook: HostState): Difference[] {
  const out: Difference[] = [];
  for (const c of cases) {
    const a = ansible.get(c.name) ?? '';
    const r = runbook.get(c.name) ?? '';
    if (a !== r) out.push({ case: c.name, aspect: 'state', detail: `ansible host:\n${a}runbook host:\n${r}` });
  }
  return out;
}

export function isAccepted(d: Difference, accepted: readonly Accepted[]): boolean {
  return accepted.some((a) => a.case === d.case && a.aspect === d.aspect);
}

/** Accepted entries for which nothing differs any more: the fix landed, so the entry should go. */
export function staleAccepted(accepted: readonly Accepted[], found: readonly Difference[], ran: ReadonlySet<string>): Accepted[] {
  return accepted.filter((a) => ran.has(a.case) && !found.some((d) => d.case === a.case && d.aspect === a.aspect));
}
