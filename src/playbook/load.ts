// Loads and validates a whole playbook (plays, import_playbook, roles, task files) into typed
// data, so every mistake is found before any host is touched.
import { dirname, isAbsolute, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { getModule, moduleNames } from '../modules/registry.js';
import { describeValue, isMapping } from '../yaml/expect.js';
import { loadYamlFile } from '../yaml/load.js';
import { keyLocAt, locAt, locOf } from '../yaml/locs.js';
import { revealVaultValues, type Vault } from '../vault/vault.js';
import type { LoaderEnv, ModuleInfo, ModuleLookup } from './context.js';
import { bareKeyword } from './keywords.js';
import { parsePlay } from './play.js';
import type { Play, Playbook } from './types.js';

export type { ModuleInfo, ModuleLookup };

export interface LoadPlaybookOptions {
  /** Extra folders searched for roles after the playbook's own (--roles-path, then runbook.cfg). */
  rolesPath?: string[];
  /** Module lookup; defaults to the module registry. */
  modules?: ModuleLookup;
  /** Names offered as did-you-mean for an unknown module; defaults to the registry's when `modules` is not given. */
  moduleNames?: readonly string[];
  /** Folders of custom modules from the configuration (ansible.cfg's library, ANSIBLE_LIBRARY). */
  library?: string[];
  /** Decrypts vault files and inline !vault values met while loading. */
  vault?: Vault;
  /**
   * --syntax-check: also read every file a dynamic include can name, and report what is wrong in
   * them here instead of failing the load (the run may never reach them).
   */
  warn?: (problem: InputError, includedAt: SourceLoc) => void;
  /** --syntax-check: problems that keep nothing from loading (LoaderEnv.notice). */
  notice?: (problem: InputError) => void;
}

export function loadPlaybook(file: string, opts: LoadPlaybookOptions = {}): Playbook {
  const modules = opts.modules ?? getModule;
  const names = opts.moduleNames ?? (opts.modules ? [] : moduleNames());
  const env = (f: string): LoaderEnv => ({ playbookFile: f, playbookDir: dirname(resolve(f)), rolesPath: opts.rolesPath ?? [], modules, moduleNames: names, ...(opts.library ? { library: opts.library } : {}), ...(opts.vault ? { vault: opts.vault } : {}), ...(opts.warn ? { warn: opts.warn } : {}), ...(opts.notice ? { notice: opts.notice } : {}) });
  return { file, dir: dirname(resolve(file)), plays: readPlays(file, env, [resolve(file)]) };
}

function readPlays(file: string, env: (f: string) => LoaderEnv, stack: string[], from?: SourceLoc): Play[] {
  const data = revealVaultValues(loadYamlFile(file, from), file, env(file).vault);
  const top: SourceLoc = { file, line: 1, col: 1 };
  if (data === null) throw new InputError('the playbook is empty', top, 'a playbook is a list of plays: "- hosts: all\\n  tasks: ..."');
  if (!Array.isArray(data)) {
    const loc = (typeof data === 'object' && data ? locOf(data) : undefined) ?? top;
    const hint = isMapping(data) && 'hosts' in data ? 'start the play with "- " to make it a list of plays' : 'a playbook is a list of plays: "- hosts: all\\n  tasks: ..."';
    throw new InputError(`a playbook must be a list of plays, found ${describeValue(data)}`, loc, hint);
  }
  return data.flatMap((entry, i) => {
    const loc = locAt(data, i, top);
    const importKey = isMapping(entry) ? Object.keys(entry).find((k) => bareKeyword(k) === 'import_playbook') : undefined;
    if (importKey === undefined || !isMapping(entry)) return [parsePlay(entry, loc, env(file))];
    for (const k of Object.keys(entry)) {
      if (k !== importKey && k !== 'name') throw new InputError(`'${k}' is not supported beside import_playbook`, keyLocAt(entry, k, loc), 'only name: may go with import_playbook');
    }
    const target = entry[importKey];
    const where = locAt(entry, importKey, loc);
    if (typeof target !== 'string' || target === '' || target.includes('{{')) {
      throw new InputError(`import_playbook needs a literal file name, found ${describeValue(target)}`, where);
    }
    const path = isAbsolute(target) ? target : resolve(dirname(resolve(file)), target);
    if (stack.includes(path)) throw new InputError(`import_playbook loop: ${[...stack, path].join(' -> ')}`, where);
    return readPlays(path, env, [...stack, path], where);
  });
}
