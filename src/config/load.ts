// Finds and reads runbook.cfg (like ansible.cfg): $RUNBOOK_CONFIG, else ./runbook.cfg, else
// ~/.runbook.cfg. Relative paths in it are relative to the file, so it works from any directory.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { yaml11Boolean } from '../yaml/scalars.js';
import { parseIni, type IniEntry } from './ini.js';

export interface RunbookConfig {
  /** The file the settings came from; undefined when none was found. */
  file?: string;
  inventory?: string;
  forks?: number;
  rolesPath?: string[];
  knownHostsFile?: string;
  hostKeyChecking?: boolean;
  vaultPasswordFile?: string;
  remoteUser?: string;
  privateKeyFile?: string;
  /** SSH connect timeout, in seconds. */
  timeout?: number;
}

export const CONFIG_KEYS = [
  'inventory', 'forks', 'roles_path', 'known_hosts_file', 'host_key_checking', 'vault_password_file', 'remote_user', 'private_key_file', 'timeout',
  'template_dialect',
] as const;

export function findConfigFile(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.RUNBOOK_CONFIG) {
    const path = resolve(cwd, env.RUNBOOK_CONFIG);
    if (!existsSync(path)) throw new InputError(`RUNBOOK_CONFIG names a file that does not exist: ${path}`, undefined, 'fix or unset RUNBOOK_CONFIG');
    return path;
  }
  const local = join(cwd, 'runbook.cfg');
  if (existsSync(local)) return local;
  const home = join(env.HOME || homedir(), '.runbook.cfg');
  return existsSync(home) ? home : undefined;
}

export function loadConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): RunbookConfig {
  const file = findConfigFile(cwd, env);
  if (!file) return {};
  const sections = parseIni(readFileSync(file, 'utf8'), file);
  const config: RunbookConfig = { file };
  for (const [name, section] of sections) {
    if (name !== 'defaults') throw new InputError(`unknown section [${name}]`, section.loc, didYouMean(name, ['defaults']) ?? 'runbook.cfg has one section, [defaults]');
  }
  const entries = sections.get('defaults')?.entries ?? new Map<string, IniEntry>();
  const home = env.HOME || homedir();
  const path = (e: IniEntry): string => {
    if (e.value === '') throw new InputError('expected a path, found nothing', e.valueLoc);
    const p = e.value === '~' || e.value.startsWith('~/') ? join(home, e.value.slice(1)) : e.value;
    return isAbsolute(p) ? p : resolve(dirname(file), p);
  };
  const keys: readonly string[] = CONFIG_KEYS;
  for (const [key, e] of entries) {
    if (!keys.includes(key)) throw new InputError(`unknown setting '${key}'`, e.loc, didYouMean(key, keys) ?? `runbook.cfg settings: ${keys.join(', ')}`);
    switch (key) {
      case 'inventory': config.inventory = path(e); break;
      case 'forks': config.forks = positiveInt(e, 'forks'); break;
      case 'timeout': config.timeout = positiveInt(e, 'timeout'); break;
      case 'roles_path': config.rolesPath = e.value.split(':').filter(Boolean).map((p) => path({ ...e, value: p })); break;
      case 'known_hosts_file': config.knownHostsFile = path(e); break;
      case 'vault_password_file': config.vaultPasswordFile = path(e); break;
      case 'private_key_file': config.privateKeyFile = path(e); break;
      case 'host_key_checking': config.hostKeyChecking = bool(e, 'host_key_checking'); break;
      // Read where templates are rendered (template/dialect.ts), per project; checked there.
      case 'template_dialect': break;
      case 'remote_user':
        if (e.value === '') throw new InputError('remote_user is empty', e.valueLoc);
        config.remoteUser = e.value;
        break;
    }
  }
  return config;
}

function positiveInt(e: IniEntry, key: string): number {
  if (!/^[0-9]+$/.test(e.value) || Number(e.value) < 1) throw new InputError(`${key} must be a whole number of at least 1, found '${e.value}'`, e.valueLoc);
  return Number(e.value);
}

function bool(e: IniEntry, key: string): boolean {
  const v = e.value.toLowerCase();
  const b = yaml11Boolean(v) ?? ({ '1': true, '0': false } as Record<string, boolean>)[v];
  if (b === undefined) throw new InputError(`${key} must be yes/no or true/false, found '${e.value}'`, e.valueLoc);
  return b;
}
