// A template file's bytes as text. Templates are UTF-8: a file in another encoding (Latin-1, UTF-16)
// would otherwise be decoded with replacement characters and written mangled, so it is refused with
// the offset of the first byte that is not UTF-8. (copy with src sends any bytes as they are.)
import { isUtf8 } from 'node:buffer';
import { InputError } from '../core/errors.js';

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence; -1 if all are valid. */
export function firstNonUtf8Byte(bytes: Buffer): number {
  if (isUtf8(bytes)) return -1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    // Sequence length and the range of its second byte (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
    const [len, lo, hi] =
      b < 0x80 ? [1, 0, 0] : b >= 0xc2 && b <= 0xdf ? [2, 0x80, 0xbf] : b === 0xe0 ? [3, 0xa0, 0xbf] : b === 0xed ? [3, 0x80, 0x9f]
      : b >= 0xe1 && b <= 0xef ? [3, 0x80, 0xbf] : b === 0xf0 ? [4, 0x90, 0xbf] : b >= 0xf1 && b <= 0xf3 ? [4, 0x80, 0xbf] : b === 0xf4 ? [4, 0x80, 0x8f] : [0, 0, 0];
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined || (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf)) return i;
    }
    i += len;
  }
  return -1;
}

/** The file's text; an InputError naming file, line, column and byte offset when it is not UTF-8. */
export function templateSourceText(bytes: Buffer, file: string): string {
  const bad = firstNonUtf8Byte(bytes);
  if (bad < 0) return bytes.toString('utf8');
  const before = bytes.subarray(0, bad);
  const line = before.filter((b) => b === 0x0a).length + 1;
  const col = bad - (before.lastIndexOf(0x0a) + 1) + 1;
  const hex = bytes[bad]!.toString(16).padStart(2, '0');
  return fail(file, line, col, bad, hex);
}

function fail(file: string, line: number, col: number, offset: number, hex: string): never {
  throw new InputError(
    `template is not UTF-8: the byte 0x${hex} at byte offset ${offset} does not begin a valid UTF-8 character`,
    { file, line, col },
    'save the template as UTF-8 (iconv -f latin1 -t utf-8), or send the file unchanged with copy: src=',
  );
}
