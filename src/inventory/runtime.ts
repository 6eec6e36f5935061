// The inventory as a run changes it: add_host and group_by add hosts and groups in memory, for the
// later tasks and plays of the same run, as Ansible's in-memory inventory does. Nothing is written.
import type { SourceLoc, Vars } from '../core/types.js';
import { matchPattern } from './pattern.js';
import type { Inventory } from './types.js';

export class RuntimeInventory implements Inventory {
  private readonly addedHosts: string[] = [];
  /** Group -> hosts put into it during the run (directly or through a child group). */
  private readonly addedMembers = new Map<string, Set<string>>();
  /** Group -> parent groups given by group_by/add_host for groups the inventory did not have. */
  private readonly parentsOf = new Map<string, Set<string>>();
  private readonly addedVars = new Map<string, Vars>();
  private cachedGroups?: Record<string, string[]>;
  /** Bumped on every change, so callers know to recompute what depends on membership. */
  version = 0;

  constructor(readonly base: Inventory) {}

  get source(): string {
    return this.base.source;
  }

  get hosts(): string[] {
    return this.addedHosts.length ? [...this.base.hosts, ...this.addedHosts] : this.base.hosts;
  }

  get groups(): Record<string, string[]> {
    if (this.version === 0) return this.base.groups;
    if (!this.cachedGroups) {
      const order = this.hosts;
      const out: Record<string, string[]> = {};
      const names = new Set([...Object.keys(this.base.groups), ...this.addedMembers.keys()]);
      for (const g of names) {
        const set = new Set([...(this.base.groups[g] ?? []), ...(this.addedMembers.get(g) ?? [])]);
        out[g] = [...order.filter((h) => set.has(h)), ...[...set].filter((h) => !order.includes(h))];
      }
      out.all = [...new Set([...(out.all ?? []), ...this.addedHosts])];
      this.cachedGroups = out;
    }
    return this.cachedGroups;
  }

  has(host: string): boolean {
    return this.base.hosts.includes(host) || this.addedHosts.includes(host);
  }

  groupNames(host: string): string[] {
    const names = new Set(this.base.hosts.includes(host) ? this.base.groupNames(host) : []);
    for (const [g, members] of this.addedMembers) if (g !== 'all' && g !== 'ungrouped' && members.has(host)) names.add(g);
    return [...names].sort();
  }

  hostVars(host: string): Vars {
    const added = this.addedVars.get(host);
    return added ? { ...this.base.hostVars(host), ...added } : this.base.hostVars(host);
  }

  hostLoc(host: string): SourceLoc | undefined {
    return this.base.hostLoc(host);
  }

  match(pattern: string): string[] {
    if (this.version === 0) return this.base.match(pattern);
    return matchPattern(pattern, { hosts: this.hosts, members: new Map(Object.entries(this.groups)) });
  }

  /** add_host: the host (new or known), in these groups, with these variables over its own. Says whether anything changed. */
  addHost(host: string, groups: readonly string[], vars: Vars): boolean {
    let changed = false;
    if (!this.has(host)) {
      this.addedHosts.push(host);
      changed = true;
    }
    for (const g of groups) changed = this.join(host, g) || changed;
    if (Object.keys(vars).length) {
      const before = this.addedVars.get(host) ?? {};
      const after = { ...before, ...vars };
      if (JSON.stringify(after) !== JSON.stringify(before)) changed = true;
      this.addedVars.set(host, after);
    }
    if (changed) this.touch();
    return changed;
  }

  /** group_by: the host joins the group, which becomes a child of `parents` (created when missing). */
  addToGroup(host: string, group: string, parents: readonly string[] = []): boolean {
    let changed = false;
    for (const p of parents) {
      const set = this.parentsOf.get(group) ?? new Set<string>();
      if (!set.has(p)) {
        set.add(p);
        this.parentsOf.set(group, set);
        // Hosts already in the group belong to its new parent too.
        for (const h of this.groups[group] ?? []) this.join(h, p);
        changed = true;
      }
    }
    changed = this.join(host, group) || changed;
    if (changed) this.touch();
    return changed;
  }

  private join(host: string, group: string, seen = new Set<string>()): boolean {
    if (seen.has(group)) return false;
    seen.add(group);
    const already = (this.base.groups[group] ?? []).includes(host) || this.addedMembers.get(group)?.has(host) === true;
    if (!already) {
      const set = this.addedMembers.get(group) ?? new Set<string>();
      set.add(host);
      this.addedMembers.set(group, set);
    }
    let changed = !already;
    for (const p of this.parentsOf.get(group) ?? []) changed = this.join(host, p, seen) || changed;
    return changed;
  }

  private touch(): void {
    this.version++;
    this.cachedGroups = undefined;
  }
}
