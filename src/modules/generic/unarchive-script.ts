// The sh that unarchive runs on the host: getting the archive (stdin, a host path, a URL), telling
// its format from its first bytes, extracting it with tar or unzip, and applying owner, group and
// mode to its members. The probe extracts into a temporary directory and compares that tree, entry
// by entry, with dest (type, size, mtime, mode, owner, content): the archive's own truth, as
// Ansible's `tar --diff` and zipinfo comparisons are, for every format alike.
import { shQuote } from '../../core/shell.js';
import { curlFlags, type FetchOptions } from '../lib/download.js';

export interface ArchiveSource {
  /** 'stdin': the controller's file arrives on stdin; 'path': a file on the host; 'url': downloaded with curl (config on stdin). */
  from: 'stdin' | 'path' | 'url';
  path?: string;
  fetch?: FetchOptions;
}

export interface ExtractOptions {
  include: string[];
  exclude: string[];
  extraOpts: string[];
  keepNewer: boolean;
  /** chown argument for every member (user, :group or user:group); absent: left as extracted. */
  owner?: string;
  /** chmod argument for every member except links. */
  mode?: string;
}

/** Exit codes the step uses. */
export const ARCHIVE_MISSING = 3;
export const ARCHIVE_FAILED = 5;

/**
 * Puts the archive in $a (a temporary file removed on exit, or the host path itself). `onMissing`
 * and `onFailed` run when the host path is missing or the download failed (the step exits; the
 * probe notes it and carries on to its end).
 */
export function fetchLines(src: ArchiveSource, onMissing = `printf "Source '%s' does not exist\\n" "$a" >&2; exit ${ARCHIVE_MISSING}`, onFailed = `echo "could not download the archive" >&2; exit ${ARCHIVE_FAILED}`): string[] {
  const lines = ['rb_tmpa=; rb_tmpt=', `trap 'rm -rf -- \${rb_tmpa:+"$rb_tmpa"} \${rb_tmpt:+"$rb_tmpt"}' EXIT`, `trap 'exit 129' HUP INT TERM`];
  if (src.from === 'path') {
    lines.push(`a=${shQuote(src.path!)}`, `if [ ! -f "$a" ]; then ${onMissing}; fi`);
    return lines;
  }
  lines.push('a=$(umask 077; mktemp "${TMPDIR:-/tmp}/.runbook-archive.XXXXXXXXXX") || exit 1', 'rb_tmpa=$a');
  if (src.from === 'stdin') lines.push('cat > "$a" || exit 1');
  else lines.push(`curl ${curlFlags(src.fetch!)} -o "$a" || { ${onFailed}; }`);
  return lines;
}

/** Sets $kind (zip, tar, or unknown) and $need (the missing tool's package) from the archive's first bytes. */
export const KIND_LINES = [
  'magic=$(od -An -tx1 -N6 -- "$a" | tr -d " \\n")',
  'need=',
  'case $magic in',
  '  504b0304*|504b0506*) kind=zip; handler=ZipArchive; command -v unzip >/dev/null 2>&1 || need=unzip ;;',
  '  1f8b*) kind=tar; handler=TgzArchive ;;',
  '  fd377a585a00*) kind=tar; handler=TarXzArchive; command -v xz >/dev/null 2>&1 || need=xz-utils ;;',
  '  425a68*) kind=tar; handler=TarBzipArchive; command -v bzip2 >/dev/null 2>&1 || need=bzip2 ;;',
  '  28b52ffd*) kind=tar; handler=TarZstdArchive; command -v zstd >/dev/null 2>&1 || need=zstd ;;',
  '  *) kind=tar; handler=TarArchive ;;',
  'esac',
];

/** The extraction into the current directory (tar: its compression told by GNU tar itself). */
export function extractCommand(o: ExtractOptions): string {
  const extra = o.extraOpts.map(shQuote).join(' ');
  const inc = o.include.map(shQuote).join(' ');
  const tar = ['tar', '-x', ...(o.keepNewer ? ['--keep-newer-files'] : []), ...o.exclude.map((e) => `--exclude=${shQuote(e)}`), extra, '-f', '"$a"', inc].filter(Boolean).join(' ');
  const unzip = ['unzip', '-q', o.keepNewer ? '-u' : '-o', extra, '"$a"', inc, ...(o.exclude.length ? ['-x', ...o.exclude.map(shQuote)] : [])].filter(Boolean).join(' ');
  return `if [ "$kind" = zip ]; then ${unzip}; else ${tar}; fi`;
}

/** The members' names, as the extraction above would write them (for owner/mode and list_files). */
export function listCommand(o: ExtractOptions): string {
  const extra = o.extraOpts.map(shQuote).join(' ');
  const inc = o.include.map(shQuote).join(' ');
  const tar = ['tar', '-t', ...o.exclude.map((e) => `--exclude=${shQuote(e)}`), ...(o.extraOpts.length ? ['--show-transformed-names', extra] : []), '-f', '"$a"', inc].filter(Boolean).join(' ');
  const zip = ['unzip', '-Z1', '"$a"', inc, ...(o.exclude.length ? ['-x', ...o.exclude.map(shQuote)] : [])].filter(Boolean).join(' ');
  return `if [ "$kind" = zip ]; then ${zip}; else ${tar}; fi`;
}

/** chown/chmod on every member named on stdin, relative to the current directory; links keep their mode. */
export function attrLines(o: ExtractOptions): string[] {
  if (o.owner === undefined && o.mode === undefined) return [];
  return [
    'while IFS= read -r m; do',
    '  m=${m%/}; case $m in "" | .) continue ;; esac',
    '  [ -e "$m" ] || [ -L "$m" ] || continue',
    ...(o.owner !== undefined ? [`  chown -h ${shQuote(o.owner)} -- "$m" || exit 1`] : []),
    ...(o.mode !== undefined ? [`  [ -L "$m" ] || chmod ${shQuote(o.mode)} -- "$m" || exit 1`] : []),
    'done',
  ];
}

/**
 * Compares the tree in $T (the wanted state) with the one in $D, entry by entry: prints
 * `missing PATH` or `differs PATH` (at most 50 lines), then `entries=N`. Directories compare by
 * type, mode and owner; files also by size, mtime and content; links by their target. With
 * keep_newer a newer file in dest is no difference.
 */
export function compareLines(keepNewer: boolean): string[] {
  return [
    '( cd "$T" || exit 1; n=0; d=0',
    'find . -mindepth 1 | { while IFS= read -r p; do',
    '  n=$((n + 1)); q=${p#./}; t=$D/$q',
    '  if [ ! -e "$t" ] && [ ! -L "$t" ]; then r=missing',
    '  elif [ -L "$p" ]; then r=; [ -L "$t" ] && [ "$(readlink -- "$p")" = "$(readlink -- "$t")" ] || r=differs',
    '  elif [ -d "$p" ]; then r=; [ -d "$t" ] && [ ! -L "$t" ] && [ "$(stat -c %a:%u:%g -- "$p")" = "$(stat -c %a:%u:%g -- "$t")" ] || r=differs',
    '  else',
    '    r=; w=$(stat -c %F:%s:%Y:%a:%u:%g -- "$p"); h=$(stat -c %F:%s:%Y:%a:%u:%g -- "$t")',
    '    if [ -L "$t" ] || [ "$w" != "$h" ]; then r=differs; elif ! cmp -s -- "$p" "$t"; then r=differs; fi',
    ...(keepNewer ? ['    if [ -f "$t" ] && [ ! -L "$t" ] && [ "$(stat -c %Y -- "$t")" -gt "$(stat -c %Y -- "$p")" ]; then r=; fi'] : []),
    '  fi',
    '  if [ -n "$r" ]; then d=$((d + 1)); [ "$d" -gt 50 ] || printf "%s %s\\n" "$r" "$q"; fi',
    'done; echo "entries=$n"; echo "differences=$d"; }',
    ')',
  ];
}
