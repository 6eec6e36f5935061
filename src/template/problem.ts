// A template problem found while compiling or rendering, positioned inside the template text;
// the templater turns it into an InputError pointing at the file (or playbook value) it came from.

export class TemplateProblem extends Error {
  constructor(
    message: string,
    /** 1-based line and column inside the template text, when known. */
    readonly line?: number,
    readonly col?: number,
    readonly hint?: string,
  ) {
    super(message);
  }

  /** Set once, by the innermost included or imported template it happened in (undefined: the template rendered). */
  located?: { file?: string };
}

/** Marks `err` as having happened in `file` unless an inner template already claimed it. */
export function locate<T>(err: T, file: string | undefined): T {
  if (err instanceof TemplateProblem && !err.located) err.located = { file };
  return err;
}

/** Handlebars' own node position (1-based line, 0-based column), as it reaches helpers in `options.loc`. */
export interface HbsLoc {
  start: { line: number; column: number };
}

export function problemAt(message: string, loc: HbsLoc | undefined, hint?: string): TemplateProblem {
  return new TemplateProblem(message, loc?.start.line, loc ? loc.start.column + 1 : undefined, hint);
}
