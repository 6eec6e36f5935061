// Looks modules up by the names users write: `copy`, `ansible.builtin.copy`, `community.general.ufw`.
import { flowModules } from './flow.js';
import { genericModules } from './generic.js';
import { metaModule } from './meta.js';
import { serviceModules } from './services.js';
import { systemModules } from './system.js';
import type { Module } from './types.js';

const byName = new Map<string, Module>();
for (const m of [metaModule, ...genericModules, ...flowModules, ...systemModules, ...serviceModules]) byName.set(m.name, m);

/** Aliases Ansible users write for the same module. */
const aliases: Record<string, string> = { uri: 'uri', setup: 'setup', systemd_service: 'systemd' };

/** Collections whose names runbook accepts in front of a module name; the longer prefix first, so community.general.system.ufw is ufw. */
export const COLLECTIONS = ['ansible.builtin', 'ansible.legacy', 'community.general.system', 'community.general', 'ansible.posix'] as const;

const collectionPrefix = new RegExp(`^(${COLLECTIONS.map((c) => c.replace(/\./g, '\\.')).join('|')})\\.`);

export function canonicalModuleName(name: string): string {
  const bare = name.replace(collectionPrefix, '');
  return aliases[bare] ?? bare;
}

export function getModule(name: string): Module | undefined {
  return byName.get(canonicalModuleName(name));
}

export function moduleNames(): string[] {
  return [...byName.keys()].sort();
}

/** Other names users write for a module (systemd_service for systemd), by alias. */
export function moduleAliases(): Readonly<Record<string, string>> {
  return aliases;
}
