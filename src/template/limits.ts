// Bounds on one rendering: a template that loops for hours or writes gigabytes (a nested range, say)
// fails with the limit it hit instead of hanging the controller for every host. Rendering is
// synchronous, so one budget at a time is in force; a render started inside another (a lazy variable
// read while rendering) spends the outer one's.
import { InputError } from '../core/errors.js';

export interface RenderLimits {
  /** Wall time one top-level rendering may take. */
  timeMs: number;
  /** Size of one rendered text, in UTF-16 code units (bytes for ASCII). */
  maxChars: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = { timeMs: 10_000, maxChars: 32 * 1024 * 1024 };

/** How to raise each limit, said in every error about it. */
export const RAISE_TIME = 'if the template is meant to take this long, raise the limit with the environment variable RUNBOOK_TEMPLATE_TIMEOUT=<seconds>';
export const RAISE_SIZE = 'if the output is meant to be this large, raise the limit with the environment variable RUNBOOK_TEMPLATE_MAX_BYTES=<bytes>';

export class RenderLimitError extends Error {
  constructor(message: string, readonly hint: string) {
    super(message);
  }
}

interface Budget {
  deadline: number;
  limits: RenderLimits;
  /** Checks between loop iterations: reading the clock every time costs more than the iteration. */
  ticks: number;
}

let current: Budget | undefined;

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** Runs `render` under `limits`, unless a rendering is in progress already (then under its budget). */
export function withinLimits<T>(limits: RenderLimits, render: () => T): T {
  if (current) return render();
  current = { deadline: Date.now() + limits.timeMs, limits, ticks: 0 };
  try {
    return render();
  } finally {
    current = undefined;
  }
}

/** Called once per loop iteration: fails when the rendering has run past its time. */
export function tick(): void {
  const b = current;
  if (!b) return;
  if (++b.ticks % 64 !== 0) return;
  if (Date.now() > b.deadline) {
    current = undefined;
    throw new RenderLimitError(`rendering took longer than ${seconds(b.limits.timeMs)}, the limit for one template`, RAISE_TIME);
  }
}

/** Fails when `chars` of output exceed the size limit. */
export function spend(chars: number): void {
  const b = current;
  if (b && chars > b.limits.maxChars) {
    current = undefined;
    throw new RenderLimitError(`the rendered text is larger than ${b.limits.maxChars} bytes, the limit for one template`, RAISE_SIZE);
  }
}

/** The limits from RUNBOOK_TEMPLATE_TIMEOUT (seconds) and RUNBOOK_TEMPLATE_MAX_BYTES; a bad value is an error naming it. */
export function renderLimitsFromEnv(env: NodeJS.ProcessEnv): RenderLimits {
  const read = (name: string, fallback: number, scale: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^[0-9]+$/.test(raw) || Number(raw) < 1) throw new InputError(`${name} must be a whole number of at least 1, found '${raw}'`, undefined, `unset ${name} for the default`);
    return Number(raw) * scale;
  };
  return {
    timeMs: read('RUNBOOK_TEMPLATE_TIMEOUT', DEFAULT_RENDER_LIMITS.timeMs, 1000),
    maxChars: read('RUNBOOK_TEMPLATE_MAX_BYTES', DEFAULT_RENDER_LIMITS.maxChars, 1),
  };
}
