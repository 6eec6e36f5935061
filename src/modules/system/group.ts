// group: a local group present (with a gid) or absent, as Ansible 2.14's group module does on Linux
// (groupadd / groupmod / groupdel), decided from one getent read of the group and of the gid asked for.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';

export const groupSpec = defineSpec({
  description: 'Makes sure a local group exists with a given gid, or does not exist (groupadd, groupmod, groupdel).',
  args: {
    name: { type: 'str', required: true, description: 'The group.' },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the group exists; absent: it does not.' },
    gid: { type: 'int', description: 'Its numeric id; an existing group with another gid gets this one (groupmod -g).' },
    system: { type: 'bool', default: false, description: 'Create it as a system group (a gid from the system range); an existing group is left as it is.' },
    non_unique: { type: 'bool', default: false, description: 'Allow a gid another group already has (with gid).' },
    local: { type: 'bool', ignored: true, description: 'Accepted for Ansible playbooks and ignored: runbook always manages /etc/group with groupadd.' },
  },
  requiredIf: [['non_unique', true, ['gid']]],
  examples: `- name: The application's group
  group:
    name: app
    system: yes

- name: A group with a fixed id
  group:
    name: deploy
    gid: 2001

- name: An old group gone
  group:
    name: legacy
    state: absent`,
  returns: { name: 'The group.', state: 'present or absent.', gid: 'Its gid (present).', system: 'Whether system: was asked for (present).' },
});

export type GroupArgs = ArgsOf<typeof groupSpec>;

/** What useradd and groupadd accept on Debian: no leading '-', no ':' or whitespace, at most 32 characters. */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}\$?$/;

export function parseGroupArgs(raw: Record<string, unknown>, loc: SourceLoc): GroupArgs {
  const { args, reader } = parseSpec('group', groupSpec, raw, loc);
  if (!NAME.test(args.name)) throw reader.error(`'${args.name}' is not a group name`, "letters, digits, '_', '.' and '-', not starting with '-', at most 32 characters");
  return args;
}

/** getent of the group by name and, when a gid is asked for, of the group holding that gid. */
export function groupProbe(a: GroupArgs): string {
  return sectionsScript({
    group: `getent group ${shQuote(a.name)} | head -n 1 | { IFS=: read -r n x gid rest && printf 'gid=%s\\n' "$gid"; }; :`,
    ...(a.gid !== undefined ? { holder: `getent group ${a.gid} | head -n 1 | cut -d: -f1` } : {}),
  });
}

export function planGroup(a: GroupArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const current = keyValues(parsed.sections.group).gid;
  const gid = current === undefined ? undefined : Number(current);
  const name = shQuote(a.name);
  if (a.state === 'absent') {
    if (gid === undefined) return { changes: [], steps: [], data: { name: a.name, state: 'absent' } };
    return { changes: [`remove group ${a.name}`], steps: [{ script: `groupdel ${name}` }], data: { name: a.name, state: 'absent' } };
  }
  const holder = parsed.sections.holder?.trim();
  const taken = a.gid !== undefined && holder !== undefined && holder !== '' && holder !== a.name && !a.non_unique;
  if (taken) {
    return { changes: [], steps: [], failure: { msg: `gid ${a.gid} is already the group ${holder}'s: give another gid, or non_unique: yes to share it` } };
  }
  const data = { name: a.name, state: 'present', gid: a.gid ?? gid ?? null, system: a.system };
  const unique = a.non_unique ? ' -o' : '';
  if (gid === undefined) {
    const opts = `${a.gid !== undefined ? ` -g ${a.gid}${unique}` : ''}${a.system ? ' -r' : ''}`;
    // The gid groupadd picked is only known after it ran: read it back for the result.
    return {
      changes: [`create group ${a.name}`],
      steps: [{ script: `groupadd${opts} ${name} && getent group ${name} | cut -d: -f3` }],
      data,
      provides: [{ kind: 'group', name: a.name }],
      afterApply: (results) => ({ data: { ...data, gid: Number(results[0]?.stdout.trim()) || data.gid } }),
    };
  }
  if (a.gid !== undefined && a.gid !== gid) {
    return { changes: [`change gid of group ${a.name} from ${gid} to ${a.gid}`], steps: [{ script: `groupmod -g ${a.gid}${unique} ${name}` }], data };
  }
  return { changes: [], steps: [], data };
}

export const groupModule: RemoteModule<GroupArgs> = {
  kind: 'remote',
  name: 'group',
  ...specFields(groupSpec),
  parse: parseGroupArgs,
  probe: (a) => ({ script: groupProbe(a) }),
  plan: (a, probe) => planGroup(a, probe),
};
