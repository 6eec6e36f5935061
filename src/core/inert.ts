// Text from a host shown on a terminal must not drive the terminal: control characters (ESC, CR, BEL,
// C1) and the Unicode bidi and line-separator controls are shown as \xHH / \uHHHH, so host output can
// neither move the cursor, retitle the window, rewrite earlier lines nor reorder what is read.
// Newlines and tabs stay.

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

export function inert(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
