// Which folders and files a run's bundle holds: the playbook's folder (and every file its plays
// and tasks came from), the role folders the loader searches, the inventory with its group_vars/
// and host_vars/, and -e @files. The SSH keys the run names are listed to be left out.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { Inventory } from '../inventory/types.js';
import type { Playbook, TaskNode } from '../playbook/types.js';
import type { BundleSources } from './bundle.js';

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function nearestRolesDir(playbookDir: string): string[] {
  for (let d = dirname(playbookDir); ; d = dirname(d)) {
    if (isDir(join(d, 'roles'))) return [join(d, 'roles')];
    if (dirname(d) === d) return [];
  }
}

function filesOf(nodes: TaskNode[], out: Set<string>): void {
  for (const n of nodes) {
    out.add(n.loc.file);
    if (n.kind === 'block') [n.block, n.rescue, n.always].forEach((b) => filesOf(b, out));
  }
}

export interface SourceInput {
  playbook: Playbook;
  inventory: Inventory;
  inventoryPath: string;
  rolesPath: string[];
  extraVarFiles: string[];
  privateKeyFiles: string[];
}

export function bundleSources(input: SourceInput): BundleSources {
  const files = new Set<string>([input.playbook.file, ...input.extraVarFiles]);
  for (const play of input.playbook.plays) {
    files.add(play.loc.file);
    for (const list of [play.tasks, play.handlers, play.checks ?? []]) filesOf(list, files);
  }
  const inv = resolve(input.inventoryPath);
  const dirs = [input.playbook.dir, ...nearestRolesDir(input.playbook.dir), ...input.rolesPath];
  if (isDir(inv)) dirs.push(inv);
  else {
    files.add(inv);
    for (const sub of ['group_vars', 'host_vars']) if (isDir(join(dirname(inv), sub))) dirs.push(join(dirname(inv), sub));
  }
  // Keys named by the inventory are the workers' to have; a literal path is enough to leave one out.
  const keys = new Set(input.privateKeyFiles.map((k) => resolve(k)));
  for (const h of input.inventory.hosts) {
    const vars = input.inventory.hostVars(h);
    for (const name of ['ansible_ssh_private_key_file', 'ansible_private_key_file']) {
      const v = vars[name];
      if (typeof v === 'string' && isAbsolute(v)) keys.add(v);
      else if (typeof v === 'string' && !v.includes('{{')) keys.add(resolve(input.playbook.dir, v));
    }
  }
  return { dirs, files: [...files].filter((f) => !f.startsWith('<')), exclude: [...keys] };
}
