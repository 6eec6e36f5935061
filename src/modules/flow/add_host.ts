// add_host: puts a host (new or known) into the run's in-memory inventory, with groups and
// variables, so later plays of the same run can target it, as Ansible's add_host.
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionModule } from '../types.js';
import type { Vars } from '../../core/types.js';

export const addHostSpec = defineSpec({
  description:
    "Adds a host to the run's in-memory inventory (nothing is written), in groups and with variables (every other key is a host variable: ansible_host, ansible_user, ...), so later plays of the same run can target it. Runs once for the batch, as Ansible's add_host: loop over hosts to add several. A new host gets the all group's variables and the ones given here; unlike Ansible, not the group_vars of the groups it joins.",
  anyArgs: true,
  args: {
    name: { type: 'str', required: true, aliases: ['host', 'hostname'], description: 'The host, optionally host:port (sets ansible_port).' },
    groups: { type: 'list', aliases: ['group', 'groupname'], default: [], description: 'Groups to put the host in (created when missing).' },
  },
  examples: `- name: Remember the new machine for the next play
  add_host:
    name: "{{ new_ip }}"
    groups: [fresh]
    ansible_user: admin`,
  returns: { add_host: 'host_name, groups and host_vars, as Ansible returns them.' },
  checkMode: 'Runs in check mode too, as in Ansible.',
});

export interface AddHostArgs {
  name: string;
  groups: string[];
  vars: Vars;
}

const varName = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const addHostModule: ActionModule<AddHostArgs> = {
  kind: 'action',
  touchesNoHost: true,
  name: 'add_host',
  checkMode: 'run',
  bypassHostLoop: true,
  ...specFields(addHostSpec),
  parse(raw, loc) {
    const known = new Set(['name', 'host', 'hostname', 'groups', 'group', 'groupname']);
    const own = Object.fromEntries(Object.entries(raw).filter(([k]) => known.has(k)));
    const { args, reader } = parseSpec('add_host', addHostSpec, own, loc);
    const vars: Vars = {};
    for (const [k, v] of Object.entries(raw)) {
      if (known.has(k)) continue;
      if (!varName.test(k)) throw reader.error(`'${k}' is not a valid variable name`, 'use letters, digits and _ and do not start with a digit');
      vars[k] = v;
    }
    let name = args.name.trim();
    // host:port, as Ansible splits it (an IPv6 address in brackets keeps its colons).
    const port = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(name);
    if (port) {
      name = port[1]!.replace(/^\[|\]$/g, '');
      vars.ansible_port = Number(port[2]);
    }
    if (name === '' || /\s/.test(name)) throw reader.error(`'${args.name}' is not a host name`);
    const groups = args.groups.flatMap((g) => g.split(',')).map((g) => g.trim()).filter(Boolean);
    return { name, groups, vars };
  },
  async run(a, ctx) {
    if (!ctx.inventory) return { changed: false, failed: 'add_host: this run cannot change its inventory (a queued run: each worker has its own)' };
    const changed = ctx.inventory.addHost(a.name, a.groups, a.vars);
    return { changed, data: { add_host: { host_name: a.name, groups: a.groups, host_vars: a.vars } } };
  },
};
