// --start-at-task: the tasks passed over before the named one, across plays, as Ansible does.
import type { Playbook, Task, TaskNode } from '../playbook/types.js';

/** Whether `pattern` names the task: its name, or `role : name`, exactly or with * and ? wildcards. */
export function startsHere(pattern: string, task: Task): boolean {
  if (!task.name) return false;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const titles = task.role ? [task.name, `${task.role.name} : ${task.name}`] : [task.name];
  return titles.some((t) => t === pattern || re.test(t));
}

/** Whether any task of the playbook matches, so a typo is an input error before any connection. */
export function playbookHasTask(playbook: Playbook, pattern: string): boolean {
  const walk = (nodes: TaskNode[]): boolean =>
    nodes.some((n) => (n.kind === 'block' ? walk(n.block) || walk(n.rescue) || walk(n.always) : startsHere(pattern, n)));
  return playbook.plays.some((p) => walk(p.tasks));
}

/** One per run: has the start task been reached yet? Kept beside the run context, not in it. */
const reached = new WeakMap<object, { found: boolean }>();

/** True while the run has not yet reached the start task: this task is passed over (not counted, not shown). */
export function beforeStartTask(run: object, pattern: string | undefined, task: Task): boolean {
  if (!pattern) return false;
  let state = reached.get(run);
  if (!state) reached.set(run, (state = { found: false }));
  if (state.found) return false;
  if (startsHere(pattern, task)) state.found = true;
  return !state.found;
}
