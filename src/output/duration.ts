// How times read: coarse and steady for the live view, Ansible profile_tasks' seconds for the summary.

/** Elapsed time on the live view: tenths while short, then whole seconds, minutes, hours. */
export function elapsed(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < 10_000) return `${(safe / 1000).toFixed(1)}s`;
  const s = Math.floor(safe / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Seconds with two decimals, as Ansible's profile_tasks callback prints them. */
export function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(2)}s`;
}
