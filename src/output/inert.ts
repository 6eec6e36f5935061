// A result's host text made inert for the terminal (core/inert.ts says how).
// --json keeps the raw text: escaping there is JSON's job.

import { inert } from '../core/inert.js';

export { inert };

/** The host's words in a result (message, output, item, changes, diffs) made inert; other fields as they are. */
export function inertResult<T extends { msg?: string; stdout?: string; stderr?: string; item?: unknown; changes?: string[]; diffs?: Array<{ path: string; before: string; after: string }> }>(r: T): T {
  const s = (v: string | undefined) => (v === undefined ? v : inert(v));
  return {
    ...r,
    msg: s(r.msg),
    stdout: s(r.stdout),
    stderr: s(r.stderr),
    ...(typeof r.item === 'string' ? { item: inert(r.item) } : {}),
    ...(r.changes ? { changes: r.changes.map(inert) } : {}),
    ...(r.diffs ? { diffs: r.diffs.map((d) => ({ ...d, path: inert(d.path), before: inert(d.before), after: inert(d.after) })) } : {}),
  };
}
