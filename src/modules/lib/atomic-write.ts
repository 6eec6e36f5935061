// The one way runbook writes a file on a host: a temporary file in the same directory, owner and
// mode set, validated, then renamed over the target, so readers never see half a file and a
// failed validation leaves the old file untouched. The content travels on stdin (it may be secret).
import { shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';
import type { ReplacedFile, Step } from '../types.js';
import type { ArgReader } from './args.js';

export interface AtomicWrite {
  path: string;
  content: Buffer | string;
  /** chmod argument; absent: 0666 minus the host's umask (callers pass the old mode to keep it). */
  mode?: string;
  /** chown user (name or uid); callers pass the old owner to keep it. */
  owner?: string;
  group?: string;
  /** A command with %s for the temporary file; a non-zero exit aborts the write. */
  validate?: string;
  /** Copy the old file to PATH.DATE~ first, as Ansible's backup=yes does. */
  backup?: boolean;
  /** mkdir -p the parent first (lineinfile/ini_file create=yes). */
  makeParents?: boolean;
  /** Keep a copy of the file being replaced under PREVIOUS_DIR, for a failing handler to restore. */
  keepPrevious?: boolean;
}

/**
 * Where replaced files' previous contents are kept. Not beside the file: a copy in conf.d/ or
 * sites-enabled/ would be read as config. Logins that cannot write here use ~/.cache/runbook/backup;
 * RUNBOOK_BACKUP_DIR on the host overrides both (tests use it).
 */
export const PREVIOUS_DIR = '/var/lib/runbook/backup';

/** Exit code of the step when `validate` rejected the new content. */
export const VALIDATE_FAILED = 3;

export function atomicWriteStep(w: AtomicWrite): Step {
  const lines = [
    `dest=${shQuote(w.path)}`,
    // Write through a symlink to its target, as Ansible does, instead of replacing the link.
    'if [ -L "$dest" ]; then dest=$(readlink -f -- "$dest"); fi',
    'dir=$(dirname -- "$dest")',
    ...(w.makeParents ? ['mkdir -p -- "$dir" || exit 1'] : []),
    'tmp=$(mktemp "$dir/.runbook-tmp.XXXXXXXX") || exit 1',
    // The previous copy is kept only once the new file is in place ($kept).
    `prev=; kept=; trap 'rm -f -- "$tmp"; if [ -n "$prev" ] && [ -z "$kept" ]; then rm -f -- "$prev"; fi' EXIT`,
    `trap 'exit 129' HUP INT TERM`,
    'cat > "$tmp" || exit 1',
  ];
  if (w.owner !== undefined || w.group !== undefined) {
    const spec = `${w.owner ?? ''}${w.group !== undefined ? `:${w.group}` : ''}`;
    lines.push(`chown ${shQuote(spec)} "$tmp" || exit 1`);
  }
  // chmod after chown: chown clears setuid/setgid bits.
  lines.push(
    w.mode !== undefined
      ? `chmod ${shQuote(w.mode)} "$tmp" || exit 1`
      : `chmod "$(printf '%o' $(( 0666 & ~0$(umask) )))" "$tmp" || exit 1`,
  );
  if (w.validate !== undefined) {
    const cmd = w.validate.split('%s').join('"$tmp"');
    lines.push(
      `out=$( { ${cmd} ; } 2>&1 ); rc=$?`,
      `if [ "$rc" -ne 0 ]; then printf 'validation failed (exit %s): %s\\n' "$rc" "$out" >&2; exit ${VALIDATE_FAILED}; fi`,
    );
  }
  if (w.backup) {
    lines.push(
      'if [ -e "$dest" ]; then',
      '  b="$dest.$(date +%Y-%m-%d@%H:%M:%S)~"',
      `  cp -p -- "$dest" "$b" || exit 1`,
      `  printf 'backup_file=%s\\n' "$b"`,
      'fi',
    );
  }
  if (w.keepPrevious) lines.push(...keepPreviousLines());
  lines.push('mv -f -- "$tmp" "$dest" || exit 1');
  if (w.keepPrevious) lines.push(`kept=1; printf 'previous_file=%s\\n' "$prev"`);
  return { script: lines.join('\n'), stdin: typeof w.content === 'string' ? Buffer.from(w.content) : w.content };
}

/**
 * Copies the old file (cp -p: content, owner, mode, times) into the previous-content directory,
 * after validation and before the rename, in the same step: there is no moment when the new file
 * is in place and its predecessor is not kept. No old file: $prev stays empty.
 */
function keepPreviousLines(): string[] {
  return [
    'if [ -e "$dest" ]; then',
    `  bdir=\${RUNBOOK_BACKUP_DIR:-${PREVIOUS_DIR}}`,
    '  if ! { mkdir -p -m 0700 -- "$bdir" 2>/dev/null && [ -w "$bdir" ]; }; then',
    '    bdir=${HOME:-/tmp}/.cache/runbook/backup',
    `    mkdir -p -m 0700 -- "$bdir" || { echo "cannot keep the previous content of $dest for a handler to restore: neither ${PREVIOUS_DIR} nor $bdir is writable" >&2; exit 1; }`,
    '  fi',
    '  prev=$(mktemp "$bdir/$(basename -- "$dest").XXXXXXXX") || exit 1',
    '  cp -p -- "$dest" "$prev" || exit 1',
    'fi',
  ];
}

export interface WriteOutcome {
  /** Ansible's backup=yes copy, PATH.DATE~. */
  backupFile?: string;
  /** With keepPrevious: where the old content is kept, or null when there was no old file. */
  previous?: string | null;
  failed?: string;
}

/** Reads the step's result: the backup path, or a readable failure (validation first). */
export function writeOutcome(result: ExecResult | undefined): WriteOutcome {
  if (!result) return {};
  const backup = /^backup_file=(.*)$/m.exec(result.stdout)?.[1];
  const prev = /^previous_file=(.*)$/m.exec(result.stdout)?.[1];
  const previous = prev === undefined ? {} : { previous: prev === '' ? null : prev };
  if (result.code === 0) return { ...(backup ? { backupFile: backup } : {}), ...previous };
  if (result.code === VALIDATE_FAILED) return { failed: `${result.stderr.trim()} (the old file is unchanged)` };
  return { failed: `writing the file failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}` };
}

/** The typed record of what the step replaced, for the executor's handlers (empty unless keepPrevious). */
export function replacedFiles(path: string, out: WriteOutcome): ReplacedFile[] | undefined {
  return out.failed === undefined && out.previous !== undefined ? [{ path, previous: out.previous }] : undefined;
}

/** Reads `validate`, which must name the file to check with %s, as in Ansible. */
export function readValidate(args: ArgReader): string | undefined {
  const validate = args.str('validate');
  if (validate !== undefined && !validate.includes('%s')) {
    throw args.error(`validate must contain %s (the file to check), got '${validate}'`, `e.g. validate: 'visudo -cf %s'`);
  }
  return validate;
}
