// lineinfile and ini_file both edit a text file in place: read it whole in the probe, apply a pure
// edit locally, and write the result atomically only when the text or the attributes differ.
import type { ExecResult } from '../../transport/types.js';
import type { HostThing, ModuleContext, Plan, RemoteCommand } from '../types.js';
import type { ArgReader } from './args.js';
import { atomicWriteStep, readValidate, replacedFiles, writeOutcome } from './atomic-write.js';
import { accountsScript, attrsStep, parseAccounts, readAttrs, writeAttrs, type AttrArgs } from './attrs.js';
import { fileDiff, linkDiff } from './diff.js';
import { fileStateSections, parseFileState } from './file-state.js';
import { parseSections, sectionsScript } from './sections.js';

export interface EditArgs extends AttrArgs {
  path: string;
  create: boolean;
  backup: boolean;
  validate?: string;
  /** follow: yes edits the file a (trusted) link at path points to; by default a link is replaced. */
  follow: boolean;
}

export function readEditArgs(args: ArgReader, createDefault: boolean): EditArgs {
  return {
    path: args.requiredStr('path'),
    create: args.bool('create', createDefault),
    backup: args.bool('backup', false),
    validate: readValidate(args),
    follow: args.bool('follow', false),
    ...readAttrs(args),
  };
}

export function editProbe(a: EditArgs): RemoteCommand {
  return { script: sectionsScript({ ...fileStateSections('file', a.path, { follow: a.follow, content: 'always' }), accounts: accountsScript(a) }) };
}

export interface EditResult {
  text: string;
  /** Ansible's message ("line added", "option changed"); empty when nothing changed. */
  msg: string;
  /** Nothing to do, not even owner and mode (Ansible's replace when before/after match nothing): msg says why. */
  stop?: boolean;
}

/** How a module's text is read from and written back to bytes (replace's encoding); default UTF-8. */
export interface TextCodec {
  decode(data: Buffer): string;
  encode(text: string): Buffer;
}

export interface EditOptions {
  /** The message when the file is absent and nothing needs doing (state=absent). */
  missingOk?: string;
  /** The failure when the file is absent and create is off; default lineinfile's. */
  missingMsg?: string;
  /** The result key naming backup=yes's copy: lineinfile says backup, blockinfile and replace backup_file. */
  backupKey?: string;
  codec?: TextCodec;
}

const UTF8: TextCodec = { decode: (b) => b.toString('utf8'), encode: (t) => Buffer.from(t, 'utf8') };

/**
 * `edit` gets the current text ('' for a missing file, or for a link that is replaced) and whether
 * a file was there to edit.
 */
export function planEdit(a: EditArgs, probe: ExecResult, ctx: ModuleContext, edit: (text: string, exists: boolean) => EditResult, opts: EditOptions = {}): Plan {
  const { missingOk, codec = UTF8, backupKey = 'backup' } = opts;
  // `needs`: what is missing that an earlier task may create (the file a package ships, the owner).
  const fail = (msg: string, needs?: HostThing[], provides?: HostThing[]): Plan => ({ changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) }, ...(provides ? { provides } : {}) });
  const creates: HostThing[] = [{ kind: 'path', path: a.path }];
  const parsed = parseSections(probe);
  if ('error' in parsed) return fail(parsed.error);
  const state = parseFileState(parsed.sections, 'file', a.path);
  if (state.refused) return fail(state.refused);
  // follow: no (the default): a link at path is replaced by a new file, edited from empty; its target is never read.
  const link = state.type === 'link' ? state.linkTarget : undefined;
  if (state.type === 'directory') return fail(`Path ${a.path} is a directory !`);
  const acc = parseAccounts(a, parsed.sections.accounts);
  if (!state.exists) {
    if (missingOk !== undefined) return { changes: [], steps: [], data: { msg: missingOk } };
    // Typically the package that ships the file is installed by an earlier task; the owner must exist by then too.
    if (!a.create) return fail(opts.missingMsg ?? `Destination ${a.path} does not exist !`, [{ kind: 'path', path: a.path }, ...(acc.needs ?? [])]);
  } else if (link === undefined && state.content === undefined) return fail(`cannot read ${a.path} on the host (permission denied?)`);

  let before: string;
  try {
    before = state.content === undefined ? '' : codec.decode(state.content);
  } catch (err) {
    return fail(`cannot read ${a.path}: ${(err as Error).message}`);
  }
  const result = edit(before, state.exists && link === undefined);
  if (result.stop) return { changes: [], steps: [], data: { msg: result.msg } };
  const contentChanges = result.text !== before || ((!state.exists || link !== undefined) && result.msg !== '');
  if (acc.missing && (contentChanges || state.exists)) return fail(acc.missing, acc.needs, state.exists ? undefined : creates);

  if (contentChanges) {
    const after = codec.encode(result.text);
    const attrs = writeAttrs(state, a, acc);
    const step = atomicWriteStep({ path: a.path, content: after, ...attrs, validate: a.validate, backup: a.backup, makeParents: !state.exists, keepPrevious: ctx.keepPrevious, follow: a.follow });
    return {
      changes: [`${a.path}: ${result.msg || (state.exists ? 'content changed' : 'created')}`],
      ...(state.exists ? {} : { provides: creates }),
      steps: [step],
      diffs: ctx.diff ? [link !== undefined ? linkDiff(a.path, link, after, [undefined, attrs.mode]) : fileDiff(a.path, state.exists ? state.content! : null, after, undefined, [state.exists ? state.mode : undefined, attrs.mode])] : undefined,
      data: { msg: result.msg },
      afterApply(results) {
        const out = writeOutcome(results[0]);
        return { data: out.backupFile ? { [backupKey]: out.backupFile } : {}, failed: out.failed, replaced: replacedFiles(a.path, out) };
      },
    };
  }
  if (!state.exists) return { changes: [], steps: [], data: { msg: '' } };
  const attrs = attrsStep(state, a, acc, a.follow);
  return {
    changes: attrs.changes.map((c) => `${a.path}: ${c}`),
    steps: attrs.script ? [{ script: attrs.script }] : [],
    data: { msg: attrs.changes.length ? 'ownership, perms or SE linux context changed' : '' },
  };
}
