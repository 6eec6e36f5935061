// The settings model shared by runbook.cfg and ansible.cfg: one key's value, checked and put
// into a RunbookConfig. Both files map onto these fields, so there is one set of settings.
import type { SourceLoc } from '../core/types.js';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { toBecomeMethod } from '../playbook/keywords.js';
import { yaml11Boolean } from '../yaml/scalars.js';
import type { IniEntry } from './ini.js';

export interface RunbookConfig {
  /** The file the settings came from; undefined when none was found. */
  file?: string;
  inventory?: string;
  forks?: number;
  rolesPath?: string[];
  /** Folders of custom modules (Ansible's library setting), searched after a role's and the playbook's library/. */
  library?: string[];
  knownHostsFile?: string;
  hostKeyChecking?: boolean;
  vaultPasswordFile?: string;
  remoteUser?: string;
  privateKeyFile?: string;
  /** SSH connect timeout, in seconds. */
  timeout?: number;
  /** ansible.cfg's [privilege_escalation]: defaults under -b, --become-user and -K. */
  become?: boolean;
  becomeUser?: string;
  becomeAskPass?: boolean;
  /** [privilege_escalation] become_method (sudo or su) and become_flags: defaults under the keywords and ansible_become_*. */
  becomeMethod?: 'sudo' | 'su';
  becomeFlags?: string;
  /** ansible.cfg only: keys read but not used, each "file:line:col: why" (printed as warnings). */
  warnings?: string[];
  /** The same notices with their place kept apart, for `runbook compat`. */
  notices?: { loc: SourceLoc; message: string }[];
}

export type SettingKey =
  | 'inventory' | 'forks' | 'timeout' | 'roles_path' | 'library' | 'known_hosts_file' | 'vault_password_file'
  | 'private_key_file' | 'host_key_checking' | 'remote_user' | 'become' | 'become_user' | 'become_ask_pass' | 'become_method' | 'become_flags';

/** Sets `key` from `e` in `config`; relative paths are relative to `file`, `~` to HOME. */
export function applySetting(config: RunbookConfig, key: SettingKey, e: IniEntry, file: string, env: NodeJS.ProcessEnv): void {
  const home = env.HOME || homedir();
  const path = (value: string): string => {
    if (value === '') throw new InputError('expected a path, found nothing', e.valueLoc);
    const p = value === '~' || value.startsWith('~/') ? join(home, value.slice(1)) : value;
    return isAbsolute(p) ? p : resolve(dirname(file), p);
  };
  switch (key) {
    // Ansible's inventory setting is a path list: comma-separated, each relative to the file.
    case 'inventory': config.inventory = e.value.split(',').map((v) => v.trim()).filter((v) => v !== '').map(path).join(','); break;
    case 'forks': config.forks = positiveInt(e, key); break;
    case 'timeout': config.timeout = positiveInt(e, key); break;
    case 'roles_path': config.rolesPath = e.value.split(':').filter(Boolean).map(path); break;
    case 'library': config.library = e.value.split(':').filter(Boolean).map(path); break;
    case 'known_hosts_file': config.knownHostsFile = path(e.value); break;
    case 'vault_password_file': config.vaultPasswordFile = path(e.value); break;
    case 'private_key_file': config.privateKeyFile = path(e.value); break;
    case 'host_key_checking': config.hostKeyChecking = bool(e, key); break;
    case 'become': config.become = bool(e, key); break;
    case 'become_ask_pass': config.becomeAskPass = bool(e, key); break;
    case 'become_method': config.becomeMethod = toBecomeMethod(e.value, e.valueLoc); break;
    case 'become_flags': config.becomeFlags = e.value; break;
    case 'remote_user':
    case 'become_user':
      if (e.value === '') throw new InputError(`${key} is empty`, e.valueLoc);
      if (key === 'remote_user') config.remoteUser = e.value;
      else config.becomeUser = e.value;
      break;
  }
}

function positiveInt(e: IniEntry, key: string): number {
  if (!/^[0-9]+$/.test(e.value) || Number(e.value) < 1) throw new InputError(`${key} must be a whole number of at least 1, found '${e.value}'`, e.valueLoc);
  return Number(e.value);
}

export function bool(e: IniEntry, key: string): boolean {
  const v = e.value.toLowerCase();
  const b = yaml11Boolean(v) ?? ({ '1': true, '0': false } as Record<string, boolean>)[v];
  if (b === undefined) throw new InputError(`${key} must be yes/no or true/false, found '${e.value}'`, e.valueLoc);
  return b;
}

/**
 * The configured folders of custom modules, as Ansible's DEFAULT_MODULE_PATH: ANSIBLE_LIBRARY over
 * the config file's library, else Ansible's default folders. Relative entries of ANSIBLE_LIBRARY are
 * taken from cwd.
 */
export function libraryPath(config: RunbookConfig, env: NodeJS.ProcessEnv, cwd: string): string[] {
  const home = env.HOME || homedir();
  const expand = (p: string): string => resolve(cwd, p === '~' || p.startsWith('~/') ? join(home, p.slice(1)) : p);
  if (env.ANSIBLE_LIBRARY) return env.ANSIBLE_LIBRARY.split(':').filter(Boolean).map(expand);
  if (config.library) return config.library;
  return [join(home, '.ansible/plugins/modules'), '/usr/share/ansible/plugins/modules'];
}
