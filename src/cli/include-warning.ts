// How --syntax-check reports a problem found behind a dynamic include: a warning, since the run
// may never reach it, that still says where it is, where it is included from, and what to do.
import type { InputError } from '../core/errors.js';
import { formatLoc, type SourceLoc } from '../core/types.js';

export function includeWarning(problem: InputError, includedAt: SourceLoc): string {
  return `[WARNING]: ${problem.describe()}\n  (read through the dynamic include at ${formatLoc(includedAt)}: a host that reaches it fails there)\n`;
}
