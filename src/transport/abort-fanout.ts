// One 'abort' listener per signal however many commands are in flight: the run's signal is shared by every
// command on every host, and AbortSignal's addEventListener scans the listeners it already has (O(commands)).
const waiting = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` once when `signal` aborts; returns the function that stops waiting. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  let fns = waiting.get(signal);
  if (!fns) {
    const set = new Set<() => void>();
    fns = set;
    waiting.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        const all = [...set];
        set.clear();
        for (const f of all) f();
      },
      { once: true },
    );
  }
  const set = fns;
  set.add(fn);
  return () => void set.delete(fn);
}
