// Finds what `runbook compat` reads in a tree: roles (a folder with tasks/ or meta/main.yml under a
// roles/ folder, or the tree itself), playbooks (YAML lists of plays), loose task files, templates.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface Tree {
  roles: string[];
  playbooks: string[];
  /** Task lists outside roles (a project's tasks/*.yml, included by its playbooks). */
  taskFiles: string[];
  /** Template files outside roles (templates/ beside playbooks). */
  templates: string[];
}

const YAML = /\.ya?ml$/;
const SKIP = new Set(['.git', 'node_modules', '.github', 'molecule', 'tests', '.tox']);
/** Folders of a project that hold variables or metadata, never playbooks. */
const DATA = new Set(['group_vars', 'host_vars', 'vars', 'defaults', 'meta', 'files', 'inventory', 'inventories']);

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export function isRoleDir(dir: string): boolean {
  return isDir(join(dir, 'tasks')) || (isDir(join(dir, 'meta')) && isDir(join(dir, 'handlers')));
}

/** Every file under `dir` (recursively), in a stable order. */
export function filesUnder(dir: string, keep: (f: string) => boolean = () => true): string[] {
  const out: string[] = [];
  for (const name of list(dir)) {
    const p = join(dir, name);
    if (isDir(p)) out.push(...filesUnder(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

export function scanTree(root: string): Tree {
  const tree: Tree = { roles: [], playbooks: [], taskFiles: [], templates: [] };
  if (isRoleDir(root) && !isDir(join(root, 'roles'))) {
    tree.roles.push(root);
    return tree;
  }
  const walk = (dir: string, where: 'project' | 'tasks'): void => {
    for (const name of list(dir)) {
      const p = join(dir, name);
      if (SKIP.has(name) || name.startsWith('.')) continue;
      if (isDir(p)) {
        if (name === 'roles') {
          for (const r of list(p)) if (isRoleDir(join(p, r))) tree.roles.push(join(p, r));
        } else if (name === 'templates') tree.templates.push(...filesUnder(p));
        else if (name === 'tasks' || name === 'handlers') walk(p, 'tasks');
        else if (!DATA.has(name)) walk(p, where);
        continue;
      }
      if (!YAML.test(name) || basename(p).startsWith('requirements')) continue;
      (where === 'tasks' ? tree.taskFiles : tree.playbooks).push(p);
    }
  };
  walk(root, 'project');
  return tree;
}
