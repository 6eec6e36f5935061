// The shape of a lab as callers see it: host specs in, a Lab (inventory, keys, addresses) out.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import { DEPLOY_PASSWORD_FILE, KEY_FILE } from './keys.js';
import { MAX_HOSTS } from './names.js';
import type { Log } from './root.js';
import type { LabState } from './state.js';

export type LabHostSpec = { name: string; groups: string[] };

export type LabOptions = {
  /** 1-8 lowercase letters/digits; names the bridge, veths and netns. Default "lab". */
  name?: string;
  /** Where inventory.yml, known_hosts, the key pair and state.json go. */
  dir: string;
  /** Host names and groups, or a count (host1..hostN). Default: the seed job's redis1, web1, web2. */
  hosts?: LabHostSpec[] | number;
  /** A private /24. Default 10.77.0.0/24; two labs up at once need different subnets. */
  subnet?: string;
  /** Progress lines for people (root build, boots). */
  log?: Log;
  /** Packages (from the lab repo) installed in the hosts' root, e.g. python3 and python3-apt for Ansible; a root variant of its own. */
  extraPackages?: string[];
};

export type LabHost = { name: string; groups: string[]; address: string; pid: number };

export type Lab = {
  name: string;
  dir: string;
  subnet: string;
  inventoryFile: string;
  knownHostsFile: string;
  keyFile: string;
  /** The sudo password of user `deploy` (same authorized key as root). */
  deployPasswordFile: string;
  /** secrets.yml (redis_password) for the seed job's default shape; undefined otherwise. */
  secretsFile?: string;
  hosts: LabHost[];
};

/** The seed job's shape: one Redis host, two web hosts. */
export const DEFAULT_HOSTS: readonly LabHostSpec[] = [
  { name: 'redis1', groups: ['redis'] },
  { name: 'web1', groups: ['web'] },
  { name: 'web2', groups: ['web'] },
];

/** The seed job's shape scaled out: redis1 and `webCount` web hosts (rollouts and benchmarks need more). */
export function seedHosts(webCount: number): LabHostSpec[] {
  if (!Number.isInteger(webCount) || webCount < 1 || webCount >= MAX_HOSTS) {
    throw new InputError(`a lab has 1 to ${MAX_HOSTS - 1} web hosts, not ${webCount}`);
  }
  return [{ name: 'redis1', groups: ['redis'] }, ...Array.from({ length: webCount }, (_, i) => ({ name: `web${i + 1}`, groups: ['web'] }))];
}

export const INVENTORY_FILE = 'inventory.yml';
export const KNOWN_HOSTS_FILE = 'known_hosts';
// Beside the inventory in group_vars/all/, so the seed job finds the password with no -e flag.
export const SECRETS_FILE = 'group_vars/all/secrets.yml';

/** A lab shaped like the seed job (a redis group and a web group) also gets secrets.yml. */
export function isSeedShape(specs: readonly LabHostSpec[]): boolean {
  return specs.some((s) => s.groups.includes('redis')) && specs.some((s) => s.groups.includes('web'));
}

export function normalizeHosts(hosts: LabOptions['hosts']): LabHostSpec[] {
  if (hosts === undefined) return DEFAULT_HOSTS.map((h) => ({ name: h.name, groups: [...h.groups] }));
  if (typeof hosts === 'number') {
    if (!Number.isInteger(hosts) || hosts < 1 || hosts > MAX_HOSTS) {
      throw new InputError(`a lab has 1 to ${MAX_HOSTS} hosts, not ${hosts}`);
    }
    return Array.from({ length: hosts }, (_, i) => ({ name: `host${i + 1}`, groups: [] }));
  }
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h.name)) throw new InputError(`lab host "${h.name}" is listed twice`);
    seen.add(h.name);
  }
  if (hosts.length === 0) throw new InputError('a lab needs at least one host');
  return hosts.map((h) => ({ name: h.name, groups: [...h.groups] }));
}

/** The Lab callers get, from the recorded state. */
export function toLab(state: LabState, secretsFile?: string): Lab {
  const secrets = join(state.dir, SECRETS_FILE);
  return {
    name: state.name,
    dir: state.dir,
    subnet: state.subnet,
    inventoryFile: join(state.dir, INVENTORY_FILE),
    knownHostsFile: join(state.dir, KNOWN_HOSTS_FILE),
    keyFile: join(state.dir, KEY_FILE),
    deployPasswordFile: join(state.dir, DEPLOY_PASSWORD_FILE),
    secretsFile: secretsFile ?? (existsSync(secrets) ? secrets : undefined),
    hosts: state.hosts.map((h) => ({ name: h.name, groups: h.groups, address: h.address, pid: h.pid ?? 0 })),
  };
}
