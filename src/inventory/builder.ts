// Collects groups and hosts as the inventory parsers (YAML, INI) declare them, then settles
// Ansible's implicit structure: `all`, `ungrouped`, group depth and flattened membership.
import { InputError } from '../core/errors.js';
import { formatLoc, type SourceLoc, type Vars } from '../core/types.js';

export interface GroupData {
  name: string;
  loc?: SourceLoc;
  /** Variables written in the inventory file itself (not group_vars/). */
  vars: Vars;
  children: string[];
  parents: Set<string>;
  /** Hosts listed directly in this group, with where, to refuse a host listed twice. */
  hosts: Map<string, SourceLoc>;
}

export interface HostData {
  name: string;
  loc: SourceLoc;
  /** Inline variables from the inventory file; later declarations override earlier ones. */
  vars: Vars;
}

/** The settled structure every other inventory file reads. */
export interface InventoryData {
  hosts: Map<string, HostData>;
  groups: Map<string, GroupData>;
  /** Group -> hosts, through children, in inventory order. */
  members: Map<string, string[]>;
  /** Longest path from `all` (Ansible's group depth: deeper groups' variables win). */
  depth: Map<string, number>;
}

const BAD_GROUP_NAME = /[\s:,!&[\]]/;

export class InventoryBuilder {
  readonly groups = new Map<string, GroupData>();
  readonly hosts = new Map<string, HostData>();

  constructor() {
    this.group('all');
    this.group('ungrouped');
  }

  group(name: string, loc?: SourceLoc): GroupData {
    let g = this.groups.get(name);
    if (!g) {
      if (BAD_GROUP_NAME.test(name) || name === '') {
        throw new InputError(`invalid group name '${name}'`, loc, 'group names may not contain spaces or any of : , ! & [ ] (they are pattern operators)');
      }
      g = { name, loc, vars: {}, children: [], parents: new Set(), hosts: new Map() };
      this.groups.set(name, g);
    } else if (!g.loc && loc) g.loc = loc;
    return g;
  }

  addChild(parentName: string, childName: string, loc: SourceLoc): void {
    if (childName === 'all') throw new InputError("group 'all' cannot be a child group", loc);
    const parent = this.group(parentName, loc);
    const child = this.group(childName, loc);
    if (childName === parentName || this.isAncestor(childName, parentName)) {
      throw new InputError(`group '${childName}' as a child of '${parentName}' makes a loop`, loc, 'a group cannot contain itself through its children');
    }
    if (!parent.children.includes(childName)) parent.children.push(childName);
    child.parents.add(parentName);
  }

  addHost(groupName: string, name: string, vars: Vars, loc: SourceLoc): void {
    const group = this.group(groupName, loc);
    const first = group.hosts.get(name);
    // Twice in one file is a mistake; in two inventory files (several -i, or a directory) it is the
    // same host seen again, and Ansible merges it.
    if (first && first.file === loc.file) {
      throw new InputError(`host '${name}' is listed twice in group '${groupName}' (first at ${formatLoc(first)})`, loc, 'list each host once per group');
    }
    group.hosts.set(name, loc);
    const host = this.hosts.get(name);
    if (host) Object.assign(host.vars, vars);
    else this.hosts.set(name, { name, loc, vars: { ...vars } });
  }

  setGroupVars(groupName: string, vars: Vars, loc?: SourceLoc): void {
    Object.assign(this.group(groupName, loc).vars, vars);
  }

  /** Is `a` reachable from `b` by following parents? */
  private isAncestor(a: string, b: string): boolean {
    const seen = new Set<string>();
    const stack = [b];
    while (stack.length) {
      const g = stack.pop()!;
      if (g === a) return true;
      if (seen.has(g)) continue;
      seen.add(g);
      stack.push(...(this.groups.get(g)?.parents ?? []));
    }
    return false;
  }

  /** Settles the implicit structure, as Ansible does after parsing every source. */
  finish(): InventoryData {
    const all = this.groups.get('all')!;
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.size === 0) {
        g.parents.add('all');
        all.children.push(g.name);
      }
    }
    const ungrouped = this.groups.get('ungrouped')!;
    for (const h of this.hosts.values()) {
      const inAGroup = [...this.groups.values()].some((g) => g.name !== 'all' && g.name !== 'ungrouped' && g.hosts.has(h.name));
      if (!inAGroup && !ungrouped.hosts.has(h.name)) ungrouped.hosts.set(h.name, h.loc);
    }
    return { hosts: this.hosts, groups: this.groups, members: this.members(), depth: this.depths() };
  }

  private members(): Map<string, string[]> {
    const order = [...this.hosts.keys()];
    const out = new Map<string, string[]>();
    const collect = (name: string, into: Set<string>): void => {
      const g = this.groups.get(name)!;
      for (const h of g.hosts.keys()) into.add(h);
      for (const c of g.children) collect(c, into);
    };
    for (const name of this.groups.keys()) {
      const set = new Set<string>();
      if (name === 'all') for (const h of order) set.add(h);
      else collect(name, set);
      out.set(name, order.filter((h) => set.has(h)));
    }
    return out;
  }

  private depths(): Map<string, number> {
    const depth = new Map<string, number>();
    const visit = (name: string, d: number): void => {
      if ((depth.get(name) ?? -1) >= d) return;
      depth.set(name, d);
      for (const c of this.groups.get(name)!.children) visit(c, d + 1);
    };
    visit('all', 0);
    return depth;
  }
}
