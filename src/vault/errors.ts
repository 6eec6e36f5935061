// What can go wrong opening a vault, kept apart from where (file, line) so callers can say that.
export type VaultFailure = 'format' | 'password';

/** Decryption failed: a malformed envelope ('format') or a wrong password / altered text ('password'). */
export class VaultDecryptError extends Error {
  constructor(
    readonly kind: VaultFailure,
    message: string,
  ) {
    super(message);
    this.name = 'VaultDecryptError';
  }
}

/** Splits text into lines of at most `width` characters (vault bodies are wrapped at 80 columns). */
export function wrapLines(text: string, width = 80): string {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out.join('\n');
}
