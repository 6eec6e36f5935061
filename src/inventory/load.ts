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

export function loadInventory(path: string, opts: LoadInventoryOptions = {}): Inventory {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new InputError(`inventory not found: ${path}`, undefined, 'pass an existing file or directory with -i, or set `inventory =` in runbook.cfg');
  }
  const builder = new InventoryBuilder();
  const files = isDir ? inventoryFilesIn(path) : [path];
  for (const f of files) readInventoryFile(f, builder, opts.vault);
  const data = builder.finish();
  const baseDir = isDir ? path : dirname(path);
  const groups = [...data.groups.keys()];
  const hosts = [...data.hosts.keys(), 'localhost'];
  const layers = [loadVarsDirs(baseDir, groups, hosts, opts.vault)];
  if (opts.playbookDir && resolve(opts.playbookDir) !== resolve(baseDir)) layers.push(loadVarsDirs(opts.playbookDir, groups, hosts, opts.vault));
  return new LoadedInventory(path, data, layers);
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
