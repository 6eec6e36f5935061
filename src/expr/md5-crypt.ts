// MD5-crypt ($1$, Poul-Henning Kamp's FreeBSD scheme), for vars_prompt's encrypt: md5_crypt: the
// form glibc's crypt and passlib's md5_crypt give. Old and weak, but old playbooks ask for it.
import { createHash } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function to64(w: number, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[w & 0x3f];
    w >>>= 6;
  }
  return out;
}

const md5 = (...parts: Buffer[]): Buffer => createHash('md5').update(Buffer.concat(parts)).digest();

/** `$1$SALT$HASH`; the salt is cut at 8 characters or a `$`, as crypt(3) cuts it. */
export function md5Crypt(password: string, salt: string): string {
  const saltText = salt.split('$')[0]!.slice(0, 8);
  const P = Buffer.from(password, 'utf8');
  const S = Buffer.from(saltText, 'utf8');
  const alt = md5(P, S, P);
  const parts: Buffer[] = [P, Buffer.from('$1$'), S];
  for (let left = P.length; left > 0; left -= 16) parts.push(alt.subarray(0, Math.min(16, left)));
  // The scheme's quirk: a zero byte for each set bit of the length, else the password's first byte.
  for (let n = P.length; n > 0; n >>= 1) parts.push(n & 1 ? Buffer.alloc(1) : P.subarray(0, 1));
  let f = md5(...parts);
  for (let i = 0; i < 1000; i++) {
    const round: Buffer[] = [i & 1 ? P : f];
    if (i % 3) round.push(S);
    if (i % 7) round.push(P);
    round.push(i & 1 ? f : P);
    f = md5(...round);
  }
  const t = (a: number, b: number, c: number): string => to64((f[a]! << 16) | (f[b]! << 8) | f[c]!, 4);
  return `$1$${saltText}$${t(0, 6, 12)}${t(1, 7, 13)}${t(2, 8, 14)}${t(3, 9, 15)}${t(4, 10, 5)}${to64(f[11]!, 2)}`;
}
