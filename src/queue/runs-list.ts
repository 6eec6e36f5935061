// `runbook runs`: the run records the queue's Redis keeps (store.ts), as a table or as JSON. Pure:
// the records in, the text out, so the listing is tested without Redis.

export interface RunRow {
  id: string;
  /** running, ok, failed, unreachable, aborted, cancelled or error. */
  status: string;
  exitCode: number | null;
  playbook: string;
  submitter: string;
  /** The worker driving the run (or that drove it). */
  driver: string;
  started: string;
  finished: string | null;
}

/** What an exit code says about a finished run (apply's codes: docs/command-line.md). */
const BY_CODE: Record<number, string> = { 0: 'ok', 1: 'error', 2: 'failed', 4: 'unreachable', 8: 'aborted', 130: 'cancelled' };

/** One run's row from its record. */
export function runRow(id: string, record: Record<string, string>): RunRow {
  const code = record.exitCode !== undefined && /^\d+$/.test(record.exitCode) ? Number(record.exitCode) : null;
  let status: string;
  if (record.status === 'running') status = 'running';
  else if (record.status === 'cancelled') status = 'cancelled';
  else status = code === null ? (record.status ?? 'unknown') : (BY_CODE[code] ?? `exit ${code}`);
  return {
    id, status, exitCode: code,
    playbook: record.playbook ?? '', submitter: record.submitter ?? '', driver: record.driver ?? '', started: record.started ?? '', finished: record.finished ?? null,
  };
}

/** The table `runbook runs` prints: newest first as given, columns as wide as their longest cell. */
export function formatRuns(rows: RunRow[]): string {
  if (rows.length === 0) return 'no runs in the queue (finished runs are kept 24 hours)\n';
  const head = ['RUN', 'STATUS', 'EXIT', 'PLAYBOOK', 'SUBMITTER', 'STARTED', 'FINISHED'];
  const cells = rows.map((r) => [r.id, r.status, r.exitCode === null ? '-' : String(r.exitCode), r.playbook, r.submitter, shortTime(r.started), r.finished ? shortTime(r.finished) : '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return `${[head, ...cells].map(line).join('\n')}\n`;
}

/** 2026-12-02T17:20:03.123Z → 2026-12-02 17:20:03Z: the record's UTC time, to the second. */
function shortTime(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : iso;
}

/** host:pid of a submitter, when it names one. */
export function parseSubmitter(text: string): { host: string; pid: number } | undefined {
  const m = /^(.*):(\d+)$/.exec(text);
  return m ? { host: m[1]!, pid: Number(m[2]) } : undefined;
}
