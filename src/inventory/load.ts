// Loads an inventory file (YAML or INI, told apart by content; an executable script is run) or a directory of them, plus
// group_vars/ and host_vars/ beside it and beside the playbook.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { describeValue, isMapping } from '../yaml/expect.js';
import { parseYaml } from '../yaml/load.js';
import { locOf } from '../yaml/locs.js';
import { readVarsText } from '../yaml/vars-file.js';
import { revealVaultValues, type Vault } from '../vault/vault.js';
import { InventoryBuilder } from './builder.js';
import { readIniInventory } from './ini-format.js';
import { isInventoryScript, readScriptInventory } from './script-format.js';
import { LoadedInventory } from './inventory.js';
import type { Inventory } from './types.js';
import type { InventorySource } from './sources.js';
import { loadVarsDirs } from './vars-dirs.js';
import { readYamlInventory } from './yaml-format.js';

export interface LoadInventoryOptions {
  /** group_vars/ and host_vars/ here override those beside the inventory, as in Ansible. */
  playbookDir?: string;
  /** Decrypts vault-encrypted inventory and vars files and inline !vault values. */
  vault?: Vault;
}

/** Files in an inventory directory that are not inventories (Ansible's ignore list, minus .ini). */
const IGNORED = /(~|\.orig|\.bak|\.cfg|\.retry|\.pyc|\.pyo|\.md|\.swp)$/;

/**
 * Loads one inventory from `sources` (a path, or what inventorySources read from -i values), merged in
 * order as Ansible merges several -i: later files add hosts, groups and variables to earlier ones.
 */
export function loadInventory(sources: string | readonly InventorySource[], opts: LoadInventoryOptions = {}): Inventory {
  const list: readonly InventorySource[] = typeof sources === 'string' ? [{ kind: 'path', path: sources }] : sources;
  if (list.length === 0) throw new InputError('no inventory given', undefined, 'pass -i with a file, a directory or host names (web1,web2,)');
  const builder = new InventoryBuilder();
  const baseDirs: string[] = [];
  for (const source of list) {
    if (source.kind === 'hosts') {
      const loc = { file: '-i', line: 1, col: 1 };
      for (const name of source.names) builder.addHost('ungrouped', name, {}, loc);
      continue;
    }
    const { path } = source;
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new InputError(`inventory not found: ${path}`, undefined, 'pass an existing file or directory with -i, or set `inventory =` in runbook.cfg');
    }
    for (const f of isDir ? inventoryFilesIn(path) : [path]) readInventoryFile(f, builder, opts.vault);
    const base = isDir ? path : dirname(path);
    if (!baseDirs.includes(resolve(base))) baseDirs.push(resolve(base));
  }
  const data = builder.finish();
  const groups = [...data.groups.keys()];
  const hosts = [...data.hosts.keys(), 'localhost'];
  // group_vars/ and host_vars/ beside each inventory source, in order, then beside the playbook.
  const layers = baseDirs.map((dir) => loadVarsDirs(dir, groups, hosts, opts.vault));
  if (opts.playbookDir && !baseDirs.includes(resolve(opts.playbookDir))) layers.push(loadVarsDirs(opts.playbookDir, groups, hosts, opts.vault));
  const first = list[0]!;
  return new LoadedInventory(first.kind === 'path' ? first.path : first.text, data, layers);
}

function inventoryFilesIn(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .filter((f) => !f.startsWith('.') && !IGNORED.test(f))
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile());
}

/** Reads one inventory file into the builder. */
export function readInventoryFile(file: string, builder: InventoryBuilder, vault?: Vault): void {
  if (isInventoryScript(file)) return readScriptInventory(file, builder);
  const text = readVarsText(file, undefined, vault);
  const format = detectFormat(text);
  if (format === 'ini') return readIniInventory(text, file, builder);
  if (format === 'empty') return;
  const data = revealVaultValues(parseYaml(text, file), file, vault);
  if (data === null) return;
  if (!isMapping(data)) {
    const loc = (typeof data === 'object' ? locOf(data) : undefined) ?? { file, line: 1, col: 1 };
    throw new InputError(`a YAML inventory must be a mapping of group names (usually just all:), found ${describeValue(data)}`, loc);
  }
  readYamlInventory(data, file, builder);
}

/** INI when the first meaningful line is a [section] or not a `key:` line; YAML otherwise. */
export function detectFormat(text: string): 'yaml' | 'ini' | 'empty' {
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';') || line === '---') continue;
    if (/^\[[^\]]*\]\s*(?:[#;].*)?$/.test(line)) return 'ini';
    if (line.startsWith('{') || line === '-' || line.startsWith('- ') || /^("[^"]*"|'[^']*'|[^\s=#'"]+)\s*:(\s|$)/.test(line)) return 'yaml';
    return 'ini';
  }
  return 'empty';
}
