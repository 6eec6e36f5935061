// Ansible Vault's AES256 format (1.1, and 1.2 with a vault-id label), so existing Ansible
// secrets decrypt unchanged: PBKDF2-SHA256 -> AES-256-CTR + HMAC-SHA256, hexlified twice.
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { VaultDecryptError, wrapLines } from './errors.js';

export interface AnsibleHeader {
  version: '1.1' | '1.2';
  cipher: 'AES256';
  label?: string;
}

const HEADER = /^\$ANSIBLE_VAULT;(1\.[0-9]);([A-Za-z0-9]+)(?:;(.*))?$/;

export function parseAnsibleHeader(line: string): AnsibleHeader {
  const m = HEADER.exec(line.trim());
  if (!m) throw new VaultDecryptError('format', `not an Ansible Vault header: '${line.trim()}'`);
  const [, version, cipher, label] = m;
  if (version !== '1.1' && version !== '1.2') throw new VaultDecryptError('format', `Ansible Vault format ${version} is not supported (runbook reads 1.1 and 1.2)`);
  if (cipher !== 'AES256') throw new VaultDecryptError('format', `Ansible Vault cipher ${cipher} is not supported (runbook reads AES256)`);
  return label !== undefined && label !== '' ? { version, cipher, label } : { version, cipher };
}

/** Ansible's _gen_key_initctr: 80 bytes of PBKDF2 = AES key, HMAC key, initial counter. */
function deriveKeys(password: string, salt: Buffer): { aesKey: Buffer; hmacKey: Buffer; iv: Buffer } {
  const material = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 10000, 80, 'sha256');
  return { aesKey: material.subarray(0, 32), hmacKey: material.subarray(32, 64), iv: material.subarray(64, 80) };
}

function unhex(text: string, what: string): Buffer {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) throw new VaultDecryptError('format', `the vault ${what} is not hexadecimal`);
  return Buffer.from(text, 'hex');
}

/** Ansible pads with PKCS#7 to 16 bytes even though CTR needs no padding; we do the same. */
function pad(data: Buffer): Buffer {
  const n = 16 - (data.length % 16);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function unpad(data: Buffer): Buffer {
  const n = data.at(-1) ?? 0;
  if (n < 1 || n > 16 || n > data.length || !data.subarray(data.length - n).every((b) => b === n)) {
    throw new VaultDecryptError('format', 'bad padding after decryption');
  }
  return data.subarray(0, data.length - n);
}

/** The whole vault text (header and body), as ansible-vault writes it. `salt` is for reproducible tests only. */
export function encryptAnsible(plaintext: string, password: string, opts: { label?: string; salt?: Buffer } = {}): string {
  const salt = opts.salt ?? randomBytes(32);
  const { aesKey, hmacKey, iv } = deriveKeys(password, salt);
  const cipher = createCipheriv('aes-256-ctr', aesKey, iv);
  const ciphertext = Buffer.concat([cipher.update(pad(Buffer.from(plaintext, 'utf8'))), cipher.final()]);
  const hmac = createHmac('sha256', hmacKey).update(ciphertext).digest('hex');
  const inner = [salt.toString('hex'), hmac, ciphertext.toString('hex')].join('\n');
  const header = opts.label ? `$ANSIBLE_VAULT;1.2;AES256;${opts.label}` : '$ANSIBLE_VAULT;1.1;AES256';
  return `${header}\n${wrapLines(Buffer.from(inner, 'ascii').toString('hex'))}\n`;
}

/** The plaintext of an Ansible Vault text (file content or an inline !vault value). */
export function decryptAnsible(text: string, password: string): string {
  const [headerLine, ...lines] = text.trim().split(/\r?\n/);
  parseAnsibleHeader(headerLine ?? '');
  const inner = unhex(lines.join('').replace(/\s+/g, ''), 'body').toString('ascii');
  const parts = inner.split('\n');
  if (parts.length !== 3) throw new VaultDecryptError('format', 'the vault body does not hold salt, HMAC and ciphertext');
  const salt = unhex(parts[0]!, 'salt');
  const expected = unhex(parts[1]!, 'HMAC');
  const ciphertext = unhex(parts[2]!, 'ciphertext');
  const { aesKey, hmacKey, iv } = deriveKeys(password, salt);
  const actual = createHmac('sha256', hmacKey).update(ciphertext).digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    throw new VaultDecryptError('password', 'wrong vault password, or the encrypted text was altered');
  }
  const decipher = createDecipheriv('aes-256-ctr', aesKey, iv);
  return unpad(Buffer.concat([decipher.update(ciphertext), decipher.final()])).toString('utf8');
}
