// What `-i` and ansible.cfg's `inventory =` name, as Ansible reads them: each value a file or
// directory, a comma-separated list of them, or a comma-separated list of host names
// (`-i web1,web2,`, Ansible's host_list plugin), and several -i combine into one inventory.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../core/errors.js';

export type InventorySource = { kind: 'path'; path: string } | { kind: 'hosts'; names: string[]; text: string };

/** Reads each -i value (relative to `cwd`) into the sources it names, in order. */
export function inventorySources(values: string | readonly string[], cwd: string): InventorySource[] {
  return (typeof values === 'string' ? [values] : values).flatMap((v) => sourcesOf(v, cwd));
}

function sourcesOf(value: string, cwd: string): InventorySource[] {
  // A path that exists wins, even with a comma in its name.
  if (!value.includes(',') || existsSync(resolve(cwd, value))) return [{ kind: 'path', path: resolve(cwd, value) }];
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const found = items.filter((i) => existsSync(resolve(cwd, i)));
  if (found.length === items.length) return items.map((i) => ({ kind: 'path', path: resolve(cwd, i) }));
  if (found.length === 0) {
    const bad = items.find((i) => !/^[A-Za-z0-9_.:[\]-]+$/.test(i));
    if (bad !== undefined) throw new InputError(`inventory '${value}': '${bad}' is neither an existing file nor a host name`, undefined, 'pass files or directories that exist, or host names separated by commas (web1,web2,)');
    return [{ kind: 'hosts', names: items, text: value }];
  }
  const missing = items.filter((i) => !found.includes(i));
  throw new InputError(
    `inventory '${value}' mixes existing files with names that are not files: ${missing.join(', ')}`,
    undefined,
    'give only inventory files and directories (comma-separated or with several -i), or only host names',
  );
}
