// A host's inventory variables in Ansible's order (lowest first):
//   inventory-file vars of `all`, then of the host's groups (by depth, ansible_group_priority, name);
//   group_vars/all beside the inventory, then beside the playbook;
//   group_vars/<group> beside the inventory, then beside the playbook (groups in the same order);
//   the host's inventory-file vars; host_vars/<host> beside the inventory, then beside the playbook.
import type { Vars } from '../core/types.js';
import type { InventoryData } from './builder.js';
import type { VarsDirLayer } from './vars-dirs.js';

/** The host's groups without `all`, in the order their variables apply. */
export function sortedGroupsOf(host: string, data: InventoryData): string[] {
  const groups = [...data.members].filter(([name, hosts]) => name !== 'all' && hosts.includes(host)).map(([name]) => name);
  const priority = (g: string): number => {
    const p = Number(data.groups.get(g)?.vars.ansible_group_priority ?? 1);
    return Number.isFinite(p) ? p : 1;
  };
  return groups.sort((a, b) => (data.depth.get(a) ?? 0) - (data.depth.get(b) ?? 0) || priority(a) - priority(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Merges with Ansible's default `hash_behaviour = replace`: a later top-level key replaces the whole value. */
export function mergeHostVars(host: string, data: InventoryData, layers: readonly VarsDirLayer[]): Vars {
  const groups = sortedGroupsOf(host, data);
  const out: Vars = {};
  Object.assign(out, data.groups.get('all')?.vars);
  for (const g of groups) Object.assign(out, data.groups.get(g)?.vars);
  for (const l of layers) Object.assign(out, l.groups.get('all'));
  for (const l of layers) for (const g of groups) Object.assign(out, l.groups.get(g));
  Object.assign(out, data.hosts.get(host)?.vars);
  for (const l of layers) Object.assign(out, l.hosts.get(host));
  return out;
}
