// Builds the variables a task sees on one host, in Ansible's precedence order (lowest first),
// restricted to the sources runbook has. Values holding templates are rendered lazily on
// first access, as Ansible does, so `a: "{{b}}"` works whatever order they were defined in.
import type { Vars } from '../core/types.js';
import type { HostData } from '../core/host-data.js';
import type { Inventory } from '../inventory/types.js';
import type { Play, Role } from '../playbook/types.js';
import type { HostState } from './host-state.js';
import { markStable } from './lazy-vars.js';

/** Variables that hold a login or sudo password (Ansible's names and aliases). */
export const PASSWORD_VARS = ['ansible_password', 'ansible_ssh_pass', 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass', 'ansible_su_pass'] as const;

/** Ansible's order, restricted to what runbook supports (docs/playbooks.md, "Variable precedence"). */
export interface VarLayers {
  roleDefaults: Vars;
  inventory: Vars;
  /** Gathered facts: host data, never rendered. */
  facts: HostData;
  playVars: Vars;
  varsFiles: Vars[];
  roleVars: Vars;
  scopeVars: Vars[]; // block vars, then task vars
  /** include_vars: playbook content, rendered when used. */
  includedVars: Vars;
  /** set_fact and register: host data, never rendered. */
  hostFacts: HostData;
  roleParams: Vars;
  extraVars: Vars;
  magic: Vars;
}

export function mergeLayers(l: VarLayers): Vars {
  return Object.assign(
    {},
    l.roleDefaults,
    l.inventory,
    l.facts,
    l.playVars,
    ...l.varsFiles,
    l.roleVars,
    ...l.scopeVars,
    l.includedVars,
    l.hostFacts,
    l.roleParams,
    l.extraVars,
    l.magic,
  );
}

/** Role defaults of the task's role and of the roles it depends on would be ideal; runbook uses all roles of the play, role's own last. */
export function roleDefaultsFor(play: Play, role: Role | undefined): Vars {
  const out: Vars = {};
  for (const r of play.roles) if (r !== role) Object.assign(out, r.defaults);
  if (role) Object.assign(out, role.defaults);
  return out;
}

export interface MagicInput {
  host: string;
  inventory: Inventory;
  playHosts: string[];
  check: boolean;
  verbosity: number;
  role?: Role;
  hostvars: Vars;
}

export function magicVars(m: MagicInput): Vars {
  return {
    inventory_hostname: m.host,
    inventory_hostname_short: m.host.split('.')[0],
    group_names: m.inventory.groupNames(m.host),
    groups: markStable(m.inventory.groups),
    hostvars: m.hostvars,
    play_hosts: m.playHosts,
    ansible_play_hosts: m.playHosts,
    ansible_play_batch: m.playHosts,
    ansible_check_mode: m.check,
    ansible_verbosity: m.verbosity,
    ...(m.role ? { role_name: m.role.name, role_path: m.role.dir } : {}),
  };
}

/**
 * hostvars: every inventory host's inventory vars plus what the run learnt about it (facts,
 * set_fact). Getters keep it cheap: a task only pays for the hosts it actually looks at.
 */
export function buildHostvars(inventory: Inventory, states: Map<string, HostState>, extraVars: Vars): Vars {
  const out: Vars = {};
  for (const name of inventory.hosts) {
    let cached: Vars | undefined;
    Object.defineProperty(out, name, {
      enumerable: true,
      get() {
        const st = states.get(name);
        // Facts and registered values stay UnsafeText here: a template that reads another host's
        // output gets its text, and rendering hostvars as a whole never runs what that host said.
        cached ??= { inventory_hostname: name, ...inventory.hostVars(name), ...(st?.facts ?? {}), ...(st?.includedVars ?? {}), ...(st?.hostFacts ?? {}), ...extraVars };
        return cached;
      },
    });
  }
  return out;
}

export function hostStateLayers(st: HostState): Pick<VarLayers, 'facts' | 'includedVars' | 'hostFacts'> {
  return { facts: st.facts, includedVars: st.includedVars, hostFacts: st.hostFacts };
}
