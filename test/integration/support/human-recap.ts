// Reads the PLAY RECAP of runbook's human output, so tests check what people see, not only --json.
import type { HostCounters } from '../../../src/executor/events.js';

const LINE = /^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)\s*$/;

/** Counters per host from the text after the last "PLAY RECAP" line (colours off: NO_COLOR). */
export function parseHumanRecap(stdout: string): Record<string, HostCounters> {
  const at = stdout.lastIndexOf('PLAY RECAP');
  if (at < 0) return {};
  const hosts: Record<string, HostCounters> = {};
  for (const line of stdout.slice(at).split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [ok, changed, unreachable, failed, skipped, rescued, ignored] = m.slice(2).map(Number) as number[];
    hosts[m[1]!] = { ok: ok!, changed: changed!, unreachable: unreachable!, failed: failed!, skipped: skipped!, rescued: rescued!, ignored: ignored! };
  }
  return hosts;
}
