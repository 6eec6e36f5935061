// apt's spec and arguments with Ansible's names, parsed once at load time so a bad package name fails before any connection.
import type { SourceLoc } from '../../core/types.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec } from '../spec.js';

export type AptState = 'present' | 'absent' | 'latest';

export interface AptPackage {
  /** Name as dpkg and apt know it, arch qualifier included (`libc6:i386`). */
  name: string;
  /** `name=version` pin; may end in `*` (matched against the versions apt knows). */
  version?: string;
}

export interface AptArgs {
  packages: AptPackage[];
  state: AptState;
  updateCache: boolean;
  /** Seconds; 0 means "no limit given" (update_cache then always updates). */
  cacheValidTime: number;
  installRecommends?: boolean;
  purge: boolean;
  /** Seconds to wait for the dpkg/apt locks before failing. */
  lockTimeout: number;
  /** `-t RELEASE`: the target release candidates come from (backports, say). */
  defaultRelease?: string;
  /** The exit code of a temporary /usr/sbin/policy-rc.d while apt-get runs (101: services are not started). */
  policyRcD?: number;
}

export const DEFAULT_LOCK_TIMEOUT = 300;

export const aptSpec = defineSpec({
  description: "Installs, upgrades or removes Debian packages in one apt-get call, planning from dpkg's status.",
  args: {
    name: { type: 'list', aliases: ['pkg', 'package'], description: 'Package name(s): a list, or a comma-separated string; name=version pins a version.' },
    state: {
      type: 'str',
      choices: ['present', 'installed', 'absent', 'removed', 'latest'],
      default: 'present',
      description: 'present (installed), absent (removed), or latest (upgrade to the newest candidate).',
    },
    update_cache: {
      type: 'bool',
      aliases: ['update-cache'],
      defaultText: 'true when cache_valid_time is given',
      description: 'Run apt-get update first (only when the lists are older than cache_valid_time, if given).',
    },
    cache_valid_time: { type: 'int', default: 0, description: 'Seconds the package lists stay fresh; older lists are updated first.' },
    install_recommends: { type: 'bool', aliases: ['install-recommends'], defaultText: "apt's configuration", description: 'Install recommended packages too.' },
    purge: { type: 'bool', default: false, description: 'With state: absent, remove configuration files too.' },
    lock_timeout: { type: 'int', default: DEFAULT_LOCK_TIMEOUT, min: 1, description: 'Seconds to wait for the dpkg/apt lock held by another program before failing.' },
    default_release: {
      type: 'str',
      aliases: ['default-release'],
      description: "The release candidates are taken from (apt-get -t), e.g. bookworm-backports; the probe reads apt's candidates with the same target release.",
    },
    policy_rc_d: {
      type: 'int',
      description: 'While apt-get runs, /usr/sbin/policy-rc.d exits with this code (101 keeps packages from starting their services). An existing policy-rc.d is put back afterwards.',
    },
  },
  examples: `- name: Install Redis
  apt:
    name: redis-server
    state: present
    update_cache: yes
    cache_valid_time: 3600

- name: Remove old packages
  apt:
    name: [php7.4-fpm, php7.4-redis]
    state: absent
    purge: yes`,
  returns: {
    packages: 'Each package named, with its state before and after.',
    installed: 'Packages installed.',
    upgraded: 'Packages upgraded.',
    removed: 'Packages removed or purged.',
    cache_updated: 'Whether apt-get update ran.',
  },
});

const stateAliases: Record<string, AptState> = { present: 'present', installed: 'present', absent: 'absent', removed: 'absent', latest: 'latest' };
const NAME = /^([a-z0-9][a-z0-9+.-]*(?::[a-z0-9-]+)?)(?:=([A-Za-z0-9.+:~*-]+))?$/;

/** Whether apt could name this package (name, name:arch, name=version). */
export function isDebianPackageName(n: string): boolean {
  return NAME.test(n.trim());
}

export function parseAptArgs(raw: Record<string, unknown>, loc: SourceLoc): AptArgs {
  const { args: p, reader: args } = parseSpec('apt', aptSpec, raw, loc);
  const names = (p.name ?? []).flatMap((n) => n.split(',')).map((n) => n.trim()).filter((n) => n !== '');
  const packages = names.map((n): AptPackage => {
    const m = NAME.exec(n);
    if (!m) throw args.error(`'${n}' is not a Debian package name`, 'package names are lower case letters, digits and + - . (optionally name=version)');
    return m[2] === undefined ? { name: m[1]! } : { name: m[1]!, version: m[2] };
  });
  const state = stateAliases[p.state]!;
  const cacheValidTime = p.cache_valid_time;
  // As in Ansible, giving cache_valid_time asks for a cache update when the lists are older.
  const updateCache = p.update_cache ?? cacheValidTime > 0;
  if (packages.length === 0 && !updateCache) throw args.error(`'name' is required (or update_cache: true to only refresh the package lists)`);
  if (p.default_release !== undefined && !/^[A-Za-z0-9][A-Za-z0-9.+~_/-]*$/.test(p.default_release)) {
    throw args.error(`'${p.default_release}' is not a release name`, 'a suite or codename such as bookworm-backports');
  }
  if (state !== 'present' && packages.some((p) => p.version !== undefined)) throw args.error(`a version pin (name=version) needs state: present, not ${state}`);
  return {
    packages,
    state,
    updateCache,
    cacheValidTime,
    installRecommends: p.install_recommends,
    purge: p.purge,
    lockTimeout: p.lock_timeout,
    ...(p.default_release !== undefined ? { defaultRelease: p.default_release } : {}),
    ...(p.policy_rc_d !== undefined ? { policyRcD: p.policy_rc_d } : {}),
  };
}
