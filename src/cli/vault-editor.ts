// `runbook vault edit` shows the plaintext to $EDITOR in a private temporary file that must not outlive the edit, whatever ends it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InputError } from '../core/errors.js';

/** statfs type of tmpfs: there the plaintext lives in memory (and swap), never on a disk. */
const TMPFS_MAGIC = 0x01021994;
/** The signals that end an edit: Ctrl-C, kill, a closed terminal. */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** How long an editor has to quit after we pass the signal on, before it is killed. */
const EDITOR_GRACE_MS = 2000;

/** /dev/shm when it is a tmpfs we may write, else the usual temporary folder. */
export function editorTempBase(): string {
  try {
    if (statfsSync('/dev/shm').type === TMPFS_MAGIC) {
      const probe = mkdtempSync('/dev/shm/runbook-vault-');
      rmSync(probe, { recursive: true, force: true });
      return '/dev/shm';
    }
  } catch {
    /* no usable /dev/shm: fall back */
  }
  return tmpdir();
}

/**
 * Opens `plaintext` in $VISUAL / $EDITOR as a file named like `path`, in a fresh 0700 folder (mkdtemp), and
 * returns what the editor saved. The folder (with any swap or backup file the editor made beside it) is
 * removed on every way out: a normal end, an editor failure, an exception, process.exit, and SIGINT,
 * SIGTERM or SIGHUP, which are passed on to the editor (killed if it does not quit) before runbook exits
 * with 128 + the signal number. The editor runs in our process group, so a terminal editor keeps its terminal.
 */
export async function editInPrivateTemp(plaintext: string, path: string): Promise<string> {
  const dir = mkdtempSync(join(editorTempBase(), 'runbook-vault-'));
  const tmp = join(dir, basename(path));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  let editor: ChildProcess | undefined;
  let ending = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (ending) return;
    ending = true;
    const exit = (): never => {
      remove();
      process.exit(128 + (constants.signals[signal] ?? 15));
    };
    if (!editor || editor.exitCode !== null || editor.signalCode !== null) exit();
    editor!.once('exit', exit);
    editor!.kill(signal);
    setTimeout(() => editor!.kill('SIGKILL'), EDITOR_GRACE_MS).unref();
  };
  process.on('exit', remove);
  for (const s of SIGNALS) process.on(s, onSignal);
  try {
    writeFileSync(tmp, plaintext, { mode: 0o600, flag: 'wx' });
    const command = process.env.VISUAL || process.env.EDITOR || 'vi';
    // Through sh, so EDITOR="code --wait" works; the file name travels as $1, never spliced into the script.
    // exec: the editor itself is our child, so a signal we pass on reaches it and not only a shell.
    const result = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
      editor = spawn('/bin/sh', ['-c', `exec ${command} "$1"`, 'sh', tmp], { stdio: 'inherit' });
      editor.once('error', (error) => resolve({ code: null, error }));
      editor.once('exit', (code) => resolve({ code }));
    });
    // A signal arrived: onSignal removes the folder and exits once the editor is gone; never read the file.
    if (ending) return await new Promise<never>(() => undefined);
    if (result.error || result.code !== 0) {
      throw new InputError(`the editor '${command}' failed (${result.error?.message ?? `exit ${result.code}`}); ${path} is unchanged`, undefined, 'set EDITOR to an editor that exits 0');
    }
    return readFileSync(tmp, 'utf8');
  } finally {
    if (!ending) {
      for (const s of SIGNALS) process.off(s, onSignal);
      process.off('exit', remove);
      remove();
    }
  }
}
