// Files a task names on the controller (copy/template `src`, include_vars): searched the Ansible
// way, role first, then beside the playbook. A missing one fails its task when it runs, so a task
// skipped by `when` or under ignore_errors does not stop the run; --syntax-check warns about it.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Playbook, Task } from './types.js';
import { tasksIn } from './walk.js';

/** Where a task's `src` is on the controller (role first, then beside the playbook); InputError if nowhere. */
export function findControllerFile(dir: string, task: Pick<Task, 'role' | 'loc'>, kind: 'files' | 'templates' | 'vars', path: string): string {
  const what = kind === 'files' ? 'file' : kind === 'vars' ? 'vars file' : 'template';
  if (isAbsolute(path)) {
    if (existsSync(path)) return path;
    throw new InputError(`${what} '${path}' not found`, task.loc);
  }
  const candidates = [...(task.role ? [join(task.role.dir, kind, path), join(task.role.dir, path)] : []), join(dir, kind, path), join(dir, path)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new InputError(`${what} '${path}' not found`, task.loc, `looked in: ${candidates.join(', ')}`);
  }
  return found;
}

const SOURCE_KINDS: Record<string, 'files' | 'templates'> = {
  template: 'templates', 'ansible.builtin.template': 'templates', copy: 'files', 'ansible.builtin.copy': 'files',
};

/** copy/template tasks whose literal `src` (no `{{`, not a folder) is nowhere to be found. */
export function missingSources(playbook: Playbook): InputError[] {
  const out: InputError[] = [];
  for (const play of playbook.plays) {
    for (const task of [...tasksIn(play.tasks), ...play.handlers]) {
      const kind = SOURCE_KINDS[task.module];
      if (!kind || !task.args || typeof task.args !== 'object') continue;
      const src = (task.args as Record<string, unknown>).src;
      if (typeof src !== 'string' || src.includes('{{') || src.endsWith('/')) continue;
      try {
        findControllerFile(playbook.dir, task, kind, src);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        // A role's task is in the play once per use of the role: warn once.
        if (!out.some((e) => e.describe() === err.describe())) out.push(err);
      }
    }
  }
  return out;
}
