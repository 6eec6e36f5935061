// Reaches lab hosts with the system ssh client, host key checking on, for boot checks and tests.
import { run, type RunResult } from './exec.js';

export type SshTarget = { address: string; keyFile: string; knownHostsFile: string; user?: string };

/** ssh options that make the client ignore the user's own config, agent and known_hosts. */
export function sshArgs(t: SshTarget, connectTimeoutSec = 5): string[] {
  return [
    '-F', '/dev/null',
    '-i', t.keyFile,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'IdentityAgent=none',
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${t.knownHostsFile}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', `ConnectTimeout=${connectTimeoutSec}`,
    '-o', 'LogLevel=ERROR',
    `${t.user ?? 'root'}@${t.address}`,
  ];
}

/**
 * Runs `script` on the host through /bin/sh (ssh sends one string; scripts here are the caller's
 * constants, values go on stdin). Resolves with the exit code, 255 being ssh's own failure.
 */
export function sshRun(
  t: SshTarget,
  script: string,
  opts: { input?: string; timeoutMs?: number; connectTimeoutSec?: number } = {},
): Promise<RunResult> {
  return run('ssh', [...sshArgs(t, opts.connectTimeoutSec), script], {
    allowFail: true,
    input: opts.input ?? '',
    timeoutMs: opts.timeoutMs ?? 120_000,
  });
}
