// unarchive: unpacks a tar (gz, xz, bz2, zst) or zip archive into a directory on the host, as
// Ansible 2.14's unarchive does: the archive comes from the controller (src) or is already on the
// host or at a URL (remote_src), and nothing is extracted when dest already holds what it contains.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { accountsScript, parseAccounts } from '../lib/attrs.js';
import { attrArgs } from '../lib/common-args.js';
import { curlConfig, NO_CURL, type FetchOptions } from '../lib/download.js';
import { HOST_PATH_FUNCTIONS } from '../lib/host-path.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { HostThing, ModuleContext, Plan, RemoteModule } from '../types.js';
import { attrLines, compareLines, extractCommand, fetchLines, KIND_LINES, listCommand, type ArchiveSource, type ExtractOptions } from './unarchive-script.js';

export const unarchiveSpec = defineSpec({
  description: "Unpacks a tar (plain, gz, xz, bz2, zst) or zip archive into an existing directory on the host, from the controller or (remote_src) from the host or a URL; nothing is extracted when dest already holds the archive's contents.",
  args: {
    src: {
      type: 'str',
      required: true,
      description: "The archive: a controller file (the role's files/, then beside the playbook), copied to the host; with remote_src, a path on the host or an http(s)/ftp URL the host downloads (with curl).",
    },
    dest: { type: 'str', required: true, description: 'The directory to unpack into, on the host; it must exist.' },
    remote_src: { type: 'bool', default: false, description: 'src is on the host (or a URL the host downloads), not on the controller.' },
    copy: {
      type: 'bool',
      description: "The old spelling of remote_src, inverted (copy: no is remote_src: yes); ansible-core 2.14 still takes it, deprecated, and so does runbook. Not together with remote_src.",
    },
    creates: { type: 'str', description: 'A path on the host: when it exists, nothing is done.' },
    list_files: { type: 'bool', default: false, description: "Return the archive's member names in `files`." },
    exclude: { type: 'list', default: [], description: 'Member names or shell patterns not to extract (nor compare).' },
    include: { type: 'list', default: [], description: 'Only these members (names or patterns) are extracted and compared.' },
    extra_opts: { type: 'list', default: [], description: "More options for tar or unzip (['--strip-components=1'])." },
    keep_newer: { type: 'bool', default: false, description: 'Do not replace files in dest that are newer than the archive\'s.' },
    ...attrArgs,
    validate_certs: { type: 'bool', default: true, description: "With a URL src: check the server's TLS certificate." },
    io_buffer_size: { type: 'int', ignored: true, description: 'Accepted for Ansible playbooks and ignored: tar and unzip read the archive themselves.' },
    decrypt: { type: 'bool', ignored: true, description: 'Accepted for Ansible playbooks and ignored: a vault-encrypted src is not decrypted.' },
  },
  mutuallyExclusive: [['copy', 'remote_src']],
  examples: `- name: The release, from the role's files/
  unarchive:
    src: app-1.2.tar.gz
    dest: /opt/app
    owner: app
    group: app

- name: A tarball get_url fetched
  unarchive:
    src: /opt/downloads/app-1.2.tar.xz
    dest: /opt/app
    remote_src: yes
    extra_opts: ['--strip-components=1']

- name: Straight from a URL
  unarchive:
    src: https://example.com/tool.zip
    dest: /usr/local/bin
    remote_src: yes
    creates: /usr/local/bin/tool`,
  returns: {
    dest: 'The directory unpacked into.',
    src: 'The archive (on the host, or the controller file).',
    handler: "Ansible's name for the format: TgzArchive, TarArchive, TarXzArchive, TarBzipArchive, TarZstdArchive or ZipArchive.",
    files: "The archive's member names (list_files: yes).",
    differences: 'How many entries differed from the archive before it was unpacked.',
  },
  checkMode:
    'Forecasts exactly: the archive is unpacked into a temporary directory on the host (removed afterwards) and compared with dest; nothing in dest changes.',
});

type Raw = Omit<ArgsOf<typeof unarchiveSpec>, 'copy'>;
export interface UnarchiveArgs extends Raw {
  isUrl: boolean;
}

const URL_RE = /^(https?|ftp|file):\/\//i;

export function parseUnarchiveArgs(raw: Record<string, unknown>, loc: SourceLoc): UnarchiveArgs {
  const { args: given, reader } = parseSpec('unarchive', unarchiveSpec, raw, loc);
  // Ansible's action plugin turns copy into remote_src the same way (remote_src = not copy).
  const { copy, ...rest } = given;
  const args = { ...rest, remote_src: copy === undefined ? rest.remote_src : !copy };
  const isUrl = URL_RE.test(args.src);
  if (isUrl && !args.remote_src) throw reader.error(`src '${args.src}' is a URL`, 'add remote_src: yes to have the host download it');
  if (!args.dest.startsWith('/')) throw reader.error(`dest must be an absolute path, got '${args.dest}'`);
  if (args.remote_src && !isUrl && !args.src.startsWith('/')) throw reader.error(`with remote_src, src must be an absolute path on the host or a URL, got '${args.src}'`);
  return { ...args, isUrl };
}

function source(a: UnarchiveArgs): ArchiveSource {
  if (!a.remote_src) return { from: 'stdin' };
  if (a.isUrl) return { from: 'url', fetch: fetchOptions(a) };
  return { from: 'path', path: a.src };
}

function fetchOptions(a: UnarchiveArgs): FetchOptions {
  return { url: a.src, validateCerts: a.validate_certs, timeout: 10 };
}

function extractOptions(a: UnarchiveArgs): ExtractOptions {
  const owner = a.owner !== undefined || a.group !== undefined ? `${a.owner ?? ''}${a.group !== undefined ? `:${a.group}` : ''}` : undefined;
  return { include: a.include, exclude: a.exclude, extraOpts: a.extra_opts, keepNewer: a.keep_newer, owner, mode: a.mode?.text };
}

/** What the host gets on stdin: the controller's archive, or curl's config for a URL. */
function stdinFor(a: UnarchiveArgs, ctx: Pick<ModuleContext, 'readFile'>): Buffer | string | undefined {
  if (!a.remote_src) return ctx.readFile(a.src);
  if (a.isUrl) return curlConfig(fetchOptions(a));
  return undefined;
}

/** Enters dest without following untrusted links; prints dest=ok, or dest=CODE WHY. Leaves $D set. */
function destLines(dest: string): string[] {
  return [
    HOST_PATH_FUNCTIONS,
    `r=$(rb_enter ${shQuote(dest)}; rc=$?; if [ "$rc" = 0 ]; then printf 'ok %s' "$PWD"; else printf '%s %s' "$rc" "$rb_why"; fi)`,
    'case $r in "ok "*) D=${r#ok }; echo dest=ok ;; *) D=; rb_skip=1; printf "dest=%s\\n" "$r" ;; esac',
  ];
}

/**
 * One read: creates, the accounts, dest, the archive (sent on stdin, or read or downloaded on the
 * host), its format and tools, and the comparison of a trial extraction with dest.
 */
export function unarchiveProbe(a: UnarchiveArgs, ctx: Pick<ModuleContext, 'readFile'>): { script: string; stdin?: Buffer | string } {
  const o = extractOptions(a);
  const parts: Record<string, string> = {
    creates: a.creates ? `rb_skip=; if [ -e ${shQuote(a.creates)} ] || [ -L ${shQuote(a.creates)} ]; then echo exists=1; rb_skip=1; fi` : 'rb_skip=',
    accounts: accountsScript(a),
    dest: destLines(a.dest).join('\n'),
    archive: [
      ...fetchLines(source(a), 'echo missing=1; rb_skip=1', 'echo fetch_failed=1; rb_skip=1'),
      ...(a.remote_src && a.isUrl ? ['command -v curl >/dev/null 2>&1 || { echo no_curl=1; rb_skip=1; }'] : []),
      'if [ -f "$a" ]; then',
      ...KIND_LINES.map((l) => `  ${l}`),
      '  printf "kind=%s\\nhandler=%s\\nneed=%s\\n" "$kind" "$handler" "$need"; [ -z "$need" ] || rb_skip=1',
      'fi',
    ].join('\n'),
    compare: [
      'exit_compare=; [ -z "$rb_skip" ] || exit_compare=1',
      'if [ -z "$exit_compare" ]; then',
      '  T=$(mktemp -d "${TMPDIR:-/tmp}/.runbook-unarchive.XXXXXXXXXX") || exit 1; rb_tmpt=$T',
      `  if out=$(cd "$T" && { ${extractCommand(o)}; } 2>&1); then`,
      `    ( cd "$T" && ${listCommand(o)} 2>/dev/null | { ${attrLines(o).join('\n') || 'cat >/dev/null'}\n} ) || echo attrs_failed=1`,
      ...compareLines(a.keep_newer).map((l) => `    ${l}`),
      '  else',
      '    printf "extract_failed=%s\\n" "$(printf %s "$out" | tr "\\n" " ")"',
      '  fi',
      'fi',
    ].join('\n'),
    ...(a.list_files ? { files: `[ -n "$exit_compare" ] || [ ! -f "$a" ] || ${listCommand(o)} 2>/dev/null` } : {}),
  };
  const stdin = stdinFor(a, ctx);
  return { script: sectionsScript(parts), ...(stdin !== undefined ? { stdin } : {}) };
}

function fail(msg: string, needs?: HostThing[], provides?: HostThing[]): Plan {
  return { changes: [], steps: [], failure: { msg, ...(needs ? { needs } : {}) }, ...(provides ? { provides } : {}) };
}

export function planUnarchive(a: UnarchiveArgs, probe: ExecResult, ctx: Pick<ModuleContext, 'readFile'>): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return fail(parsed.error);
  const s = parsed.sections;
  const base = { dest: a.dest, src: a.src };
  if (keyValues(s.creates).exists) return { changes: [], steps: [], data: { ...base, msg: `skipped, since ${a.creates} exists` } };
  const writes: HostThing[] = [{ kind: 'path', path: a.dest }];
  const acc = parseAccounts(a, s.accounts);
  const dest = keyValues(s.dest).dest ?? '';
  if (dest !== 'ok') {
    const code = dest.split(' ')[0];
    if (code === '2') return fail(`Destination '${a.dest}' does not exist`, [{ kind: 'path', path: a.dest }, ...(acc.needs ?? [])], writes);
    if (code === '3') return fail(`Destination '${a.dest}' is not a directory`);
    return fail(dest.replace(/^\d+ /, '') || `cannot enter ${a.dest}`);
  }
  if (acc.missing) return fail(acc.missing, acc.needs, writes);
  const ar = keyValues(s.archive);
  if (ar.missing) return fail(`Source '${a.src}' does not exist`, [{ kind: 'path', path: a.src }], writes);
  if (ar.no_curl) return fail(NO_CURL, [{ kind: 'package', name: 'curl' }], writes);
  if (ar.fetch_failed) return fail(`could not download ${a.src}: ${probe.stderr.trim() || 'no answer'}`);
  if (ar.need) return fail(`${a.src} is a ${ar.handler} and needs the ${ar.need} package on the host: install it first`, [{ kind: 'package', name: ar.need }], writes);
  const cmp = keyValues(s.compare);
  if (cmp.extract_failed !== undefined) return fail(`Failed to unpack ${a.src} (${ar.handler ?? 'unknown format'}): ${cmp.extract_failed.trim()}`);
  if (cmp.differences === undefined) return fail(`could not compare ${a.src} with ${a.dest}: ${probe.stderr.trim() || 'no output'}`);
  const files = a.list_files ? { files: (s.files ?? '').split('\n').filter((l) => l !== '') } : {};
  const differences = Number(cmp.differences);
  const data = { ...base, handler: ar.handler, differences, ...files };
  if (differences === 0) return { changes: [], steps: [], data };
  const shown = (s.compare ?? '').split('\n').filter((l) => /^(missing|differs) /.test(l)).slice(0, 5);
  const more = differences > shown.length ? `, and ${differences - shown.length} more` : '';
  const o = extractOptions(a);
  const stdin = stdinFor(a, ctx);
  const script = [
    ...fetchLines(source(a)),
    ...KIND_LINES,
    ...HOST_PATH_FUNCTIONS.split('\n'),
    `rb_enter ${shQuote(a.dest)} || { printf '%s\\n' "\${rb_why:-cannot enter ${a.dest.replace(/[^\w./-]/g, '?')}}" >&2; exit 1; }`,
    `${extractCommand(o)} || exit 1`,
    ...(o.owner !== undefined || o.mode !== undefined ? [`${listCommand(o)} | {`, ...attrLines(o), '}'] : []),
  ].join('\n');
  return {
    changes: [`unpack ${a.src} into ${a.dest} (${shown.join(', ')}${more})`],
    steps: [{ script, ...(stdin !== undefined ? { stdin } : {}) }],
    provides: writes,
    data,
  };
}

export const unarchiveModule: RemoteModule<UnarchiveArgs> = {
  kind: 'remote',
  name: 'unarchive',
  ...specFields(unarchiveSpec),
  parse: parseUnarchiveArgs,
  probeAhead: false,
  probe: (a, ctx) => unarchiveProbe(a, ctx),
  plan: (a, probe, ctx) => planUnarchive(a, probe, ctx),
};
