// Text from a host shown on a terminal must not drive the terminal: control characters become visible escapes.

/** C0 controls except tab and newline, DEL, and the C1 controls (ESC's 8-bit forms). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with each control character written as `\xNN` (ESC becomes `\x1b`), so printing it cannot move the cursor, recolour or retitle the terminal. */
export function inert(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
