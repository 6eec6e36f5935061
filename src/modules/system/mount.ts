// mount: a filesystem's fstab entry and its live mount state, as ansible.posix.mount does, decided
// from one read of the fstab and of findmnt. The fstab is rewritten whole, atomically (atomic-write.ts).
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { atomicWriteStep, writeOutcome } from '../lib/atomic-write.js';
import { backupArg } from '../lib/common-args.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { FileDiff, Plan, RemoteModule, Step } from '../types.js';

export const mountSpec = defineSpec({
  description: "Makes sure a filesystem has its fstab entry and is mounted, unmounted or remounted (mount, umount, findmnt). In a container only what the container may mount can be mounted: tmpfs, bind mounts; not block devices or NFS.",
  args: {
    path: { type: 'str', required: true, aliases: ['name'], description: 'The mount point (an absolute path).' },
    src: { type: 'str', description: "The device or source: /dev/sdb1, UUID=..., server:/export, or tmpfs's name." },
    fstype: { type: 'str', description: 'The filesystem type (ext4, xfs, tmpfs, nfs, none for a bind mount).' },
    opts: { type: 'str', defaultText: 'defaults', description: "Mount options (fstab's fourth field)." },
    dump: { type: 'str', default: '0', description: "fstab's fifth field (dump frequency)." },
    passno: { type: 'str', default: '0', description: "fstab's sixth field (fsck order)." },
    state: {
      type: 'str',
      choices: ['mounted', 'unmounted', 'present', 'absent', 'remounted'],
      required: true,
      description: 'mounted: in fstab and mounted (the mount point created; remounted when its entry changed); present: in fstab only; unmounted: not mounted, fstab untouched; absent: unmounted, out of fstab and its empty mount point removed; remounted: mount -o remount (always a change).',
    },
    fstab: { type: 'str', default: '/etc/fstab', description: 'The fstab file to edit (another one is passed to mount with -T).' },
    boot: { type: 'bool', default: true, description: 'false: noauto is added to opts, so the filesystem is not mounted at boot.' },
    backup: backupArg,
  },
  requiredIf: [['state', 'mounted', ['src', 'fstype']], ['state', 'present', ['src', 'fstype']]],
  examples: `- name: A scratch tmpfs
  mount:
    path: /srv/scratch
    src: tmpfs
    fstype: tmpfs
    opts: size=64m,mode=0755
    state: mounted

- name: The data disk, by UUID
  mount:
    path: /data
    src: UUID=0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d
    fstype: ext4
    opts: noatime
    state: mounted

- name: Unmounted and gone from fstab
  mount:
    path: /mnt/old
    state: absent`,
  returns: { name: 'The mount point.', src: 'The source.', fstype: 'The type.', opts: 'The options.', dump: 'dump.', passno: 'passno.', fstab: 'The fstab file.', backup_file: 'The copy of the old fstab (backup: yes).' },
  diff: 'The fstab before and after.',
});

export type MountArgs = ArgsOf<typeof mountSpec>;

export function parseMountArgs(raw: Record<string, unknown>, loc: SourceLoc): MountArgs {
  const { args, reader } = parseSpec('mount', mountSpec, raw, loc);
  if (!args.path.startsWith('/')) throw reader.error(`path must be absolute, got '${args.path}'`);
  if (args.path !== '/' && args.path.endsWith('/')) args.path = args.path.replace(/\/+$/, '');
  for (const k of ['src', 'fstype', 'opts', 'dump', 'passno'] as const) {
    const v = args[k];
    if (v !== undefined && (v === '' || /[\n\t]/.test(v))) throw reader.error(`'${k}' must be one non-empty line, got ${JSON.stringify(v)}`);
  }
  if (args.fstype !== undefined && /\s/.test(args.fstype)) throw reader.error(`'${args.fstype}' is not a filesystem type`);
  if (args.opts !== undefined && /\s/.test(args.opts)) throw reader.error("opts may not contain spaces (write them comma-separated)");
  return args;
}

/** fstab's escaping of a field: space, tab, newline and backslash as octal. */
export function fstabEscape(v: string): string {
  return v.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

export function fstabUnescape(v: string): string {
  return v.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** The fstab, whether findmnt sees the path mounted (and what), whether it exists. */
export function mountProbe(a: MountArgs): string {
  const path = shQuote(a.path);
  const fstab = shQuote(a.fstab);
  return sectionsScript({
    fstab: `if [ -f ${fstab} ]; then cat -- ${fstab}; fi`,
    meta: [
      `if [ -f ${fstab} ]; then printf 'fstab=%s\\n' "$(stat -c %a -- ${fstab})"; fi`,
      `if [ -d ${path} ]; then echo dir=1; fi`,
      'command -v findmnt >/dev/null 2>&1 || { echo "findmnt is not installed (Debian: util-linux)" >&2; exit 1; }',
    ].join('\n'),
    // --mountpoint: only a filesystem mounted exactly there (not the one the path lies on).
    live: `findmnt -n -P -o SOURCE,FSTYPE,OPTIONS --mountpoint ${path} | tail -n 1; :`,
  });
}

interface Entry {
  src: string;
  path: string;
  fstype: string;
  opts: string;
  dump: string;
  passno: string;
}

function parseLine(line: string): Entry | undefined {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return undefined;
  const f = t.split(/\s+/).map(fstabUnescape);
  if (f.length < 3) return undefined;
  return { src: f[0]!, path: f[1]!, fstype: f[2]!, opts: f[3] ?? 'defaults', dump: f[4] ?? '0', passno: f[5] ?? '0' };
}

function lineOf(e: Entry): string {
  return [e.src, e.path, e.fstype, e.opts, e.dump, e.passno].map(fstabEscape).join('\t');
}

/** The fstab with this path's entry set (replaced where it is, else appended) or removed. */
export function editFstab(text: string, a: MountArgs, remove: boolean): { after: string; entry?: Entry } {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const same = (l: string): boolean => parseLine(l)?.path === a.path;
  if (remove) return { after: joinLines(lines.filter((l) => !same(l))) };
  // As in Ansible, an option not given is its default (opts: defaults), not what the entry had.
  let opts = a.opts ?? 'defaults';
  if (!a.boot && !opts.split(',').includes('noauto')) opts = opts === 'defaults' ? 'noauto' : `${opts},noauto`;
  const entry: Entry = { src: a.src ?? '', path: a.path, fstype: a.fstype ?? '', opts, dump: a.dump, passno: a.passno };
  const wanted = lineOf(entry);
  const index = lines.findIndex(same);
  if (index < 0) return { after: joinLines([...lines, wanted]), entry };
  const old = parseLine(lines[index]!)!;
  const equal = old.src === entry.src && old.fstype === entry.fstype && old.opts === entry.opts && old.dump === entry.dump && old.passno === entry.passno;
  // An entry that already says the same keeps its layout (spaces, alignment); later duplicates go.
  const next = lines.map((l, i) => (i === index ? (equal ? l : wanted) : l)).filter((l, i) => i <= index || !same(l));
  return { after: joinLines(next), entry };
}

function joinLines(lines: string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** findmnt -P output: KEY="value" pairs. */
function liveMount(text: string | undefined): { source: string; fstype: string; options: string } | undefined {
  const line = (text ?? '').trim();
  if (line === '') return undefined;
  const kv: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) kv[m[1]!] = m[2]!.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return { source: kv.SOURCE ?? '', fstype: kv.FSTYPE ?? '', options: kv.OPTIONS ?? '' };
}

export function planMount(a: MountArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const meta = keyValues(parsed.sections.meta);
  const before = parsed.sections.fstab ?? '';
  const live = liveMount(parsed.sections.live);
  const path = shQuote(a.path);
  const tab = a.fstab === '/etc/fstab' ? '' : ` -T ${shQuote(a.fstab)}`;
  const changes: string[] = [];
  const steps: Step[] = [];
  const diffs: FileDiff[] = [];
  let entry: Entry | undefined;
  let fstabChanged = false;
  let writes = false;

  if (a.state === 'mounted' || a.state === 'present' || a.state === 'absent') {
    const edit = editFstab(before, a, a.state === 'absent');
    entry = edit.entry;
    if (edit.after !== before) {
      fstabChanged = true;
      writes = true;
      changes.push(a.state === 'absent' ? `remove ${a.path} from ${a.fstab}` : `set ${a.path} in ${a.fstab}`);
      diffs.push({ path: a.fstab, before, after: edit.after });
      steps.push(atomicWriteStep({ path: a.fstab, content: edit.after, mode: meta.fstab ?? '644', backup: a.backup }));
    }
  }
  switch (a.state) {
    case 'mounted':
      if (!live) {
        changes.push(`mount ${a.path}`);
        steps.push({ script: `mkdir -p -- ${path} && mount${tab} -- ${path}` });
      } else if (fstabChanged) {
        // A new source or type needs a fresh mount; new options a remount.
        const fresh = live.fstype !== entry!.fstype || (entry!.fstype !== 'tmpfs' && live.source !== entry!.src && !entry!.src.includes('='));
        changes.push(`${fresh ? 'mount again' : 'remount'} ${a.path}`);
        steps.push({ script: fresh ? `umount -- ${path} && mount${tab} -- ${path}` : `mount${tab} -o remount -- ${path}` });
      }
      break;
    case 'unmounted':
      if (live) {
        changes.push(`unmount ${a.path}`);
        steps.push({ script: `umount -- ${path}` });
      }
      break;
    case 'absent':
      if (live) {
        changes.push(`unmount ${a.path}`);
        steps.splice(0, 0, { script: `umount -- ${path}` });
      }
      if (meta.dir === '1' && (live || fstabChanged)) steps.push({ script: `rmdir -- ${path} 2>/dev/null; :` });
      break;
    case 'remounted':
      if (!live) return { changes: [], steps: [], failure: { msg: `${a.path} is not mounted: nothing to remount` } };
      changes.push(`remount ${a.path}`);
      steps.push({ script: `mount${tab} -o remount${a.opts ? `,${shQuote(a.opts)}` : ''} -- ${path}` });
      break;
    case 'present':
      break;
  }
  const data = { name: a.path, src: entry?.src ?? a.src ?? live?.source ?? null, fstype: entry?.fstype ?? a.fstype ?? live?.fstype ?? null, opts: entry?.opts ?? a.opts ?? null, dump: a.dump, passno: a.passno, fstab: a.fstab };
  const writeIndex = writes ? steps.findIndex((s) => s.stdin !== undefined) : -1;
  return {
    changes,
    steps,
    data,
    ...(diffs.length ? { diffs } : {}),
    ...(a.state === 'mounted' || a.state === 'present' ? { provides: [{ kind: 'path' as const, path: a.path }] } : {}),
    afterApply: (results) => {
      const out = writeIndex >= 0 ? writeOutcome(results[writeIndex]) : {};
      return { data: { ...data, ...(out.backupFile ? { backup_file: out.backupFile } : {}) }, ...(out.failed ? { failed: out.failed } : {}) };
    },
  };
}

export const mountModule: RemoteModule<MountArgs> = {
  kind: 'remote',
  name: 'mount',
  ...specFields(mountSpec),
  parse: parseMountArgs,
  probe: (a) => ({ script: mountProbe(a) }),
  plan: (a, probe) => planMount(a, probe),
};
