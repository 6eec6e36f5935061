// Writes what users and tests point runbook (or Ansible) at: the inventory, known_hosts and secrets of a lab.
import { readFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { writeFresh } from './files.js';
import { randomString } from './keys.js';

export type InventoryHost = { name: string; groups: readonly string[]; address: string };

/** An Ansible YAML inventory: every host under all.hosts with its address, groups listing names only. */
export function inventoryYaml(hosts: readonly InventoryHost[], keyFile: string, knownHostsFile: string): string {
  const children: Record<string, { hosts: Record<string, null> }> = {};
  for (const h of hosts) {
    for (const g of h.groups) (children[g] ??= { hosts: {} }).hosts[h.name] = null;
  }
  const all: Record<string, unknown> = {
    vars: { ansible_user: 'root', ansible_ssh_private_key_file: keyFile, ssh_known_hosts_file: knownHostsFile },
    hosts: Object.fromEntries(hosts.map((h) => [h.name, { ansible_host: h.address }])),
  };
  if (Object.keys(children).length > 0) all.children = children;
  return `# Written by \`runbook lab up\`: throwaway lab hosts. \`runbook lab down\` removes them.\n${stringify({ all })}`;
}

/** The characters a real password holds and a careless template mangles. */
export const AWKWARD_CHARS = '&=+!@%';
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** Writes secrets.yml with a random 24-char redis_password holding `& = + ! @ %`, unless one is there already. */
export async function ensureSecrets(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined) return file;
  const password = randomString(PASSWORD_ALPHABET, 24, AWKWARD_CHARS);
  const body = stringify({ redis_password: password });
  await writeFresh(file, `# Written by \`runbook lab up\` for the seed job; loaded as group_vars of the lab inventory\n${body}`, { mode: 0o600 });
  return file;
}
