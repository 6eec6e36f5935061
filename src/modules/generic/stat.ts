// stat: reads a path's facts for `register` (exists, isdir, mode, owner, checksum); never changes anything.
import { shQuote } from '../../core/shell.js';
import { ArgReader } from '../lib/args.js';
import { fileStateSections, parseFileState } from '../lib/file-state.js';
import { formatMode } from '../lib/mode.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import type { RemoteModule } from '../types.js';

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
  argNames: ['path', 'dest', 'name', 'follow', 'get_checksum', 'checksum_algorithm', 'checksum', 'checksum_algo', 'get_mime', 'get_attributes'],
  parse(raw, loc) {
    const args = new ArgReader('stat', raw, loc, { dest: 'path', name: 'path', checksum: 'checksum_algorithm', checksum_algo: 'checksum_algorithm' });
    // get_mime / get_attributes are accepted for existing playbooks and ignored: no Python, no libmagic.
    args.choice('checksum_algorithm', ['sha1'] as const, 'sha1');
    return { path: args.requiredStr('path'), follow: args.bool('follow', false), getChecksum: args.bool('get_checksum', true) };
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
