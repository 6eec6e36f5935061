// The inventory as the executor sees it: host names, groups, and each host's merged variables.
import type { SourceLoc, Vars } from '../core/types.js';

export interface Inventory {
  /** The file (or directory) it was read from. */
  source: string;
  /** Every host, in the order the inventory lists them. */
  hosts: string[];
  /** Group name -> hosts, flattened through children; includes `all` and `ungrouped` (Ansible's magic `groups`). */
  groups: Record<string, string[]>;
  /** Groups a host belongs to, directly or through children (`group_names`, without `all`). */
  groupNames(host: string): string[];
  /**
   * A host's variables from the inventory, group_vars/ and host_vars/, merged in Ansible's
   * order (all < parent group < child group < host), not yet templated.
   */
  hostVars(host: string): Vars;
  /** Where a host was declared, for errors. */
  hostLoc(host: string): SourceLoc | undefined;
  /** Hosts matching an Ansible pattern, in inventory order. Unknown names match nothing. */
  match(pattern: string): string[];
}
