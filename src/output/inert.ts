// Text a host sent, made inert for a terminal: control characters (ESC, CR, BEL, C1) and the Unicode
// bidi and line-separator controls are shown as \xHH / \uHHHH, so host output can neither move the
// cursor, retitle the window, rewrite earlier lines nor reorder what is read. Newlines and tabs stay.
// --json keeps the raw text: escaping there is JSON's job.

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

export function inert(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

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
