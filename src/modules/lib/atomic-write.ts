// The one way runbook writes a file on a host: a temporary file in the same directory, owner and
// mode set, validated, then renamed over the target, so readers never see half a file and a
// failed validation leaves the old file untouched. The content travels on stdin (it may be secret).
import { shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';
import type { Step } from '../types.js';
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
}

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
    `trap 'rm -f -- "$tmp"' EXIT`,
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
  lines.push('mv -f -- "$tmp" "$dest" || exit 1');
  return { script: lines.join('\n'), stdin: typeof w.content === 'string' ? Buffer.from(w.content) : w.content };
}

/** Reads the step's result: the backup path, or a readable failure (validation first). */
export function writeOutcome(result: ExecResult | undefined): { backupFile?: string; failed?: string } {
  if (!result) return {};
  const backup = /^backup_file=(.*)$/m.exec(result.stdout)?.[1];
  if (result.code === 0) return backup ? { backupFile: backup } : {};
  if (result.code === VALIDATE_FAILED) return { failed: `${result.stderr.trim()} (the old file is unchanged)` };
  return { failed: `writing the file failed (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}` };
}

/** Reads `validate`, which must name the file to check with %s, as in Ansible. */
export function readValidate(args: ArgReader): string | undefined {
  const validate = args.str('validate');
  if (validate !== undefined && !validate.includes('%s')) {
    throw args.error(`validate must contain %s (the file to check), got '${validate}'`, `e.g. validate: 'visudo -cf %s'`);
  }
  return validate;
}
