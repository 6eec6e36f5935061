// Whether a task's output is hidden on a host: no_log as written, or a templated no_log
// (`no_log: "{{ not debug_output }}"`) rendered with that host's variables, as Ansible does.
import type { Vars } from '../core/types.js';
import type { Task } from '../playbook/types.js';
import { yaml11Boolean } from '../yaml/scalars.js';
import type { Templating } from './context.js';

export function hidesOutput(task: Task, templating: Templating, vars: Vars): boolean {
  if (task.noLogTemplate === undefined) return task.noLog;
  try {
    const value = templating.render(task.noLogTemplate, vars, task.loc);
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return value !== 0;
    const text = String(value).trim();
    // Anything that is not clearly false hides: a typo must not print a secret.
    return yaml11Boolean(text) ?? (text === '0' ? false : true);
  } catch {
    return true;
  }
}
