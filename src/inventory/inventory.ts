// The loaded inventory behind the Inventory interface: membership, merged vars, patterns.
import type { SourceLoc, Vars } from '../core/types.js';
import type { InventoryData } from './builder.js';
import { mergeHostVars, sortedGroupsOf } from './merge.js';
import { IMPLICIT_LOCALHOST, matchPattern } from './pattern.js';
import type { Inventory } from './types.js';
import type { VarsDirLayer } from './vars-dirs.js';

export class LoadedInventory implements Inventory {
  readonly hosts: string[];
  readonly groups: Record<string, string[]>;
  private readonly merged = new Map<string, Vars>();

  constructor(
    readonly source: string,
    private readonly data: InventoryData,
    /** group_vars/host_vars beside the inventory first, then beside the playbook. */
    private readonly layers: readonly VarsDirLayer[],
  ) {
    this.hosts = [...data.hosts.keys()];
    this.groups = Object.fromEntries(data.members);
  }

  groupNames(host: string): string[] {
    return sortedGroupsOf(host, this.data).sort();
  }

  /** A fresh copy each time, so callers may add to it. */
  hostVars(host: string): Vars {
    let vars = this.merged.get(host);
    if (!vars) {
      vars = mergeHostVars(host, this.data, this.layers);
      // Ansible's implicit localhost: not in any group, but `all` variables apply, and it runs locally.
      if (!this.data.hosts.has(host) && IMPLICIT_LOCALHOST.includes(host)) vars = { ...vars, ansible_connection: 'local' };
      this.merged.set(host, vars);
    }
    return { ...vars };
  }

  hostLoc(host: string): SourceLoc | undefined {
    return this.data.hosts.get(host)?.loc;
  }

  match(pattern: string): string[] {
    return matchPattern(pattern, { hosts: this.hosts, members: this.data.members });
  }
}
