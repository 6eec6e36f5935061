// Turns the hosts' counters into the run's exit code: more telling than Ansible's on purpose.
import type { HostCounters } from './events.js';

export const ExitCode = { ok: 0, input: 1, failed: 2, unreachable: 4, aborted: 8, interrupted: 130 } as const;

/** Precedence when several apply: interrupted, then aborted, then failed, then unreachable (input errors never reach a recap). */
export function exitCodeFor(hosts: Record<string, HostCounters>, flags: { aborted: boolean; interrupted: boolean }): number {
  if (flags.interrupted) return ExitCode.interrupted;
  if (flags.aborted) return ExitCode.aborted;
  const all = Object.values(hosts);
  if (all.some((c) => c.failed > 0)) return ExitCode.failed;
  if (all.some((c) => c.unreachable > 0)) return ExitCode.unreachable;
  return ExitCode.ok;
}
