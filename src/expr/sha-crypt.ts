// SHA-crypt ($5$ and $6$, Drepper's specification), for Ansible's password_hash filter: the form
// /etc/shadow and the user module take. Node's crypto has the hashes but not this construction.
import { createHash, randomInt } from 'node:crypto';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The byte order each algorithm's final encoding takes its triplets in. */
const ORDER: Record<'sha256' | 'sha512', { triplets: number[][]; tail: number[] }> = {
  sha256: { triplets: [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]], tail: [-1, 31, 30] },
  sha512: {
    triplets: [
      [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
      [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
    ],
    tail: [-1, -1, 63],
  },
};

function b64(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[w & 0x3f];
    w >>>= 6;
  }
  return out;
}

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = block[i % block.length]!;
  return out;
}

export function shaCrypt(algorithm: 'sha256' | 'sha512', password: string, salt?: string, rounds = 5000): string {
  const size = algorithm === 'sha512' ? 64 : 32;
  const h = (...parts: Buffer[]): Buffer => createHash(algorithm).update(Buffer.concat(parts)).digest();
  const P = Buffer.from(password, 'utf8');
  const saltText = (salt ?? Array.from({ length: 16 }, () => ITOA64[randomInt(64)]).join('')).slice(0, 16);
  const S = Buffer.from(saltText, 'utf8');
  const B = h(P, S, P);
  const aParts = [P, S, repeatTo(B, P.length)];
  for (let n = P.length; n > 0; n >>= 1) aParts.push(n & 1 ? B : P);
  let C = h(...aParts);
  const DP = h(...Array.from({ length: P.length }, () => P));
  const Pp = repeatTo(DP, P.length);
  const DS = h(...Array.from({ length: 16 + C[0]! }, () => S));
  const Sp = DS.subarray(0, S.length);
  for (let i = 0; i < rounds; i++) {
    const parts: Buffer[] = [i & 1 ? Pp : C];
    if (i % 3) parts.push(Sp);
    if (i % 7) parts.push(Pp);
    parts.push(i & 1 ? C : Pp);
    C = h(...parts);
  }
  const { triplets, tail } = ORDER[algorithm];
  let out = triplets.map(([a, b, c]) => b64(C[a!]!, C[b!]!, C[c!]!, 4)).join('');
  const at = (i: number): number => (i < 0 ? 0 : C[i]!);
  out += b64(at(tail[0]!), at(tail[1]!), at(tail[2]!), size === 64 ? 2 : 3);
  const prefix = algorithm === 'sha512' ? '$6$' : '$5$';
  return `${prefix}${rounds === 5000 ? '' : `rounds=${rounds}$`}${saltText}$${out}`;
}
