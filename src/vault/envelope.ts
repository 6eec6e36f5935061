// Tells vault texts from plain ones by their first line and sends each to its format.
import { decryptAnsible } from './ansible-format.js';
import { VaultDecryptError } from './errors.js';
import { decryptRunbook, encryptRunbook, RUNBOOK_HEADER } from './runbook-format.js';

export type VaultFormat = 'runbook' | 'ansible';

/** Which vault format a text is in, from its first non-blank line; undefined for plain text. */
export function vaultFormatOf(text: string): VaultFormat | undefined {
  const first = text.replace(/^\uFEFF/, '').trimStart().split(/\r?\n/, 1)[0] ?? '';
  if (first.startsWith('$RUNBOOK_VAULT;')) return 'runbook';
  if (first.startsWith('$ANSIBLE_VAULT;')) return 'ansible';
  return undefined;
}

export function isVaultText(text: string): boolean {
  return vaultFormatOf(text) !== undefined;
}

/** The plaintext of either format; VaultDecryptError on a wrong password or a damaged text. */
export function decryptVaultText(text: string, password: string): string {
  const format = vaultFormatOf(text);
  const clean = text.replace(/^\uFEFF/, '').trim();
  if (format === 'runbook') return decryptRunbook(clean, password);
  if (format === 'ansible') return decryptAnsible(clean, password);
  throw new VaultDecryptError('format', `not a vault text (it should start with ${RUNBOOK_HEADER} or $ANSIBLE_VAULT;1.1;AES256)`);
}

/** New files are always written in runbook's own format. */
export function encryptVaultText(plaintext: string, password: string): string {
  return encryptRunbook(plaintext, password);
}
