// apt's arguments with Ansible's names, parsed once at load time so a bad package name fails before any connection.
import type { SourceLoc } from '../../core/types.js';
import { ArgReader } from '../lib/args.js';

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
}

export const aptArgNames = [
  'name', 'pkg', 'package', 'state', 'update_cache', 'update-cache', 'cache_valid_time',
  'install_recommends', 'install-recommends', 'purge', 'lock_timeout',
] as const;

const aliases = { pkg: 'name', package: 'name', 'update-cache': 'update_cache', 'install-recommends': 'install_recommends' };
const stateAliases: Record<string, AptState> = { present: 'present', installed: 'present', absent: 'absent', removed: 'absent', latest: 'latest' };
const NAME = /^([a-z0-9][a-z0-9+.-]*(?::[a-z0-9-]+)?)(?:=([A-Za-z0-9.+:~*-]+))?$/;

export const DEFAULT_LOCK_TIMEOUT = 300;

export function parseAptArgs(raw: Record<string, unknown>, loc: SourceLoc): AptArgs {
  const args = new ArgReader('apt', raw, loc, aliases);
  const names = (args.list('name') ?? []).flatMap((n) => n.split(',')).map((n) => n.trim()).filter((n) => n !== '');
  const packages = names.map((n): AptPackage => {
    const m = NAME.exec(n);
    if (!m) throw args.error(`'${n}' is not a Debian package name`, 'package names are lower case letters, digits and + - . (optionally name=version)');
    return m[2] === undefined ? { name: m[1]! } : { name: m[1]!, version: m[2] };
  });
  const stateText = args.str('state') ?? 'present';
  const state = stateAliases[stateText];
  if (!state) throw args.error(`'state' must be one of present, absent, latest; got '${stateText}'`);
  const cacheValidTime = args.int('cache_valid_time', 0);
  // As in Ansible, giving cache_valid_time asks for a cache update when the lists are older.
  const updateCache = args.bool('update_cache', cacheValidTime > 0);
  if (packages.length === 0 && !updateCache) throw args.error(`'name' is required (or update_cache: true to only refresh the package lists)`);
  if (state !== 'present' && packages.some((p) => p.version !== undefined)) throw args.error(`a version pin (name=version) needs state: present, not ${state}`);
  return {
    packages,
    state,
    updateCache,
    cacheValidTime,
    installRecommends: args.has('install_recommends') ? args.bool('install_recommends', false) : undefined,
    purge: args.bool('purge', false),
    lockTimeout: args.int('lock_timeout', DEFAULT_LOCK_TIMEOUT, 1),
  };
}
