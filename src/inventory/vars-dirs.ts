// Loads group_vars/ and host_vars/ beside an inventory or a playbook, with Ansible's file
// naming: NAME, NAME.yml, NAME.yaml, NAME.json, or a folder NAME/ of such files.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Vars } from '../core/types.js';
import { loadVarsFile } from '../yaml/vars-file.js';
import type { Vault } from '../vault/vault.js';

const EXTENSIONS = ['', '.yml', '.yaml', '.json'];

/** Variables from one directory's group_vars/ and host_vars/, by group and host name. */
export interface VarsDirLayer {
  dir: string;
  groups: Map<string, Vars>;
  hosts: Map<string, Vars>;
}

export function loadVarsDirs(dir: string, groups: Iterable<string>, hosts: Iterable<string>, vault?: Vault): VarsDirLayer {
  return {
    dir,
    groups: loadEntities(join(dir, 'group_vars'), groups, vault),
    hosts: loadEntities(join(dir, 'host_vars'), hosts, vault),
  };
}

function loadEntities(base: string, names: Iterable<string>, vault: Vault | undefined): Map<string, Vars> {
  const out = new Map<string, Vars>();
  if (!isDir(base)) return out;
  for (const name of names) {
    const files = varsFilesFor(base, name);
    if (files.length) out.set(name, Object.assign({}, ...files.map((f) => loadVarsFile(f, undefined, vault))));
  }
  return out;
}

/** The files that hold one group's or host's variables, in the order they are merged. */
export function varsFilesFor(base: string, name: string): string[] {
  const path = join(base, name);
  if (isDir(path)) return walk(path);
  return EXTENSIONS.map((ext) => path + ext).filter((p) => existsSync(p) && statSync(p).isFile());
}

/** Every vars file in a folder and its subfolders, sorted by name as Ansible does. */
function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.')) continue;
    const p = join(dir, entry);
    if (isDir(p)) out.push(...walk(p));
    else if (EXTENSIONS.includes(extname(entry))) out.push(p);
  }
  return out;
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
