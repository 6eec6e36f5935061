// "Did you mean" for typos in keywords, module names and arguments, so errors say what to write instead.

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions (`regsiter` -> `register` is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest candidate, or undefined when none is close enough to be a plausible typo
 * (about one edit per three characters, at least one; or a cut-short word of three or more
 * letters, `child` for `children`, or one with extra letters, `integer` for `int`). Ties go to the earlier candidate.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.round(w.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === word) continue;
    const lower = c.toLowerCase();
    const dist = editDistance(w, lower);
    const truncated = (w.length >= 3 && lower.startsWith(w)) || (lower.length >= 3 && w.startsWith(lower));
    if ((dist <= limit || truncated) && dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}

/** A hint sentence for InputError, or undefined: "did you mean 'register'?". */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const s = suggest(word, candidates);
  return s === undefined ? undefined : `did you mean '${s}'?`;
}
