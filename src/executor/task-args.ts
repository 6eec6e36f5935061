// A task's arguments as its module receives them: rendered for the host, free-form text named.
// Shared by the task's own run and by the probes read ahead for it (probe-ahead.ts).
import { RunbookError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import type { Task } from '../playbook/types.js';
import { locOf, recordEntryLoc, recordLoc } from '../yaml/locs.js';
import type { Templating } from './context.js';

export function argsObject(task: Task, rendered: unknown, freeForm: string | undefined): Record<string, unknown> {
  if (typeof rendered === 'string') {
    if (!freeForm) throw new RunbookError(`module '${task.module}' takes a mapping of arguments, not a string`, task.loc);
    return { [freeForm]: rendered };
  }
  return (rendered ?? {}) as Record<string, unknown>;
}

/** The task's arguments rendered, except those that are expressions: rendering them first would evaluate a host's output as a condition. */
export function renderArgs(templating: Templating, task: Task, vars: Vars, expressionArgs: readonly string[] | undefined): unknown {
  const raw = task.args;
  if (!expressionArgs || raw === null || typeof raw !== 'object' || Array.isArray(raw)) return templating.render(raw, vars, task.loc);
  const out: Record<string, unknown> = {};
  // Kept where they were written, so the module can name the condition's own file:line:col.
  recordLoc(out, locOf(raw) ?? task.loc);
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    const at = locOf(raw, k) ?? task.loc;
    out[k] = expressionArgs.includes(k) ? v : templating.render(v, vars, at);
    recordEntryLoc(out, k, at);
  }
  return out;
}

/** Any string in the rendered arguments, however deep. */
export function deepStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'number') out.push(String(value));
  else if (Array.isArray(value)) value.forEach((v) => deepStrings(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => deepStrings(v, out));
  return out;
}
