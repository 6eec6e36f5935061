// runbook's own vault format: AES-256-GCM with an scrypt-derived key, under a versioned header
// so the format can change later without breaking files already committed.
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { VaultDecryptError, wrapLines } from './errors.js';

export const RUNBOOK_HEADER = '$RUNBOOK_VAULT;1;AES256-GCM;scrypt';

const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** scrypt cost: N=2^15, r=8, p=1 (~32 MiB, a few tens of ms): slow to brute-force, quick to open once. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function deriveKey(password: string, salt: Buffer): Buffer {
  return scryptSync(Buffer.from(password, 'utf8'), salt, 32, SCRYPT);
}

/** The encrypted text: header line, then base64(salt | nonce | tag | ciphertext) in 80-column lines. */
export function encryptRunbook(plaintext: string, password: string): string {
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(password, salt), nonce);
  // The header is authenticated too, so a tampered version line fails like a tampered body.
  cipher.setAAD(Buffer.from(RUNBOOK_HEADER, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const blob = Buffer.concat([salt, nonce, cipher.getAuthTag(), body]);
  return `${RUNBOOK_HEADER}\n${wrapLines(blob.toString('base64'))}\n`;
}

/** The plaintext; VaultDecryptError when the password is wrong or the text was altered. */
export function decryptRunbook(text: string, password: string): string {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  if (header?.trim() !== RUNBOOK_HEADER) throw new VaultDecryptError('format', `unsupported runbook vault header '${header ?? ''}' (this runbook reads ${RUNBOOK_HEADER})`);
  const b64 = lines.join('').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new VaultDecryptError('format', 'the vault body is not base64');
  const blob = Buffer.from(b64, 'base64');
  if (blob.length < SALT_BYTES + NONCE_BYTES + TAG_BYTES) throw new VaultDecryptError('format', 'the vault body is too short');
  const salt = blob.subarray(0, SALT_BYTES);
  const nonce = blob.subarray(SALT_BYTES, SALT_BYTES + NONCE_BYTES);
  const tag = blob.subarray(SALT_BYTES + NONCE_BYTES, SALT_BYTES + NONCE_BYTES + TAG_BYTES);
  const body = blob.subarray(SALT_BYTES + NONCE_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', deriveKey(password, salt), nonce);
  decipher.setAAD(Buffer.from(RUNBOOK_HEADER, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new VaultDecryptError('password', 'wrong vault password, or the encrypted text was altered');
  }
}
