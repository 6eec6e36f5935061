// Shared value types that every layer speaks; kept free of behaviour so any file may import them.

/** Where a value came from, for errors that point at the user's file. Lines and columns are 1-based. */
export interface SourceLoc {
  file: string;
  line: number;
  col: number;
}

export type Vars = Record<string, unknown>;

/** Formats a location the way editors and compilers do, so terminals make it clickable. */
export function formatLoc(loc: SourceLoc | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '<unknown location>';
}
