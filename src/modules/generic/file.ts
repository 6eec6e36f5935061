// file: a path's kind and attributes (directory, absent, touch, link; mode, owner, group), the
// building block of every role, planned from one probe like everything else.
import { posix } from 'node:path';
import { shQuote } from '../../core/shell.js';
import { accountsScript, attrsStep, parseAccounts, readAttrs, type AttrArgs } from '../lib/attrs.js';
import { attrArgs } from '../lib/common-args.js';
import { fileStateSections, parseFileState } from '../lib/file-state.js';
import { planTimes, readTimes, timesSection, type TimeArgs } from '../lib/file-times.js';
import { HOST_PATH_FUNCTIONS, locateLines } from '../lib/host-path.js';
import { chmodArg, permMasks, resolveMode } from '../lib/mode.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { HostThing, Plan, RemoteModule } from '../types.js';
import { planLink } from './file-link.js';

export type FileStateName = 'file' | 'directory' | 'absent' | 'touch' | 'link';

export interface FileArgs extends AttrArgs, TimeArgs {
  path: string;
  state?: FileStateName;
  src?: string;
  recurse: boolean;
  force: boolean;
  /** Ansible's default yes: owner and mode go to a link's target, but only through a trusted link (host-path.ts). */
  follow: boolean;
}

/** `needs`: what is missing that an earlier task may create; `provides`: what this task would then create. */
const fail = (msg: string, needs?: HostThing[], provides?: HostThing[]): Plan => ({ changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) }, ...(provides ? { provides } : {}) });

/** find expression matching anything in the tree whose owner, group or mode is not as asked. */
function treeMismatch(a: FileArgs): string {
  const tests: string[] = [];
  if (a.owner) tests.push(`! -user ${shQuote(a.owner)}`);
  if (a.group) tests.push(`! -group ${shQuote(a.group)}`);
  if (a.mode) {
    for (const [type, isDir] of [['d', true], ['f', false]] as const) {
      const { set, clear } = permMasks(a.mode, isDir);
      const perm = [`! -perm -${set.toString(8)}`, ...(clear ? [`-perm /${clear.toString(8)}`] : [])].join(' -o ');
      tests.push(`\\( -type ${type} \\( ${perm} \\) \\)`);
    }
  }
  return `find ${shQuote(a.path)} \\( ${tests.join(' -o ')} \\) -print -quit 2>/dev/null | grep -q . && echo mismatch=1`;
}

/** `/a/b/c` -> `/a`, `/a/b`, `/a/b/c` (a relative path likewise, from its first part). */
export function pathPrefixes(path: string): string[] {
  const norm = posix.normalize(path).replace(/\/+$/, '');
  const parts = norm.split('/');
  const out: string[] = [];
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (prefix !== '' && prefix !== '.') out.push(prefix);
  }
  return out;
}

function planDirectory(a: FileArgs, exists: boolean, isDir: boolean, attrsOf: () => Plan, mismatch: boolean): Plan {
  const p = shQuote(a.path);
  if (exists && !isDir) return fail(`${a.path} exists but is not a directory`);
  if (exists) {
    const top = attrsOf();
    if (!a.recurse || !mismatch) return top;
    // Inside the directory entered as the probe saw it (-R never follows links below it).
    const R = [
      ...locateLines(a.path, a.follow),
      'rb_want=$(stat -c %d:%i -- "$rb_name") || exit 1',
      'cd -P -- "$rb_name" || exit 1',
      `[ "$(stat -c %d:%i .)" = "$rb_want" ] || { printf '%s changed since it was read: not changed\\n' "$PWD" >&2; exit 1; }`,
      'set -e',
      ...(a.owner || a.group ? [`chown -R ${shQuote(`${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`)} .`] : []),
      ...(a.mode ? [`chmod -R ${shQuote(a.mode.text)} .`] : []),
    ];
    return { changes: [...top.changes, `${a.path}: owner, group or mode of its contents`], steps: [{ script: R.join('\n') }] };
  }
  // Created component by component (mkdir never follows a link). Like Ansible, every directory this
  // creates (parents included) gets the task's owner, group and mode; parents that already exist are
  // left alone. Each is changed as '.', the directory entered and checked, never through a name.
  const attrs: string[] = [];
  if (a.owner || a.group) attrs.push(`chown ${shQuote(`${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`)} .`);
  if (a.mode) attrs.push(`chmod ${shQuote(chmodArg(a.mode, resolveMode(a.mode, undefined, true)))} .`);
  const lines = [HOST_PATH_FUNCTIONS, ...(attrs.length ? [`rb_on_mkdir() { ${attrs.join(' && ')}; }`] : []), 'rb_mkdirs=1', `rb_enter ${p} || { printf '%s\\n' "\${rb_why:-cannot create ${a.path.replace(/[^\w./-]/g, '?')}}" >&2; exit 1; }`, 'set -e', ...attrs];
  return { changes: [`create directory ${a.path}`], steps: [{ script: lines.join('\n') }] };
}

export const fileSpec = defineSpec({
  description: "Sets a path's kind and attributes: a directory, an empty file (touch), a symbolic link, absent; mode, owner and group.",
  args: {
    path: { type: 'str', required: true, aliases: ['dest', 'name'], description: 'Path of the file on the host.' },
    state: {
      type: 'str',
      choices: ['file', 'directory', 'absent', 'touch', 'link'],
      unsupported: { hard: 'use state=link (a symbolic link)' },
      description: 'What the path should be. Without it, only the attributes are set.',
    },
    access_time: { type: 'str', description: "'preserve', 'now' or a time in access_time_format (host local time). touch defaults to now, so it changes every run, as in Ansible." },
    access_time_format: { type: 'str', defaultText: '%Y%m%d%H%M.%S', description: 'strftime format of access_time (%Y %m %d %H %M %S).' },
    modification_time: { type: 'str', description: "'preserve', 'now' or a time in modification_time_format (host local time). touch defaults to now." },
    modification_time_format: { type: 'str', defaultText: '%Y%m%d%H%M.%S', description: 'strftime format of modification_time.' },
    src: { type: 'str', description: 'With state: link, what the link points to.' },
    ...attrArgs,
    recurse: { type: 'bool', default: false, description: 'With state: directory, set owner, group and mode on everything inside too.' },
    force: { type: 'bool', default: false, description: 'With state: link, replace a file that is in the way.' },
    follow: {
      type: 'bool',
      default: true,
      description: "Owner, mode and touch act on what a symbolic link at path points to (as in Ansible), through a link owned by root, the task's user or the owner of its target only (any other fails the task). state: link and absent act on the link itself.",
    },
  },
  requiredIf: [['state', 'link', ['src']]],
  examples: `- name: Create the application directory
  file:
    path: /srv/app
    state: directory
    owner: www-data
    mode: '0755'

- name: Point current at the new release
  file:
    src: /srv/app/releases/42
    dest: /srv/app/current
    state: link`,
  formerArgs: {
    context:
      "Ansible's file took context=default until 1.2 and ansible-core 2.14 refuses it too; write setype: _default (with seuser, serole, selevel as needed), which runbook accepts and ignores on hosts without SELinux",
  },
  returns: { path: 'The path.', state: 'What the path is now (file, directory, link, absent).' },
});

export const fileModule: RemoteModule<FileArgs> = {
  kind: 'remote',
  name: 'file',
  ...specFields(fileSpec),
  parse(raw, loc) {
    const { args: p, reader: args } = parseSpec('file', fileSpec, raw, loc);
    const state = p.state;
    const a: FileArgs = { path: p.path, state, src: p.src, recurse: p.recurse, force: p.force, follow: p.follow, ...readAttrs(args), ...readTimes(args, state) };
    if ((a.atime || a.mtime) && (state === 'absent' || state === 'link')) throw args.error(`access_time and modification_time need state touch, file or directory, not ${state}`);
    if (a.recurse && (state ?? 'directory') !== 'directory') throw args.error('recurse needs state=directory');
    if (a.recurse && !a.owner && !a.group && !a.mode) throw args.error('recurse needs owner, group or mode');
    return a;
  },
  probe(a) {
    // link and absent look at the path itself; the others, like Ansible, act on a symlink's target.
    const follow = a.follow && a.state !== 'link' && a.state !== 'absent';
    const extra: Record<string, string> = {};
    if (a.state === 'link') {
      // A relative src is read from the link's directory; while that directory is missing, from where it
      // would be, so a link into a directory an earlier task makes is not blamed on its src.
      const where = posix.resolve(posix.dirname(a.path), a.src!);
      // dirname worked out here, not by a dirname process on the host.
      extra.src = `if cd -- ${shQuote(posix.dirname(a.path))} 2>/dev/null; then [ -e ${shQuote(a.src!)} ]; else [ -e ${shQuote(where)} ]; fi && echo exists=1`;
    }
    if (a.recurse) extra.tree = `[ -d ${shQuote(a.path)} ] && ${treeMismatch(a)}`;
    if (a.atime || a.mtime) extra.times = timesSection(a.path, a);
    return { script: sectionsScript({ ...fileStateSections('path', a.path, { follow, hash: false }), accounts: accountsScript(a), ...extra }) };
  },
  plan(a, probe) {
    const parsed = parseSections(probe);
    if ('error' in parsed) return fail(parsed.error);
    const { sections } = parsed;
    const st = parseFileState(sections, 'path', a.path);
    const follow = a.follow && a.state !== 'link' && a.state !== 'absent';
    if (st.refused) return fail(st.refused);
    const acc = parseAccounts(a, sections.accounts);
    const state = a.state ?? (a.recurse ? 'directory' : st.type === 'directory' ? 'directory' : 'file');
    const data = { path: a.path, state };
    const creates: HostThing[] = state === 'directory' || state === 'touch' || state === 'link' ? [{ kind: 'path', path: a.path }] : [];
    if (acc.missing && state !== 'absent') return fail(acc.missing, acc.needs, creates);
    // Times last: chmod and chown leave them alone, and touch -c never creates.
    const attrsOf = (): Plan => {
      const at = attrsStep(st, a, acc, follow);
      const tm = planTimes(a.path, a, sections.times, true);
      const script = at.script ? [at.script, ...tm.commands].join('\n') : tm.commands.length ? ['set -e', ...tm.commands].join('\n') : undefined;
      return { changes: [...at.changes.map((c) => `${a.path}: ${c}`), ...tm.changes], steps: script ? [{ script }] : [] };
    };
    const withData = (plan: Plan): Plan => ({ ...plan, ...(plan.changes.length && creates.length ? { provides: creates } : {}), data: { ...data, ...plan.data } });
    const p = shQuote(a.path);

    switch (state) {
      case 'absent':
        if (!st.exists && st.linkTarget === undefined) return withData({ changes: [], steps: [] });
        return withData({ changes: [`remove ${a.path}`], steps: [{ script: [...locateLines(a.path, false), 'rm -rf -- "$rb_name"'].join('\n') }] });
      case 'directory':
        return withData(planDirectory(a, st.exists, st.type === 'directory', attrsOf, keyValues(sections.tree).mismatch === '1'));
      case 'file':
        if (!st.exists) return fail(`file (${a.path}) is absent, cannot continue`, [{ kind: 'path', path: a.path }]);
        if (st.type === 'directory') return fail(`${a.path} is a directory, not a file`);
        return withData(attrsOf());
      case 'touch': {
        if (st.exists) return withData(attrsOf());
        if (st.parent !== 'dir') return fail(`directory ${posix.dirname(a.path)} does not exist`, st.parent === 'missing' ? [{ kind: 'path', path: posix.dirname(a.path) }] : undefined, creates);
        // Created with O_EXCL (noclobber) where the probe found nothing, through trusted links only;
        // owner and mode go through the open descriptor, never through a name someone could swap.
        const lines = [...locateLines(a.path, a.follow), 'set -e; set -C; exec 3>"$rb_name"; set +C'];
        if (a.owner || a.group) lines.push(`chown ${shQuote(`${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`)} /proc/self/fd/3`);
        if (a.mode) lines.push(`chmod ${shQuote(chmodArg(a.mode, resolveMode(a.mode, undefined, false)))} /proc/self/fd/3`);
        lines.push(...planTimes(a.path, a, sections.times, false).commands);
        return withData({ changes: [`create ${a.path}`], steps: [{ script: lines.join('\n') }] });
      }
      case 'link':
        return withData(planLink(a, st, keyValues(sections.src).exists === '1', attrsOf));
    }
  },
};
