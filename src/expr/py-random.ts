// Python's random.Random(seed) (Mersenne Twister, seeded as CPython 3 seeds a str or an int), so
// Ansible's `random(seed=inventory_hostname)` and `shuffle(seed=...)` pick what Ansible picks: a
// cron minute spread over hosts lands on the same minute whichever tool wrote it.
import { createHash } from 'node:crypto';

const N = 624;
const M = 397;

export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(seed: string | number) {
    this.initByArray(PyRandom.key(seed));
  }

  /** CPython's seed(): a str becomes int.from_bytes(s + sha512(s), 'big'); an int its absolute value; then 32-bit words, lowest first. */
  private static key(seed: string | number): number[] {
    let big: bigint;
    if (typeof seed === 'string') {
      const bytes = Buffer.from(seed, 'utf8');
      big = BigInt(`0x${Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]).toString('hex')}`);
    } else {
      big = BigInt(Math.abs(Math.trunc(seed)));
    }
    const words: number[] = [];
    while (big > 0n) {
      words.push(Number(big & 0xffffffffn));
      big >>= 32n;
    }
    return words.length === 0 ? [0] : words;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(prev, 1812433253) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private uint32(): number {
    const mt = this.mt;
    if (this.index >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
        mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** getrandbits(k), k <= 32. */
  private bits(k: number): number {
    if (k > 32) throw new RangeError('random: ranges over 2**32 are not supported');
    return k === 0 ? 0 : this.uint32() >>> (32 - k);
  }

  /** _randbelow(n): rejection sampling over n.bit_length() bits, as CPython 3.11. */
  below(n: number): number {
    const k = n.toString(2).length;
    let r = this.bits(k);
    while (r >= n) r = this.bits(k);
    return r;
  }

  /** randrange(start, stop, step) for positive steps. */
  randrange(start: number, stop: number, step = 1): number {
    const width = stop - start;
    if (step === 1) {
      if (width <= 0) throw new RangeError('empty range for randrange()');
      return start + this.below(width);
    }
    const n = step > 0 ? Math.floor((width + step - 1) / step) : Math.floor((width + step + 1) / step);
    if (n <= 0) throw new RangeError('empty range for randrange()');
    return start + step * this.below(n);
  }

  /** shuffle(x): Fisher-Yates from the end, as CPython. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}
