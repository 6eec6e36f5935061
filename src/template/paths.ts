// Resolves a dotted variable path the way Handlebars does (own properties only, never the
// prototype), and explains an undefined one by naming the first missing segment.
import { didYouMean } from '../core/suggest.js';
import type { Vars } from '../core/types.js';
import { isPlainObject } from '../expr/values.js';
import { problemAt, type HbsLoc, type TemplateProblem } from './problem.js';

/** What the strict rewrite knows about a path to explain why it is undefined. */
export interface PathMeta {
  name: string;
  parts: string[];
  /** The path is relative to the current context (not `../x`, not a block parameter). */
  walk: boolean;
}

function own(obj: unknown, key: string): boolean {
  return obj !== null && obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key);
}

/** Why `meta` does not resolve from `context`, or undefined if it does (to a defined value, possibly null). */
export function missingPath(context: unknown, meta: PathMeta, loc: HbsLoc | undefined): TemplateProblem | undefined {
  if (!meta.walk) return problemAt(`undefined variable '${meta.name}'`, loc);
  let current: unknown = context;
  for (let i = 0; i < meta.parts.length; i++) {
    const part = meta.parts[i]!;
    if (!own(current, part) || (current as Vars)[part] === undefined) {
      const hint = didYouMean(part, isPlainObject(current) ? Object.keys(current) : []);
      if (i === 0) return problemAt(`undefined variable '${part}'${meta.parts.length > 1 ? ` (in '${meta.name}')` : ''}`, loc, hint);
      const parent = meta.parts.slice(0, i).join('.');
      const why = current === null ? `'${parent}' is null` : `'${parent}' has no key '${part}'`;
      return problemAt(`undefined variable '${meta.name}' (${why})`, loc, hint);
    }
    current = (current as Vars)[part];
  }
  return undefined;
}

/** The value at `meta.parts` under `context`; an undefined value, or a null on the way, is a TemplateProblem. */
export function lookupPath(context: unknown, meta: PathMeta, loc: HbsLoc | undefined): unknown {
  let current: unknown = context;
  for (const part of meta.parts) {
    if (!own(current, part)) throw missingPath(context, meta, loc);
    current = (current as Vars)[part];
  }
  if (current === undefined) throw missingPath(context, meta, loc);
  return current;
}
