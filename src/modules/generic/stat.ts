// stat: reads a path's facts for `register` (exists, isdir, mode, owner, checksum); never changes anything.
import { shQuote } from '../../core/shell.js';
import { fileStateSections, parseFileState } from '../lib/file-state.js';
import { formatMode } from '../lib/mode.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

export const statSpec = defineSpec({
  description: "Reads a path's facts for register: (exists, isdir, mode, owner, checksum); never changes anything.",
  args: {
    path: { type: 'str', required: true, aliases: ['dest', 'name'], description: 'Path of the file on the host.' },
    follow: { type: 'bool', default: false, description: 'Follow a symbolic link and describe its target.' },
    get_checksum: { type: 'bool', default: true, description: "Compute the file's checksum." },
    checksum_algorithm: { type: 'str', choices: ['sha1'], default: 'sha1', aliases: ['checksum', 'checksum_algo'], description: 'Checksum algorithm; runbook computes sha1.' },
    // No Python and no libmagic on the host: accepted for existing playbooks, ignored.
    get_mime: { type: 'bool', ignored: true, description: 'Accepted for Ansible playbooks and ignored.' },
    get_attributes: { type: 'bool', ignored: true, description: 'Accepted for Ansible playbooks and ignored.' },
  },
  examples: `- name: Is the old config still there?
  stat:
    path: /etc/app/old.conf
  register: old

- name: Remove it
  file:
    path: /etc/app/old.conf
    state: absent
  when: old.stat.exists`,
  returns: {
    'stat.exists': 'Whether the path exists (the only key when it does not).',
    'stat.isdir / isreg / islnk': 'Its kind.',
    'stat.mode': "Permissions as an octal string ('0644').",
    'stat.pw_name / gr_name / uid / gid': 'Owner and group.',
    'stat.size / mtime': 'Size in bytes and modification time.',
    'stat.checksum': 'sha1 of a regular file (unless get_checksum: false).',
    'stat.lnk_target': 'Where a link points.',
  },
});

export interface StatArgs {
  path: string;
  follow: boolean;
  getChecksum: boolean;
}

const permBits: Array<[string, number]> = [
  ['rusr', 0o400], ['wusr', 0o200], ['xusr', 0o100],
  ['rgrp', 0o040], ['wgrp', 0o020], ['xgrp', 0o010],
  ['roth', 0o004], ['woth', 0o002], ['xoth', 0o001],
];

export const statModule: RemoteModule<StatArgs> = {
  kind: 'remote',
  name: 'stat',
  ...specFields(statSpec),
  parse(raw, loc) {
    const { args } = parseSpec('stat', statSpec, raw, loc);
    return { path: args.path, follow: args.follow, getChecksum: args.get_checksum };
  },
  probe(a) {
    return {
      script: sectionsScript({
        ...fileStateSections('path', a.path, { follow: a.follow }),
        real: `if [ -L ${shQuote(a.path)} ]; then readlink -f -- ${shQuote(a.path)}; fi`,
      }),
    };
  },
  plan(a, probe) {
    const parsed = parseSections(probe);
    if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
    const st = parseFileState(parsed.sections, 'path', a.path);
    if (!st.exists) return { changes: [], steps: [], data: { stat: { exists: false } } };
    const mode = st.mode ?? 0;
    const raw = st.rawType ?? '';
    const stat: Record<string, unknown> = {
      exists: true,
      path: a.path,
      mode: formatMode(mode),
      isdir: st.type === 'directory',
      isreg: st.type === 'file',
      islnk: st.type === 'link',
      isfifo: raw === 'fifo',
      issock: raw === 'socket',
      isblk: raw === 'block special file',
      ischr: raw === 'character special file',
      uid: st.uid,
      gid: st.gid,
      pw_name: st.owner,
      gr_name: st.group,
      size: st.size,
      mtime: st.mtime,
      readable: st.readable,
      writeable: st.writable,
      executable: st.executable,
      isuid: (mode & 0o4000) !== 0,
      isgid: (mode & 0o2000) !== 0,
      ...Object.fromEntries(permBits.map(([name, bit]) => [name, (mode & bit) !== 0])),
    };
    if (a.getChecksum && st.sha1) stat.checksum = st.sha1;
    if (st.type === 'link') {
      stat.lnk_target = st.linkTarget;
      stat.lnk_source = parsed.sections.real.trim();
    }
    return { changes: [], steps: [], data: { stat } };
  },
};
