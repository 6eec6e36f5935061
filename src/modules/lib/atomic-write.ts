// The one way runbook writes a file on a host. The script enters the destination's directory
// without following links it cannot trust (host-path.ts), creates a temporary file there with
// O_EXCL (sh's noclobber) at an unpredictable name and keeps it open, reads exactly the announced
// number of bytes from stdin (the content may be secret, so never argv), checks their length and
// sha256, sets owner and mode through the open descriptor, validates, and only then renames the
// temporary file over the destination: a stream cut short, a failed check or a failed validation
// leaves the old file as it was. A link at the destination is replaced, not followed, unless the
// task says follow: yes.
import { createHash } from 'node:crypto';
import { shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';
import type { ReplacedFile, Step } from '../types.js';
import type { ArgReader } from './args.js';
import { HOST_PATH_FUNCTIONS } from './host-path.js';

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
  /** Keep the old file as PATH.PID.DATE~ first, named as Ansible's backup=yes names it. */
  backup?: boolean;
  /** mkdir -p the parent first (lineinfile/ini_file create=yes). */
  makeParents?: boolean;
  /** Keep a copy of the file being replaced under PREVIOUS_DIR, for a failing handler to restore. */
  keepPrevious?: boolean;
  /** follow: yes: write the file a (trusted) link at path points to, instead of replacing the link. */
  follow?: boolean;
}

/**
 * Where replaced files' previous contents are kept. Not beside the file: a copy in conf.d/ or
 * sites-enabled/ would be read as config. Logins that cannot write here use ~/.cache/runbook/backup;
 * RUNBOOK_BACKUP_DIR on the host overrides both (tests use it).
 */
export const PREVIOUS_DIR = '/var/lib/runbook/backup';

/** Exit code of the step when `validate` rejected the new content. */
export const VALIDATE_FAILED = 3;
/** Exit code when the content that arrived is not what was sent (short stream, wrong checksum). */
export const CONTENT_MISMATCH = 4;

export function atomicWriteStep(w: AtomicWrite): Step {
  const content = typeof w.content === 'string' ? Buffer.from(w.content) : w.content;
  const size = content.length;
  const sha256 = createHash('sha256').update(content).digest('hex');
  const lines = [
    HOST_PATH_FUNCTIONS,
    `dest=${shQuote(w.path)}`,
    'rb_home=$PWD',
    ...(w.makeParents ? ['rb_mkdirs=1'] : []),
    `rb_locate "$dest" ${w.follow ? 1 : 0} || { printf '%s\\n' "\${rb_why:-cannot enter the directory of $dest}" >&2; exit 1; }`,
    'rb_mkdirs=',
    'name=$rb_name',
    `if [ -d "$name" ] && [ ! -L "$name" ]; then printf '%s is a directory\\n' "$PWD/$name" >&2; exit 1; fi`,
    'tmp=$(mktemp -u .runbook-tmp.XXXXXXXXXX) || exit 1',
    // The previous copy is kept only once the new file is in place ($kept).
    `prev=; kept=; trap 'rm -f -- "$tmp"; if [ -n "$prev" ] && [ -z "$kept" ]; then rm -f -- "$prev"; fi' EXIT`,
    `trap 'exit 129' HUP INT TERM`,
    // umask 077 while it exists: nobody else may open it before its mode is set.
    'rb_mask=$(umask); umask 077',
    // noclobber: O_CREAT|O_EXCL, so a link or file someone put at this name is never written through.
    'set -C; exec 3>"$tmp" || exit 1; set +C',
    'umask "$rb_mask"',
    `head -c ${size} >&3 || exit 1`,
    // /proc/self/fd/3 is the file opened above, whatever its name now points at.
    'got=$(stat -L -c %s /proc/self/fd/3) || exit 1',
    `if [ "$got" != ${size} ]; then printf 'the content arrived incomplete (%s of ${size} bytes): the old file is unchanged\\n' "$got" >&2; exit ${CONTENT_MISMATCH}; fi`,
    'sum=$(sha256sum < /proc/self/fd/3) || exit 1',
    `if [ "\${sum%% *}" != ${sha256} ]; then printf 'the content arrived corrupted (sha256 %s, sent ${sha256}): the old file is unchanged\\n' "\${sum%% *}" >&2; exit ${CONTENT_MISMATCH}; fi`,
  ];
  if (w.owner !== undefined || w.group !== undefined) {
    const spec = `${w.owner ?? ''}${w.group !== undefined ? `:${w.group}` : ''}`;
    lines.push(`chown ${shQuote(spec)} /proc/self/fd/3 || exit 1`);
  }
  // chmod after chown: chown clears setuid/setgid bits.
  lines.push(
    w.mode !== undefined
      ? `chmod ${shQuote(w.mode)} /proc/self/fd/3 || exit 1`
      : `chmod "$(printf '%o' $(( 0666 & ~0$rb_mask )))" /proc/self/fd/3 || exit 1`,
  );
  if (w.validate !== undefined) {
    // Validators run from the login's directory, as before, and get the temporary file's full path.
    const cmd = w.validate.split('%s').join('"$rb_tmp_abs"');
    lines.push(
      'rb_tmp_abs="$PWD/$tmp"',
      `out=$( { cd "$rb_home" 2>/dev/null; ${cmd} ; } 2>&1 ); rc=$?`,
      `if [ "$rc" -ne 0 ]; then printf 'validation failed (exit %s): %s\\n' "$rc" "$out" >&2; exit ${VALIDATE_FAILED}; fi`,
    );
  }
  if (w.backup) {
    // A hard link keeps the old file itself (content, owner, mode, times) and, like the temporary
    // file, never writes through a link someone planted at the backup's name.
    lines.push(
      'if [ -e "$name" ] || [ -L "$name" ]; then',
      // Ansible's name: the writing process's PID, then the host's local time. Two writes in one second get two PIDs.
      '  b="$name.$$.$(date +%Y-%m-%d@%H:%M:%S)~"',
      `  ln -P -- "$name" "$b" || exit 1`,
      `  printf 'backup_file=%s\\n' "$PWD/$b"`,
      'fi',
    );
  }
  if (w.keepPrevious) lines.push(...keepPreviousLines());
  // -T: a directory (or a link to one) at the name is never moved into.
  lines.push('mv -fT -- "$tmp" "$name" || exit 1', `printf 'dest_file=%s\\n' "$PWD/$name"`);
  if (w.keepPrevious) lines.push(`kept=1; printf 'previous_file=%s\\n' "$prev"`);
  return { script: lines.join('\n'), stdin: content };
}

/**
 * Copies the old file (cp -P -p: a link stays a link; content, owner, mode, times) into the
 * previous-content directory, after validation and before the rename, in the same step: there is
 * no moment when the new file is in place and its predecessor is not kept. No old file: $prev stays
 * empty. The directory is the connecting user's own 0700 one, so the copy's name cannot be raced.
 */
function keepPreviousLines(): string[] {
  return [
    'if [ -e "$name" ] || [ -L "$name" ]; then',
    `  bdir=\${RUNBOOK_BACKUP_DIR:-${PREVIOUS_DIR}}`,
    '  if ! { mkdir -p -m 0700 -- "$bdir" 2>/dev/null && [ -w "$bdir" ]; }; then',
    '    bdir=${HOME:-/tmp}/.cache/runbook/backup',
    `    mkdir -p -m 0700 -- "$bdir" || { echo "cannot keep the previous content of $dest for a handler to restore: neither ${PREVIOUS_DIR} nor $bdir is writable" >&2; exit 1; }`,
    '  fi',
    '  prev=$(mktemp -u "$bdir/$name.XXXXXXXX") || exit 1',
    '  cp -P -p -- "$name" "$prev" || exit 1',
    'fi',
  ];
}

export interface WriteOutcome {
  /** Ansible's backup=yes copy, PATH.PID.DATE~. */
  backupFile?: string;
  /** With keepPrevious: where the old content is kept, or null when there was no old file. */
  previous?: string | null;
  /** The file actually written (the physical path; with follow: yes, a link's target). */
  destFile?: string;
  failed?: string;
}

/** Reads the step's result: the backup path, or a readable failure (validation first). */
export function writeOutcome(result: ExecResult | undefined): WriteOutcome {
  if (!result) return {};
  const backup = /^backup_file=(.*)$/m.exec(result.stdout)?.[1];
  const prev = /^previous_file=(.*)$/m.exec(result.stdout)?.[1];
  const previous = prev === undefined ? {} : { previous: prev === '' ? null : prev };
  const dest = /^dest_file=(.*)$/m.exec(result.stdout)?.[1];
  if (result.code === 0) return { ...(backup ? { backupFile: backup } : {}), ...previous, ...(dest ? { destFile: dest } : {}) };
  if (result.code === VALIDATE_FAILED) return { failed: `${result.stderr.trim()} (the old file is unchanged)` };
  return { failed: `writing the file failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}` };
}

/** The typed record of what the step replaced, for the executor's handlers (empty unless keepPrevious). */
export function replacedFiles(path: string, out: WriteOutcome): ReplacedFile[] | undefined {
  return out.failed === undefined && out.previous !== undefined ? [{ path: out.destFile ?? path, previous: out.previous }] : undefined;
}

/** Reads `validate`, which must name the file to check with %s, as in Ansible. */
export function readValidate(args: ArgReader): string | undefined {
  const validate = args.str('validate');
  if (validate !== undefined && !validate.includes('%s')) {
    throw args.error(`validate must contain %s (the file to check), got '${validate}'`, `e.g. validate: 'visudo -cf %s'`);
  }
  return validate;
}
