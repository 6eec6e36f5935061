// Finds and reads runbook.cfg, or where there is none an ansible.cfg. The first file found is
// used, and files are not merged:
//   $RUNBOOK_CONFIG, ./runbook.cfg, $ANSIBLE_CONFIG, ./ansible.cfg, ~/.runbook.cfg, ~/.ansible.cfg.
// A project's file beats a personal one, and at each level runbook's own file beats Ansible's.
// /etc/ansible/ansible.cfg is not read: it belongs to the machine's Ansible install, and would
// change every runbook run on that machine. Relative paths in a file are relative to the file.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { readAnsibleCfg } from './ansible-cfg.js';
import { parseIni, type IniEntry } from './ini.js';
import { applySetting, type RunbookConfig, type SettingKey } from './settings.js';

export type { RunbookConfig } from './settings.js';

export const CONFIG_KEYS = [
  'inventory', 'forks', 'roles_path', 'library', 'known_hosts_file', 'host_key_checking', 'vault_password_file', 'remote_user', 'private_key_file', 'timeout',
  'template_dialect',
] as const;

export interface FoundConfig {
  file: string;
  kind: 'runbook' | 'ansible';
}

function fromEnv(cwd: string, name: 'RUNBOOK_CONFIG' | 'ANSIBLE_CONFIG', value: string): string {
  const path = resolve(cwd, value);
  // ANSIBLE_CONFIG may name a directory holding ansible.cfg, as Ansible allows.
  if (name === 'ANSIBLE_CONFIG' && existsSync(path) && statSync(path).isDirectory()) return fromEnv(cwd, name, join(path, 'ansible.cfg'));
  if (!existsSync(path)) throw new InputError(`${name} names a file that does not exist: ${path}`, undefined, `fix or unset ${name}`);
  return path;
}

export function findConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): FoundConfig | undefined {
  const home = env.HOME || homedir();
  if (env.RUNBOOK_CONFIG) return { file: fromEnv(cwd, 'RUNBOOK_CONFIG', env.RUNBOOK_CONFIG), kind: 'runbook' };
  const local = join(cwd, 'runbook.cfg');
  if (existsSync(local)) return { file: local, kind: 'runbook' };
  if (env.ANSIBLE_CONFIG) return { file: fromEnv(cwd, 'ANSIBLE_CONFIG', env.ANSIBLE_CONFIG), kind: 'ansible' };
  const candidates: Array<[string, FoundConfig['kind']]> = [[join(cwd, 'ansible.cfg'), 'ansible'], [join(home, '.runbook.cfg'), 'runbook'], [join(home, '.ansible.cfg'), 'ansible']];
  const hit = candidates.find(([file]) => existsSync(file));
  return hit && { file: hit[0], kind: hit[1] };
}

export function findConfigFile(cwd: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findConfig(cwd, env)?.file;
}

export function loadConfig(cwd: string, env: NodeJS.ProcessEnv = process.env): RunbookConfig {
  const found = findConfig(cwd, env);
  if (!found) return {};
  const { file } = found;
  const text = readFileSync(file, 'utf8');
  if (found.kind === 'ansible') return readAnsibleCfg(text, file, env);
  const sections = parseIni(text, file);
  const config: RunbookConfig = { file };
  for (const [name, section] of sections) {
    if (name !== 'defaults') throw new InputError(`unknown section [${name}]`, section.loc, didYouMean(name, ['defaults']) ?? 'runbook.cfg has one section, [defaults]');
  }
  const entries = sections.get('defaults')?.entries ?? new Map<string, IniEntry>();
  const keys: readonly string[] = CONFIG_KEYS;
  for (const [key, e] of entries) {
    if (!keys.includes(key)) throw new InputError(`unknown setting '${key}'`, e.loc, didYouMean(key, keys) ?? `runbook.cfg settings: ${keys.join(', ')}`);
    // template_dialect is read where templates are rendered (template/dialect.ts), per project; checked there.
    if (key !== 'template_dialect') applySetting(config, key as SettingKey, e, file, env);
  }
  return config;
}
