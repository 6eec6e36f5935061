// The module a task runs: a custom module's file when the loader found one in a library/ folder
// (it comes before runbook's built-ins, as in Ansible), else the registry's.
import { customModule } from '../modules/custom/module.js';
import type { Module } from '../modules/types.js';
import type { Task } from '../playbook/types.js';

export function moduleOf(modules: (name: string) => Module | undefined, task: Pick<Task, 'module' | 'library'>): Module | undefined {
  return task.library !== undefined ? customModule(task.module, task.library) : modules(task.module);
}
