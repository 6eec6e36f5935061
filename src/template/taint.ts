// Secret masking for derived values, shared by both dialects: a helper or filter given a secret
// (b64encode, upper, quote, replace ...) returns a derived secret, registered so output masks it too.

/** The run's secrets as the templater sees them. */
export interface SecretTaint {
  contains(text: string): boolean;
  add(value: unknown): void;
}

export function holdsSecret(value: unknown, taint: SecretTaint, depth = 0): boolean {
  if (typeof value === 'string') return taint.contains(value);
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((v) => holdsSecret(v, taint, depth + 1));
}

/** Shorter derived text (first, last: one character of the secret) would mask every such letter in the output. */
const MIN_DERIVED = 4;

/** Registers the strings of a helper's result that the existing forms would not mask already. */
export function taintResult(result: unknown, taint: SecretTaint, depth = 0): void {
  if (typeof result === 'string') {
    if (result.trim().length >= MIN_DERIVED && !taint.contains(result)) taint.add(result);
  } else if (depth <= 20 && result !== null && typeof result === 'object') {
    for (const v of Object.values(result)) taintResult(v, taint, depth + 1);
  }
}

/** `result` derived from `inputs`: tainted when any input held a secret. Counts and tests are not text. */
export function derive<T>(taint: SecretTaint | undefined, inputs: unknown[], result: T): T {
  if (taint && holdsSecret(inputs, taint)) taintResult(result, taint);
  return result;
}
