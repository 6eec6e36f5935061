// The regression guard of `npm run bench:quick`: today's figures against the ones committed in
// bench/results/quick.json. Counts (round trips, host processes) are exact on any machine, so they fail
// past +25%; CPU figures move with the machine and its load, so they only warn, and only past a wide bound.

export type QuickFigures = {
  /** SSH commands per host per unchanged task (mean over host-tasks). */
  roundTripsPerTask: number;
  /** Processes started on the host per unchanged task (mean over host-tasks). */
  hostProcessesPerTask: number;
  /** Controller CPU per host-task of an in-process no-op re-run, ms. */
  cpuMsPerHostTask: number;
  /** CPU of `runbook --version`, s: Node's start and the CLI's imports. */
  startupCpuS: number;
  /** CPU of `runbook apply --syntax-check` on the bench playbook, s. */
  syntaxCheckCpuS: number;
  /**
   * Fixed CPU of an apply, s: the CLI's no-op re-run (median of 3) minus the same re-run in a warm process
   * (no Node start, imports, playbook and inventory loading, JIT warm-up). What a run costs before and
   * beside its host-tasks, SSH connections included in neither part twice.
   */
  applyStartupCpuS: number;
};

export type Finding = { figure: keyof QuickFigures; committed: number; now: number; level: 'fail' | 'warn' };

/** Counts fail when they grow more than this over the committed figure. */
export const COUNT_TOLERANCE = 0.25;
/** CPU figures warn only past this factor: another machine, or a busy one, easily costs 2x. */
export const CPU_TOLERANCE = 1.0;

const COUNTS: readonly (keyof QuickFigures)[] = ['roundTripsPerTask', 'hostProcessesPerTask'];
const CPU: readonly (keyof QuickFigures)[] = ['cpuMsPerHostTask', 'startupCpuS', 'syntaxCheckCpuS', 'applyStartupCpuS'];

/** Every figure above its bound; a figure missing from the committed file is not compared. */
export function compareQuick(committed: Partial<QuickFigures>, now: QuickFigures): Finding[] {
  const out: Finding[] = [];
  for (const [figures, tolerance, level] of [[COUNTS, COUNT_TOLERANCE, 'fail'], [CPU, CPU_TOLERANCE, 'warn']] as const) {
    for (const figure of figures) {
      const base = committed[figure];
      if (typeof base !== 'number' || !Number.isFinite(base)) continue;
      // A committed count of 0 allows nothing more; a tiny epsilon keeps float sums of exact counts equal.
      if (now[figure] > base * (1 + tolerance) + 1e-9) out.push({ figure, committed: base, now: now[figure], level });
    }
  }
  return out;
}
