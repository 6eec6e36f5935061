// An error leaving a run reaches main.ts's printer; it must be masked like every other output.
import type { Secrets } from '../executor/context.js';

/** Masks, in place, what main.ts prints of an error: its message, its hint, and its stack. */
export function maskError(err: unknown, secrets: Pick<Secrets, 'mask'>): void {
  if (!(err instanceof Error)) return;
  const e = err as Error & { hint?: string };
  // RunbookError's message and hint are read-only by type, not at run time: assign through the object.
  Object.assign(err, { message: secrets.mask(e.message), ...(e.hint ? { hint: secrets.mask(e.hint) } : {}) });
  if (e.stack) e.stack = secrets.mask(e.stack);
}
