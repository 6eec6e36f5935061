// Puts replaced files back from the copies atomicWriteStep kept (a handler failed on the new
// content), and drops copies no handler needs any more. Scripts here; the executor decides when.
import { shQuote } from '../../core/shell.js';
import type { ExecResult } from '../../transport/types.js';
import type { ReplacedFile, Step } from '../types.js';
import { HOST_PATH_FUNCTIONS } from './host-path.js';

/**
 * One step restoring every file: the kept copy goes to a temporary file beside the target (cp -P -p:
 * content, owner, mode; a kept link stays a link), which is renamed over it, so readers see the old
 * file or the new one, never half of either. A file that did not exist before is removed. The
 * target's directory is entered as the write entered it (host-path.ts) and the path is the one the
 * write reported, so no link is followed that the write did not follow. The script goes on past a
 * file it cannot restore and prints `restored N` for each one it did.
 */
export function restoreStep(files: readonly ReplacedFile[]): Step {
  const lines = [
    HOST_PATH_FUNCTIONS,
    // A subshell function: each file's cd stays inside it.
    'rb_restore() (',
    '  dest=$1; prev=$2',
    `  rb_locate "$dest" 0 || { printf '%s\\n' "\${rb_why:-cannot enter the directory of $dest}" >&2; exit 1; }`,
    '  if [ -z "$prev" ]; then rm -f -- "$rb_name"; exit; fi',
    '  [ -e "$prev" ] || [ -L "$prev" ] || { echo "the kept copy $prev is gone" >&2; exit 1; }',
    '  tmp=$(mktemp -u .runbook-tmp.XXXXXXXXXX) || exit 1',
    '  if cp -P -p -- "$prev" "$tmp" && mv -fT -- "$tmp" "$rb_name"; then rm -f -- "$prev"; exit 0; fi',
    '  rm -f -- "$tmp"; exit 1',
    ')',
    'rb_rc=0',
  ];
  files.forEach((f, i) => {
    lines.push(`if rb_restore ${shQuote(f.path)} ${shQuote(f.previous ?? '')}; then echo "restored ${i}"; else printf 'could not restore %s\\n' ${shQuote(f.path)} >&2; rb_rc=1; fi`);
  });
  lines.push('exit $rb_rc');
  return { script: lines.join('\n') };
}

export interface RestoreResult {
  restored: ReplacedFile[];
  notRestored: ReplacedFile[];
  /** What the host said about the files it could not restore. */
  detail?: string;
}

export function readRestore(files: readonly ReplacedFile[], r: ExecResult): RestoreResult {
  const done = new Set([...r.stdout.matchAll(/^restored (\d+)$/gm)].map((m) => Number(m[1])));
  return {
    restored: files.filter((_, i) => done.has(i)),
    notRestored: files.filter((_, i) => !done.has(i)),
    detail: r.code === 0 ? undefined : r.stderr.trim() || `exit ${r.code}`,
  };
}

/** Removes kept copies that no handler will need (the handler succeeded, or was skipped). */
export function discardStep(previous: readonly string[]): Step {
  return { script: `rm -f -- ${previous.map(shQuote).join(' ')}` };
}
