// Durations and times as the report shows them, short and stable.

/** A duration for people: 850 ms, 4.2 s, 3 min 05 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** A percentage for inline CSS, short but precise enough for a page a few thousand pixels wide. */
export function percent(part: number, whole: number): string {
  const p = whole > 0 ? (part / whole) * 100 : 0;
  return `${Math.min(100, Math.max(0, p)).toFixed(3)}%`;
}

/** Axis ticks: a 1-2-5 step giving at most `max` intervals over `totalMs`. */
export function tickStep(totalMs: number, max = 8): number {
  // Whole milliseconds at least: finer ticks would only be noise.
  const raw = Math.max(totalMs / max, 1);
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}
