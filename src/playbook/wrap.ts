// Applies keywords written on an import or a role reference (when, vars, become) to everything
// it brings in, by wrapping it in a block, as Ansible applies them to each imported task.
import type { SourceLoc, Vars } from '../core/types.js';
import type { EnvironmentLayer } from './environment.js';
import type { Block, Role, TaskNode } from './types.js';

export interface Inherited {
  name?: string;
  when: string[];
  vars: Vars;
  become?: boolean;
  becomeUser?: string;
  environment?: EnvironmentLayer[];
  tags: string[];
}

export function needsWrap(i: Inherited): boolean {
  return i.when.length > 0 || Object.keys(i.vars).length > 0 || i.become !== undefined || i.becomeUser !== undefined || (i.environment?.length ?? 0) > 0;
}

export function wrapNodes(nodes: TaskNode[], i: Inherited, loc: SourceLoc, role?: Role): TaskNode[] {
  if (!needsWrap(i)) return nodes;
  const block: Block = { kind: 'block', block: nodes, rescue: [], always: [], when: i.when, tags: i.tags, vars: i.vars, ignoreErrors: false, loc };
  if (i.name !== undefined) block.name = i.name;
  if (i.become !== undefined) block.become = i.become;
  if (i.becomeUser !== undefined) block.becomeUser = i.becomeUser;
  if (i.environment?.length) block.environment = i.environment;
  if (role) block.role = role;
  return [block];
}
