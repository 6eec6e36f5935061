// A run's vault: the password (read once, when first needed) and the SecretSet every decrypted
// value joins, so loaders decrypt without globals and printers mask what came out.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import type { SecretSet } from '../secrets/mask.js';
import { VaultText } from '../yaml/scalars.js';
import { decryptVaultText, encryptVaultText, isVaultText } from './envelope.js';
import { VaultDecryptError } from './errors.js';
import { PASSWORD_HINT, type PasswordSource } from './password.js';

export interface VaultOptions {
  password?: PasswordSource;
  /** Decrypted values and the password are added here, to be masked in all output. */
  secrets?: SecretSet;
}

/** Where an encrypted text was met: a file, and for an inline !vault value its line. */
export interface VaultWhere {
  file: string;
  loc?: SourceLoc;
}

function describeWhere(where: VaultWhere): string {
  return where.loc ? `the !vault value at ${where.loc.file}:${where.loc.line}:${where.loc.col}` : where.file;
}

export function missingPasswordError(where: VaultWhere): InputError {
  return new InputError(`${describeWhere(where)} is vault-encrypted, but no vault password was given`, where.loc, PASSWORD_HINT);
}

export class Vault {
  private password: string | undefined;

  constructor(private readonly opts: VaultOptions = {}) {}

  get hasPassword(): boolean {
    return this.opts.password !== undefined;
  }

  /** The password, read from its source the first time; InputError naming `where` if there is none. */
  passwordFor(where: VaultWhere): string {
    if (this.password === undefined) {
      if (!this.opts.password) throw missingPasswordError(where);
      this.password = this.opts.password.read();
      this.opts.secrets?.add(this.password);
    }
    return this.password;
  }

  /** Plaintext of a vault text; a wrong password is an InputError naming the file, never the password. */
  decrypt(text: string, where: VaultWhere): string {
    const password = this.passwordFor(where);
    try {
      return decryptVaultText(text, password);
    } catch (e) {
      if (!(e instanceof VaultDecryptError)) throw e;
      if (e.kind === 'password') {
        throw new InputError(`cannot decrypt ${describeWhere(where)} with the vault password from ${this.opts.password!.origin}`, where.loc, 'wrong password, or the encrypted text was altered; check which password this file was encrypted with');
      }
      throw new InputError(`cannot decrypt ${describeWhere(where)}: ${e.message}`, where.loc ?? { file: where.file, line: 1, col: 1 });
    }
  }

  encrypt(plaintext: string, where: VaultWhere): string {
    return encryptVaultText(plaintext, this.passwordFor(where));
  }

  /** Adds every string inside `value` to the run's secrets (numbers and booleans would mask too much). */
  remember(value: unknown): void {
    if (typeof value === 'string') this.opts.secrets?.add(value);
    else if (Array.isArray(value)) value.forEach((v) => this.remember(v));
    else if (value !== null && typeof value === 'object' && !(value instanceof VaultText)) Object.values(value).forEach((v) => this.remember(v));
  }
}

/** The text of a file as YAML: decrypted when it is a vault file. `vault` absent means no password was set up. */
export function openVarsText(text: string, file: string, vault: Vault | undefined): { text: string; encrypted: boolean } {
  if (!isVaultText(text)) return { text, encrypted: false };
  if (!vault) throw missingPasswordError({ file });
  return { text: vault.decrypt(text, { file }), encrypted: true };
}

/**
 * Replaces every inline !vault value inside `value` with its plaintext, in place (the containers
 * keep their identity, so the YAML locations recorded for them stay valid). Returns the value.
 */
export function revealVaultValues(value: unknown, file: string, vault: Vault | undefined, seen = new Set<object>()): unknown {
  if (value instanceof VaultText) return revealOne(value, file, vault);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value) || value instanceof Date) return value;
  // A container reached again through a YAML alias is the same object: visit it once.
  if (seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revealVaultValues(value[i], file, vault, seen);
  } else {
    const map = value as Record<string, unknown>;
    for (const k of Object.keys(map)) map[k] = revealVaultValues(map[k], file, vault, seen);
  }
  return value;
}

function revealOne(v: VaultText, file: string, vault: Vault | undefined): string {
  const where = { file, loc: v.loc };
  if (!vault) throw missingPasswordError(where);
  const plain = vault.decrypt(v.ciphertext, where);
  vault.remember(plain);
  return plain;
}
