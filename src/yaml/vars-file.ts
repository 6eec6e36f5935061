// Loads a variables file (vars_files, group_vars, host_vars, role defaults, -e @file).
// readVarsText is the single place where encrypted (vault) files are decrypted.
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { openVarsText, revealVaultValues, type Vault } from '../vault/vault.js';
import { describeValue, isMapping } from './expect.js';
import { locOf, parseYaml, readText } from './load.js';

/**
 * The text of a vars file as YAML, decrypted when it is a vault file. Without a `vault`
 * (no password set up) an encrypted file is an InputError saying how to give one.
 */
export function readVarsText(path: string, from?: SourceLoc, vault?: Vault): string {
  return openVarsText(readText(path, from), path, vault).text;
}

/** A mapping of variables; an empty file is {}. `from` is where the file was referenced. */
export function loadVarsFile(path: string, from?: SourceLoc, vault?: Vault): Vars {
  const opened = openVarsText(readText(path, from), path, vault);
  const value = parseYaml(opened.text, path);
  if (value === null) return {};
  if (!isMapping(value)) {
    throw new InputError(`a vars file must be a mapping of names to values, found ${describeValue(value)}`, (typeof value === 'object' ? locOf(value) : undefined) ?? { file: path, line: 1, col: 1 });
  }
  // Inline `!vault` values become their plaintext; every value of an encrypted file is a secret.
  revealVaultValues(value, path, vault);
  if (opened.encrypted) vault?.remember(value);
  return value;
}
