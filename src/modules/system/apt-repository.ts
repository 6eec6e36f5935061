// apt_repository: one `deb ...` line present in (or absent from) the host's apt sources, as Ansible
// 2.14's apt_repository does: the line counts as present in any .list file, a commented-out copy is
// enabled again, a new one goes to sources.list.d/<filename>.list (named from the URI when not
// given), and apt-get update runs after a change. Every file it changes is written atomically.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { atomicWriteStep, writeOutcome } from '../lib/atomic-write.js';
import type { ModeSpec } from '../lib/mode.js';
import { parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { modeArg } from '../lib/common-args.js';
import { defineSpec, specFields } from '../spec.js';
import type { FileDiff, Plan, RemoteModule, Step } from '../types.js';
import { aptUpdateScript } from './apt-script.js';

export const aptRepositorySpec = defineSpec({
  description: "Adds or removes an apt source line (deb or deb-src) in sources.list.d, then refreshes the package lists.",
  args: {
    repo: {
      type: 'str',
      required: true,
      description: "The source line, as in sources.list: 'deb [signed-by=/etc/apt/keyrings/x.asc] https://example.org/debian bookworm main'. PPAs (ppa:...) are Ubuntu's and not supported.",
    },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the line is in a source file (added when missing, enabled when commented out); absent: it is in none.' },
    filename: {
      type: 'str',
      defaultText: 'from the URI, as Ansible names it (deb http://ex.org/debian ... -> ex_org_debian.list)',
      description: 'The file in /etc/apt/sources.list.d the line is added to, without .list (added).',
    },
    mode: { ...modeArg, defaultText: "'0644'", description: `The new source file's mode (a file that exists keeps its own). ${modeArg.description}` },
    update_cache: { type: 'bool', default: true, aliases: ['update-cache'], description: 'Run apt-get update after changing a source.' },
    update_cache_retries: { type: 'int', default: 5, min: 1, description: 'How many times apt-get update is tried before the task fails.' },
    update_cache_retry_max_delay: { type: 'int', default: 12, min: 1, description: 'The longest wait in seconds between two tries (the waits double from 1 s).' },
    codename: { type: 'str', ignored: true, description: "Accepted and ignored: it only names a PPA's distribution, and PPAs are not supported." },
    validate_certs: { type: 'bool', default: true, ignored: true, description: "Accepted and ignored: Ansible uses it to fetch a PPA's key from Launchpad, and PPAs are not supported." },
    install_python_apt: { type: 'bool', default: true, ignored: true, description: 'Accepted and ignored: runbook edits the source files itself and needs no python3-apt.' },
  },
  examples: `- name: The vendor's repository, signed by its key
  apt_repository:
    repo: "deb [signed-by=/etc/apt/keyrings/vendor.asc] https://apt.example.org/debian bookworm main"
    filename: vendor

- name: An old source gone
  apt_repository:
    repo: deb http://old.example.org/debian bookworm main
    state: absent`,
  returns: {
    repo: 'The source line.',
    state: 'present or absent.',
    sources_added: 'Files a line was added to (or enabled in).',
    sources_removed: 'Files a line was removed from.',
  },
  diff: 'Each source file changed, before and after.',
});

export interface AptRepositoryArgs {
  /** The line with its whitespace normalised, as Ansible compares it. */
  repo: string;
  state: 'present' | 'absent';
  /** Base name in sources.list.d, with .list. */
  filename: string;
  mode?: ModeSpec;
  updateCache: boolean;
  retries: number;
  maxDelay: number;
}

const SOURCE_TYPES = ['deb', 'deb-src'];
const SOURCES_DIR = '/etc/apt/sources.list.d';

/** A source line without its comment, whitespace collapsed; undefined when the line is not a deb/deb-src line. */
export function parseSourceLine(line: string): { enabled: boolean; source: string } | undefined {
  let text = line.trim();
  let enabled = true;
  if (text.startsWith('#')) {
    enabled = false;
    text = text.slice(1);
  }
  const hash = text.indexOf('#');
  if (hash > 0) text = text.slice(0, hash);
  const chunks = text.trim().split(/\s+/);
  if (!SOURCE_TYPES.includes(chunks[0] ?? '') || chunks.length < 3) return undefined;
  return { enabled, source: chunks.join(' ') };
}

/** Ansible's file name for a line: the URI without options, scheme, user and password, every other character an underscore. */
export function suggestFilename(repo: string): string {
  const line = repo.replace(/\[[^\]]+\]/g, '').replace(/\w+:\/\//g, '');
  const parts = line.split(/\s+/).filter((p) => p !== '' && !SOURCE_TYPES.includes(p));
  let uri = parts[0] ?? '';
  if (uri.includes('@')) uri = uri.slice(uri.indexOf('@') + 1);
  return `${uri.replace(/[^a-zA-Z0-9]/g, ' ').split(/\s+/).filter((w) => w !== '').join('_')}.list`;
}

export function parseAptRepositoryArgs(raw: Record<string, unknown>, loc: SourceLoc): AptRepositoryArgs {
  const { args, reader } = parseSpec('apt_repository', aptRepositorySpec, raw, loc);
  const repo = args.repo.trim();
  if (repo.startsWith('ppa:')) {
    throw reader.error(`PPA repositories (${repo}) are not supported: they are Launchpad's, for Ubuntu only`, "write the PPA's deb line instead, with its key (apt_key or signed-by)");
  }
  const parsed = parseSourceLine(repo);
  if (parsed === undefined || !parsed.enabled) {
    throw reader.error(`'${repo}' is not a source line`, "'deb URI SUITE [COMPONENT...]' or 'deb-src ...', optionally with [options] after deb");
  }
  if (args.filename !== undefined && (args.filename === '' || args.filename.includes('/'))) throw reader.error(`'filename' must be a plain file name, got '${args.filename}'`);
  const filename = args.filename !== undefined ? `${args.filename}.list` : suggestFilename(parsed.source);
  if (filename === '.list') throw reader.error(`cannot name a file after '${repo}'`, 'give filename');
  return {
    repo: parsed.source,
    state: args.state,
    filename,
    mode: args.mode,
    updateCache: args.update_cache,
    retries: args.update_cache_retries,
    maxDelay: args.update_cache_retry_max_delay,
  };
}

/** Every .list file apt reads, each line prefixed: `file<TAB>path<TAB>mode`, then `line<TAB>text`. */
export function aptRepositoryProbe(): string {
  return sectionsScript({
    sources: [
      '(',
      'cd /etc/apt 2>/dev/null || exit 0',
      'for f in sources.list sources.list.d/*.list; do',
      '  [ -f "$f" ] || continue',
      `  printf 'file\\t/etc/apt/%s\\t%s\\n' "$f" "$(stat -c %a -- "$f")"`,
      `  awk '{ printf "line\\t%s\\n", $0 }' "$f" || exit 1`,
      'done',
      ')',
    ].join('\n'),
  });
}

interface SourceFile {
  path: string;
  mode: string;
  lines: string[];
}

export function parseSourceFiles(text: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('file\t')) {
      const [, path = '', mode = ''] = line.split('\t');
      files.push({ path, mode, lines: [] });
    } else if (line.startsWith('line\t')) {
      files[files.length - 1]?.lines.push(line.slice(5));
    }
  }
  return files;
}

const joined = (lines: string[]): string => (lines.length ? `${lines.join('\n')}\n` : '');

export function planAptRepository(a: AptRepositoryArgs, probe: ExecResult, showDiff: boolean): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const files = parseSourceFiles(parsed.sections.sources ?? '');
  const matches = (l: string) => parseSourceLine(l)?.source === a.repo;
  const data = { repo: a.repo, state: a.state };
  const steps: Step[] = [];
  const changes: string[] = [];
  const diffs: FileDiff[] = [];
  const added: string[] = [];
  const removed: string[] = [];
  const write = (path: string, before: string[] | null, after: string[], mode?: string) => {
    steps.push(atomicWriteStep({ path, content: joined(after), mode }));
    if (showDiff) diffs.push({ path, before: before === null ? '' : joined(before), after: joined(after) });
  };

  if (a.state === 'present') {
    if (files.some((f) => f.lines.some((l) => matches(l) && parseSourceLine(l)!.enabled))) return { changes: [], steps: [], data };
    // A commented-out copy is enabled where it is, as Ansible does.
    for (const f of files.filter((f) => f.lines.some(matches))) {
      const after = f.lines.map((l) => (matches(l) ? a.repo : l));
      write(f.path, f.lines, after, f.mode);
      changes.push(`enable '${a.repo}' in ${f.path}`);
      added.push(f.path);
    }
    if (added.length === 0) {
      const path = `${SOURCES_DIR}/${a.filename}`;
      const existing = files.find((f) => f.path === path);
      const mode = existing ? existing.mode : (a.mode?.text ?? '0644');
      write(path, existing ? existing.lines : null, [...(existing?.lines ?? []), a.repo], mode);
      changes.push(`add '${a.repo}' to ${path}`);
      added.push(path);
    }
  } else {
    for (const f of files.filter((f) => f.lines.some(matches))) {
      const after = f.lines.filter((l) => !matches(l));
      if (after.length === 0) {
        // Ansible deletes a source file left with no line at all.
        steps.push({ script: `rm -f -- ${shQuote(f.path)}` });
        if (showDiff) diffs.push({ path: f.path, before: joined(f.lines), after: '' });
        changes.push(`remove ${f.path} (its only line was '${a.repo}')`);
      } else {
        write(f.path, f.lines, after, f.mode);
        changes.push(`remove '${a.repo}' from ${f.path}`);
      }
      removed.push(f.path);
    }
    if (removed.length === 0) return { changes: [], steps: [], data };
  }
  if (a.updateCache) steps.push({ script: aptUpdateScript(a.retries, a.maxDelay) });
  return {
    changes,
    steps,
    diffs: showDiff ? diffs : undefined,
    data: { ...data, sources_added: added, sources_removed: removed },
    provides: a.state === 'present' ? [{ kind: 'package-lists' }, ...added.map((path) => ({ kind: 'path' as const, path }))] : [{ kind: 'package-lists' }],
    afterApply(results) {
      const failedWrite = results.map((r, i) => (steps[i]?.stdin !== undefined ? writeOutcome(r).failed : undefined)).find((f) => f !== undefined);
      if (failedWrite) return { failed: failedWrite };
      const last = results[results.length - 1];
      if (a.updateCache && last && last.code !== 0) {
        const errors = last.stderr.split('\n').filter((l) => /^(E|W): /.test(l)).slice(-5).join('\n');
        return { failed: `the source was ${a.state === 'present' ? 'added' : 'removed'}, but apt-get update failed${errors ? `:\n${errors}` : ''}` };
      }
      return {};
    },
  };
}

export const aptRepositoryModule: RemoteModule<AptRepositoryArgs> = {
  kind: 'remote',
  name: 'apt_repository',
  ...specFields(aptRepositorySpec),
  parse: parseAptRepositoryArgs,
  probe: () => ({ script: aptRepositoryProbe() }),
  plan: (a, probe, ctx) => planAptRepository(a, probe, ctx.diff),
};
