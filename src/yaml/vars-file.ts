// Loads a variables file (vars_files, group_vars, host_vars, role defaults, -e @file).
// readVarsText is the single place where encrypted (vault) files will be decrypted.
import { InputError } from '../core/errors.js';
import type { SourceLoc, Vars } from '../core/types.js';
import { describeValue, isMapping } from './expect.js';
import { locOf, parseYaml, readText } from './load.js';

/** The text of a vars file as YAML; the vault layer hooks in here to decrypt vault files. */
export function readVarsText(path: string, from?: SourceLoc): string {
  return readText(path, from);
}

/** A mapping of variables; an empty file is {}. `from` is where the file was referenced. */
export function loadVarsFile(path: string, from?: SourceLoc): Vars {
  const value = parseYaml(readVarsText(path, from), path);
  if (value === null) return {};
  if (!isMapping(value)) {
    throw new InputError(`a vars file must be a mapping of names to values, found ${describeValue(value)}`, (typeof value === 'object' ? locOf(value) : undefined) ?? { file: path, line: 1, col: 1 });
  }
  return value;
}
