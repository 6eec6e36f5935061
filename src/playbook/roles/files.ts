// Reads what a role folder holds: defaults, vars, meta (dependencies, allow_duplicates),
// argument specs, and where its task and handler files are.
import type { SourceLoc, Vars } from '../../core/types.js';
import { expectList, expectMapping } from '../../yaml/expect.js';
import { loadYamlFile } from '../../yaml/load.js';
import { locAt } from '../../yaml/locs.js';
import { loadVarsFile } from '../../yaml/vars-file.js';
import type { Vault } from '../../vault/vault.js';
import type { ArgumentSpec } from '../types.js';
import { toBool } from '../values.js';
import { parseArgumentSpecs } from './argument-specs.js';
import { roleFile } from './find.js';

export interface RoleFiles {
  dir: string;
  defaults: Vars;
  vars: Vars;
  argumentSpecs: Record<string, ArgumentSpec>;
  /** meta/main.yml `dependencies`, each with where it is written. */
  dependencies: { entry: unknown; loc: SourceLoc }[];
  allowDuplicates: boolean;
  tasksFile?: string;
  handlersFile?: string;
}

export function readRoleFiles(dir: string, vault?: Vault): RoleFiles {
  const load = (sub: string): Vars => {
    const f = roleFile(dir, sub);
    return f ? loadVarsFile(f, undefined, vault) : {};
  };
  const files: RoleFiles = { dir, defaults: load('defaults'), vars: load('vars'), argumentSpecs: {}, dependencies: [], allowDuplicates: false };
  const tasks = roleFile(dir, 'tasks');
  const handlers = roleFile(dir, 'handlers');
  if (tasks) files.tasksFile = tasks;
  if (handlers) files.handlersFile = handlers;

  const metaFile = roleFile(dir, 'meta');
  const metaDoc = metaFile ? loadYamlFile(metaFile) : null;
  if (metaFile && metaDoc !== null) {
    const top: SourceLoc = { file: metaFile, line: 1, col: 1 };
    const meta = expectMapping(metaDoc, 'meta/main.yml', top);
    if (meta.dependencies !== undefined && meta.dependencies !== null) {
      const deps = expectList(meta.dependencies, 'dependencies', locAt(meta, 'dependencies', top));
      files.dependencies = deps.map((entry, i) => ({ entry, loc: locAt(deps, i, top) }));
    }
    if (meta.allow_duplicates !== undefined) files.allowDuplicates = toBool(meta.allow_duplicates, 'allow_duplicates', locAt(meta, 'allow_duplicates', top));
    if (meta.argument_specs !== undefined) files.argumentSpecs = parseArgumentSpecs(meta, metaFile);
  }
  // meta/argument_specs.yml wins over argument_specs inside meta/main.yml, as in Ansible.
  const specsFile = roleFile(dir, 'meta', 'argument_specs');
  if (specsFile) files.argumentSpecs = parseArgumentSpecs(loadYamlFile(specsFile), specsFile);
  return files;
}

/** tasks_from / handlers_from: `setup` or `setup.yml` under the role's folder. */
export function roleTaskFile(dir: string, sub: string, name: string): string | undefined {
  return roleFile(dir, sub, name.replace(/\.(ya?ml|json)$/, ''));
}
