// group_by: puts each host into a group named from its variables (os_{{ ansible_distribution }}),
// in the run's in-memory inventory, so later plays can target the group.
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionModule } from '../types.js';

export const groupBySpec = defineSpec({
  description: "Puts the host into a group named from its variables, in the run's in-memory inventory (nothing is written), so later plays of the run can target the group. Reports ok, as Ansible does.",
  args: {
    key: { type: 'str', required: true, description: 'The group name (spaces become dashes, as in Ansible).' },
    parents: { type: 'list', default: ['all'], description: 'Groups the new group belongs to.' },
  },
  examples: `- name: Group hosts by distribution
  group_by:
    key: os_{{ ansible_distribution | lower }}`,
  returns: { add_group: 'The group the host joined.', parent_groups: 'Its parent groups.' },
  checkMode: 'Runs in check mode too, as in Ansible.',
});

export interface GroupByArgs {
  key: string;
  parents: string[];
}

export const groupByModule: ActionModule<GroupByArgs> = {
  kind: 'action',
  touchesNoHost: true,
  name: 'group_by',
  checkMode: 'run',
  ...specFields(groupBySpec),
  parse(raw, loc) {
    const { args, reader } = parseSpec('group_by', groupBySpec, raw, loc);
    const key = args.key.trim().replace(/\s+/g, '-');
    if (key === '' || /[:,!&[\]]/.test(key)) throw reader.error(`'${args.key}' is not a group name`, 'group names may not contain : , ! & [ ] (they are pattern operators)');
    return { key, parents: args.parents.map((p) => p.trim().replace(/\s+/g, '-')).filter(Boolean) };
  },
  async run(a, ctx) {
    if (!ctx.inventory) return { changed: false, failed: 'group_by: this run cannot change its inventory (a queued run: each worker has its own)' };
    ctx.inventory.addToGroup(ctx.host, a.key, a.parents.filter((p) => p !== 'all'));
    return { changed: false, data: { add_group: a.key, parent_groups: a.parents } };
  },
};
