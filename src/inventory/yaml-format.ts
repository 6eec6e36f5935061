// Reads Ansible's YAML inventory (all / children / hosts / vars, nested to any depth) into the builder.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { didYouMean } from '../core/suggest.js';
import { expectMapping, isMapping, describeValue, type YamlMap } from '../yaml/expect.js';
import { keyLocAt, locAt } from '../yaml/locs.js';
import type { InventoryBuilder } from './builder.js';
import { parseHostEntry } from './host-name.js';

const GROUP_KEYS = ['hosts', 'children', 'vars'];

export function readYamlInventory(data: YamlMap, file: string, builder: InventoryBuilder): void {
  const top: SourceLoc = { file, line: 1, col: 1 };
  for (const [name, body] of Object.entries(data)) readGroup(builder, data, name, body, top, undefined);
}

function readGroup(b: InventoryBuilder, container: YamlMap, name: string, body: unknown, fallback: SourceLoc, parent: string | undefined): void {
  const loc = keyLocAt(container, name, fallback);
  b.group(name, loc);
  if (parent !== undefined) b.addChild(parent, name, loc);
  if (body === null) return;
  const group = expectMapping(body, `group '${name}'`, locAt(container, name, loc), 'a group is a mapping with hosts:, children: and vars:');
  for (const key of Object.keys(group)) {
    if (!GROUP_KEYS.includes(key)) {
      const hint = didYouMean(key, GROUP_KEYS) ?? 'a group may only have hosts:, children: and vars:; nest other groups under children:';
      throw new InputError(`unknown key '${key}' in group '${name}'`, keyLocAt(group, key, loc), hint);
    }
  }
  readHosts(b, name, group, loc);
  if (group.vars !== undefined && group.vars !== null) {
    b.setGroupVars(name, expectMapping(group.vars, `vars of group '${name}'`, locAt(group, 'vars', loc)));
  }
  const children = group.children;
  if (children === undefined || children === null) return;
  const kids = expectMapping(children, `children of group '${name}'`, locAt(group, 'children', loc), 'children: maps group names to groups, each followed by a colon');
  for (const [child, childBody] of Object.entries(kids)) readGroup(b, kids, child, childBody, loc, name);
}

function readHosts(b: InventoryBuilder, groupName: string, group: YamlMap, groupLoc: SourceLoc): void {
  const hosts = group.hosts;
  if (hosts === undefined || hosts === null) return;
  const where = locAt(group, 'hosts', groupLoc);
  if (!isMapping(hosts)) {
    throw new InputError(`hosts of group '${groupName}' must be a mapping, found ${describeValue(hosts)}`, where, 'write each host as a key followed by a colon: `web1:` (or `web1: {ansible_host: 10.0.0.5}`)');
  }
  for (const [entry, hostVars] of Object.entries(hosts)) {
    const loc = keyLocAt(hosts, entry, where);
    const vars = hostVars === null ? {} : expectMapping(hostVars, `variables of host '${entry}'`, locAt(hosts, entry, loc));
    for (const h of parseHostEntry(entry, loc)) b.addHost(groupName, h.name, { ...h.vars, ...vars }, loc);
  }
}
