// What the playbook parsers carry down while reading: where we are (file, role), what a task
// inherits (tags), and the per-play record of roles already expanded.
import type { SourceLoc } from '../core/types.js';
import type { InputError } from '../core/errors.js';
import type { Vault } from '../vault/vault.js';
import type { ModuleDefaults } from './module-defaults.js';
import type { Role, Task } from './types.js';

/** What the loader needs to know about a module: enough to validate a task before anything runs. */
export interface ModuleInfo {
  name: string;
  argNames: readonly string[];
  freeForm?: string;
  /** Arguments an older Ansible took: refused with this hint. */
  formerArgs?: Readonly<Record<string, string>>;
  /** A custom module: the file in a library/ folder that the task runs (playbook/library.ts). */
  library?: string;
}

export type ModuleLookup = (name: string) => ModuleInfo | undefined;

export interface LoaderEnv {
  playbookFile: string;
  playbookDir: string;
  rolesPath: readonly string[];
  modules: ModuleLookup;
  /** For did-you-mean on an unknown module. */
  moduleNames: readonly string[];
  /** Configured folders of custom modules (ansible.cfg's library, ANSIBLE_LIBRARY), searched after the role's and the playbook's library/. */
  library?: readonly string[];
  /** Decrypts vault files and inline !vault values; absent = no password set up (encrypted input is an error). */
  vault?: Vault;
  /**
   * Set by --syntax-check and `runbook compat`: the files dynamic includes can name are read too,
   * and what is wrong in them is reported here (the run may never reach them), not thrown.
   */
  warn?: (problem: InputError, includedAt: SourceLoc) => void;
  /**
   * `runbook compat`: a task entry that does not load is reported here and left out, so one file
   * yields every problem in it, not only the first.
   */
  collect?: (problem: InputError, entry: unknown) => void;
  /**
   * --syntax-check and `runbook compat`: a problem that keeps nothing from loading but may fail a
   * host when it runs (a templated vars_files name no file can match). Without it, nothing is said.
   */
  notice?: (problem: InputError) => void;
  /** `runbook compat` reads each file on its own: imports and roles are found, not read. */
  shallow?: boolean;
}

/** Roles expanded so far in one play: Ansible runs a role once per play unless its parameters differ. */
export interface PlayRoles {
  roles: Role[];
  byKey: Map<string, Role>;
  handlers: Task[];
  /** Role folders whose handlers were added: a role used with different parameters gets its handlers once. */
  handlerDirs: Set<string>;
  /** library/ folders of the roles the play uses: their custom modules are the play's too, as in Ansible. */
  libraryDirs: string[];
}

export interface TaskContext {
  env: LoaderEnv;
  /** The file being read: import_tasks paths are relative to it. */
  file: string;
  role?: Role;
  /** Tags of the enclosing play, role, block and import, inherited by every task. */
  tags: string[];
  /** Reading handlers: `listen` is allowed, blocks are not. */
  handlers: boolean;
  /** Task files being imported, to refuse an import loop. */
  importStack: string[];
  /** Role names being expanded (for meta dependency and import_role loops). */
  roleStack: { name: string; loc: SourceLoc }[];
  play: PlayRoles;
  /** module_defaults of the enclosing play and blocks, merged (module-defaults.ts). */
  moduleDefaults?: ModuleDefaults;
}

export function newPlayRoles(): PlayRoles {
  return { roles: [], byKey: new Map(), handlers: [], handlerDirs: new Set(), libraryDirs: [] };
}
