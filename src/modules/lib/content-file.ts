// copy and template differ only in where the bytes come from; this plans writing them: probe the
// destination once, then write atomically, fix owner/mode only, or do nothing.
import { posix } from 'node:path';
import type { ExecResult } from '../../transport/types.js';
import type { HostThing, ModuleContext, Plan, RemoteCommand } from '../types.js';
import type { ArgReader } from './args.js';
import { atomicWriteStep, readValidate, replacedFiles, writeOutcome } from './atomic-write.js';
import { accountsScript, attrsStep, parseAccounts, readAttrs, writeAttrs, type AttrArgs } from './attrs.js';
import { fileDiff, linkDiff, sha1 } from './diff.js';
import { fileStateSections, parseFileState, type FileState } from './file-state.js';
import { formatMode } from './mode.js';
import { parseSections, sectionsScript, type Sections } from './sections.js';

export interface ContentFileArgs extends AttrArgs {
  dest: string;
  /** Basename of src, for a destination that is a directory. */
  srcName?: string;
  force: boolean;
  backup: boolean;
  validate?: string;
  /** follow: yes writes the file a link at dest points to (links nobody else could have planted only). */
  follow: boolean;
}

/** Arguments copy and template share; `srcName` comes from the caller. */
export function readContentFileArgs(args: ArgReader, srcName: string | undefined): ContentFileArgs {
  const dest = args.requiredStr('dest');
  const validate = readValidate(args);
  if (dest.endsWith('/') && srcName === undefined) throw args.error(`can not use content with a directory as dest ('${dest}')`);
  if (args.str('mode') === 'preserve') throw args.error(`mode: preserve is not supported`, 'give the mode explicitly');
  return { dest, srcName, force: args.bool('force', true), backup: args.bool('backup', false), validate, follow: args.bool('follow', false), ...readAttrs(args) };
}

function innerPath(a: ContentFileArgs): string | undefined {
  return a.srcName === undefined ? undefined : posix.join(a.dest, a.srcName);
}

/** The probe's parts planContentFile reads; a module that reads more (assemble's fragments) adds its own. */
export function contentFileSections(a: ContentFileArgs, ctx: ModuleContext): Sections {
  const content = ctx.diff ? 'small' : 'never';
  const inner = innerPath(a);
  return {
    ...fileStateSections('dest', a.dest, { follow: a.follow, content }),
    ...(inner ? fileStateSections('inner', inner, { follow: a.follow, content }) : {}),
    accounts: accountsScript(a),
  };
}

export function contentFileProbe(a: ContentFileArgs, ctx: ModuleContext): RemoteCommand {
  return { script: sectionsScript(contentFileSections(a, ctx)) };
}

/** `needs`: what is missing that an earlier task may create; `provides`: the file this task would then write. */
function fail(msg: string, needs?: HostThing[], provides?: HostThing[]): Plan {
  return { changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) }, ...(provides ? { provides } : {}) };
}

export function planContentFile(a: ContentFileArgs, content: Buffer, probe: ExecResult, ctx: ModuleContext): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return fail(parsed.error);
  const { sections } = parsed;
  const destState = parseFileState(sections, 'dest', a.dest);
  if (destState.refused) return fail(destState.refused);
  const intoDir = a.dest.endsWith('/') || destState.type === 'directory';
  if (intoDir && a.srcName === undefined) return fail(`can not use content with a directory as dest ('${a.dest}')`);
  const state: FileState = intoDir ? parseFileState(sections, 'inner', innerPath(a)!) : destState;
  if (state.refused) return fail(state.refused);
  const path = state.path;
  const makeParents = a.dest.endsWith('/');
  const writes: HostThing[] = [{ kind: 'path', path }];

  if (state.exists && state.type === 'directory') return fail(`destination ${path} is a directory`);
  // follow: no (the default) replaces a link at dest with the file; its target is never read or written.
  const link = state.type === 'link' ? state.linkTarget : undefined;
  const acc = parseAccounts(a, sections.accounts);
  if (!state.exists && state.parent !== 'dir' && !makeParents) {
    // Once the directory exists the owner must exist too: a forecast has to provide both.
    const needs: HostThing[] = [{ kind: 'path', path: posix.dirname(path) }, ...(acc.needs ?? [])];
    return fail(`destination directory ${posix.dirname(path)} does not exist`, state.parent === 'missing' ? needs : undefined, writes);
  }
  if (acc.missing) return fail(acc.missing, acc.needs, writes);

  const checksum = sha1(content);
  const data = { dest: path, checksum, size: content.length };
  if (state.exists && !a.force) return { changes: [], steps: [], data: { ...data, msg: 'file already exists' } };
  if (state.exists && link === undefined && state.sha1 === undefined) return fail(`cannot read ${path} on the host (permission denied?)`);

  if (!state.exists || link !== undefined || state.sha1 !== checksum) {
    const attrs = writeAttrs(state, a, acc);
    const step = atomicWriteStep({ path, content, ...attrs, validate: a.validate, backup: a.backup, makeParents, keepPrevious: ctx.keepPrevious, follow: a.follow });
    const diffs = ctx.diff
      ? [link !== undefined ? linkDiff(path, link, content, [undefined, attrs.mode]) : fileDiff(path, state.exists ? (state.content ?? null) : null, content, state.exists ? { size: state.size ?? 0, sha1: state.sha1 ?? '?' } : undefined, [state.exists ? state.mode : undefined, attrs.mode])]
      : undefined;
    return {
      changes: [link !== undefined ? `replace the link ${path} -> ${link} with a file` : `${state.exists ? 'update' : 'create'} ${path}`],
      provides: writes,
      steps: [step],
      diffs,
      data,
      afterApply(results) {
        const out = writeOutcome(results[0]);
        return { data: out.backupFile ? { backup_file: out.backupFile } : {}, failed: out.failed, replaced: replacedFiles(path, out) };
      },
    };
  }
  const attrs = attrsStep(state, a, acc, a.follow);
  const mode = state.mode === undefined ? {} : { mode: formatMode(state.mode) };
  if (attrs.changes.length === 0) return { changes: [], steps: [], data: { ...data, ...mode, owner: state.owner, group: state.group } };
  return {
    changes: attrs.changes.map((c) => `${path}: ${c}`),
    steps: [{ script: attrs.script! }],
    data,
  };
}
