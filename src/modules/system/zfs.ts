// zfs: makes sure a ZFS file system, volume, snapshot or clone exists with the given properties (or
// does not), with the zfs command, as community.general.zfs does. The probe reads whether the dataset
// exists and the asked properties (as shown and as exact numbers), so only what differs is set.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc, Vars } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';

/** Properties ported playbooks still pass as arguments (Ansible before 2.9's key_value): each refused with what to write. */
const FORMER_PROPERTIES = [
  'quota', 'refquota', 'reservation', 'refreservation', 'snapdir', 'volsize', 'volblocksize', 'compression', 'mountpoint', 'recordsize',
  'atime', 'relatime', 'setuid', 'exec', 'devices', 'readonly', 'canmount', 'sharenfs', 'sharesmb', 'dedup', 'copies', 'xattr', 'acltype',
  'sync', 'checksum', 'primarycache', 'secondarycache', 'logbias',
];

export const zfsSpec = defineSpec({
  description: 'Creates (or destroys) a ZFS file system, volume, snapshot or clone, and sets its properties, with the zfs command.',
  args: {
    name: { type: 'str', required: true, description: 'The dataset: pool/fs for a file system or volume, pool/fs@snap for a snapshot.' },
    state: { type: 'str', required: true, choices: ['present', 'absent'], description: 'present: created if missing (with its parents), its properties set; absent: destroyed with everything that depends on it (zfs destroy -R).' },
    origin: { type: 'str', description: 'The snapshot to clone when the dataset is created.' },
    extra_zfs_properties: {
      type: 'dict',
      description: 'Properties to set (see zfs(8) and zfsprops(7)): volsize makes a volume; yes/no become on/off.',
    },
  },
  formerArgs: Object.fromEntries(
    FORMER_PROPERTIES.map((p) => [p, `a property, passed as an argument before Ansible 2.9 (key_value); ansible-core 2.14's zfs refuses it too: write extra_zfs_properties: { ${p}: VALUE }`]),
  ),
  examples: `- name: A file system with a 10 GiB quota and a visible .zfs folder
  zfs:
    name: rpool/ansible
    state: present
    extra_zfs_properties:
      quota: 10G
      snapdir: visible

- name: A 10 MiB volume
  zfs:
    name: rpool/smallvol
    state: present
    extra_zfs_properties:
      volsize: 10M

- name: A snapshot of it, and an old file system gone
  zfs: name=rpool/ansible@mysnapshot state=present
- zfs: name=rpool/oldfs state=absent`,
  returns: { name: 'The dataset.', state: 'The state asked for.' },
  checkMode: 'Reports what would be created, set or destroyed, from the dataset and its properties.',
});

export type ZfsArgs = Omit<ArgsOf<typeof zfsSpec>, 'extra_zfs_properties'> & { properties: Record<string, string> };

const DATASET = /^[A-Za-z0-9][A-Za-z0-9_.:/-]*(@[A-Za-z0-9_.:-]+)?$/;

export function parseZfsArgs(raw: Record<string, unknown>, loc: SourceLoc): ZfsArgs {
  const { args, reader } = parseSpec('zfs', zfsSpec, raw, loc);
  for (const name of ['name', 'origin'] as const) {
    const v = args[name];
    if (v !== undefined && (!DATASET.test(v) || v.includes('//') || v.endsWith('/'))) throw reader.error(`${name} '${v}' is not a ZFS dataset name`, 'pool/path, or pool/path@snapshot');
  }
  if (args.origin !== undefined && !args.origin.includes('@')) throw reader.error(`origin '${args.origin}' is not a snapshot`, 'a clone is made from pool/fs@snapshot');
  const properties: Record<string, string> = {};
  for (const [prop, value] of Object.entries(args.extra_zfs_properties ?? {})) {
    if (!/^[a-z][a-z0-9_.:-]*$/.test(prop)) throw reader.error(`'${prop}' is not a ZFS property name`, 'e.g. quota, compression, or a user property such as com.example:owner');
    // YAML reads off/on/yes/no as booleans; zfs wants on/off (Ansible converts them the same way).
    const text = typeof value === 'boolean' ? (value ? 'on' : 'off') : typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
    if (text === undefined || /[\r\n]/.test(text)) throw reader.error(`extra_zfs_properties.${prop} must be one line of text, a number or a boolean`);
    properties[prop] = text;
  }
  const { extra_zfs_properties: _drop, ...rest } = args;
  return { ...rest, properties };
}

export function zfsProbe(a: ZfsArgs): string {
  const name = shQuote(a.name);
  const props = Object.keys(a.properties);
  const parts: Record<string, string> = {
    zfs: `command -v zfs >/dev/null 2>&1 && echo zfs=yes\nzfs list -H -o name -t all ${name} >/dev/null 2>&1 && echo exists=yes\n:`,
  };
  if (props.length) {
    // As zfs shows them (10G) and as exact numbers (-p: 10737418240): a value written either way is the same.
    parts.shown = `zfs get -H -o property,value ${shQuote(props.join(','))} ${name} 2>/dev/null || :`;
    parts.exact = `zfs get -H -p -o property,value ${shQuote(props.join(','))} ${name} 2>/dev/null || :`;
  }
  return sectionsScript(parts);
}

function propertyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of (text ?? '').split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out[line.slice(0, tab)] = line.slice(tab + 1);
  }
  return out;
}

export function planZfs(a: ZfsArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const facts = parsed.sections.zfs ?? '';
  const data: Vars = { name: a.name, state: a.state };
  if (!/^zfs=yes$/m.test(facts)) return { changes: [], steps: [], data, failure: { msg: 'no zfs command on the host (Debian: zfsutils-linux, from contrib, with the zfs kernel module)', needs: [{ kind: 'package', name: 'zfsutils-linux' }] } };
  const exists = /^exists=yes$/m.test(facts);
  const name = shQuote(a.name);
  if (a.state === 'absent') {
    if (!exists) return { changes: [], steps: [], data };
    return { changes: [`destroy ${a.name} and what depends on it`], steps: [{ script: `zfs destroy -R ${name}` }], data };
  }
  if (!exists) {
    const { volsize, volblocksize, ...rest } = a.properties;
    const opts = Object.entries(rest).map(([p, v]) => `-o ${shQuote(`${p}=${v}`)}`);
    let script: string;
    if (a.name.includes('@')) script = ['zfs snapshot', ...opts, name].join(' ');
    else if (a.origin !== undefined) script = ['zfs clone -p', ...opts, shQuote(a.origin), name].join(' ');
    else {
      const vol = [...(volsize !== undefined ? [`-V ${shQuote(volsize)}`] : []), ...(volblocksize !== undefined ? [`-b ${shQuote(volblocksize)}`] : [])];
      script = ['zfs create -p', ...opts, ...vol, name].join(' ');
    }
    const what = a.name.includes('@') ? 'snapshot' : a.origin !== undefined ? `clone of ${a.origin}` : volsize !== undefined ? 'volume' : 'file system';
    return { changes: [`create the ${what} ${a.name}`], steps: [{ script }], data };
  }
  const shown = propertyValues(parsed.sections.shown);
  const exact = propertyValues(parsed.sections.exact);
  const differ = Object.entries(a.properties).filter(([p, v]) => shown[p] !== v && exact[p] !== v);
  if (differ.length === 0) return { changes: [], steps: [], data };
  return {
    changes: differ.map(([p, v]) => `set ${p}=${v} on ${a.name} (was ${shown[p] ?? 'unknown'})`),
    steps: differ.map(([p, v]) => ({ script: `zfs set ${shQuote(`${p}=${v}`)} ${name}` })),
    data,
  };
}

export const zfsModule: RemoteModule<ZfsArgs> = {
  kind: 'remote',
  name: 'zfs',
  ...specFields(zfsSpec),
  parse: parseZfsArgs,
  probe: (a) => ({ script: zfsProbe(a) }),
  plan: (a, probe) => planZfs(a, probe),
};
