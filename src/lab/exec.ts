// Runs the lab's system tools (ip, mount, debootstrap, ssh) with argument arrays, never a shell string.
import { execFile, spawn } from 'node:child_process';
import { RunbookError, type TroubleshootingAnchor } from '../core/errors.js';

/** The lab could not be built, started or stopped; the message names the command and its stderr. */
export class LabError extends RunbookError {
  static override readonly anchor: TroubleshootingAnchor = 'lab-error';
}

export type RunResult = { stdout: string; stderr: string; code: number };

export type RunOptions = {
  /** Written to the command's stdin (secrets travel here, never in argv). */
  input?: string;
  /** Return a non-zero exit instead of throwing. */
  allowFail?: boolean;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
};

/** Runs `cmd args...`, collecting output; throws LabError on a non-zero exit unless allowFail. */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      cmd,
      args,
      { env: opts.env, cwd: opts.cwd, timeout: opts.timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        if (err && typeof err.code !== 'number' && !opts.allowFail) {
          reject(new LabError(`${cmd} ${args.join(' ')}: ${err.message}`));
          return;
        }
        if (code !== 0 && !opts.allowFail) {
          const detail = (stderr || stdout).trim().split('\n').slice(-15).join('\n');
          reject(new LabError(`${cmd} ${args.join(' ')} exited ${code}${detail ? `:\n${detail}` : ''}`));
          return;
        }
        resolve({ stdout, stderr, code });
      },
    );
    // A child that exits before reading its stdin (ssh refused) must not crash us with EPIPE.
    child.stdin?.on('error', () => {});
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Like run, but streams output lines to `onLine` as they come (long builds stay visibly alive). */
export function runStreaming(
  cmd: string,
  args: readonly string[],
  onLine: (line: string) => void,
  opts: { env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const feed = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 15) tail.shift();
        onLine(line);
      }
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    child.on('error', (err) => reject(new LabError(`${cmd}: ${err.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new LabError(`${cmd} ${args.join(' ')} exited ${code}:\n${tail.join('\n')}`));
    });
  });
}
