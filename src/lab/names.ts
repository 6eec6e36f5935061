// Derives every system-wide name of a lab (bridge, veths, netns, addresses, dirs) from its name, so labs can coexist.
import { join } from 'node:path';
import { InputError } from '../core/errors.js';

/** Where built roots are cached (shared by every lab on the machine). */
export const CACHE_DIR = '/var/cache/runbook-lab';
/** Where running labs keep their per-host overlay dirs and host keys. */
export const RUNTIME_DIR = '/var/lib/runbook-lab/labs';

export const DEFAULT_LAB_NAME = 'lab';
export const DEFAULT_SUBNET = '10.77.0.0/24';

/** How messages name a lab: "lab" for the user's default one (not "lab lab"), "lab t0" for a named one. */
export function labTitle(name: string): string {
  return name === DEFAULT_LAB_NAME ? 'lab' : `lab ${name}`;
}

/** First host address in the /24: .1 is the bridge, hosts start at .11. */
const FIRST_HOST_OCTET = 11;
export const MAX_HOSTS = 254 - FIRST_HOST_OCTET;

export type LabNames = {
  name: string;
  /** "10.77.0" for 10.77.0.0/24. */
  prefix: string;
  bridge: string;
  bridgeAddress: string;
  runtimeDir: string;
};

export type HostNames = {
  host: string;
  index: number;
  address: string;
  netns: string;
  veth: string;
  dir: string;
  upper: string;
  work: string;
  merged: string;
  keysDir: string;
  logFile: string;
};

/** Checks a lab name: it ends up inside 15-byte interface names, so it stays short. */
export function checkLabName(name: string): void {
  if (!/^[a-z][a-z0-9]{0,7}$/.test(name)) {
    throw new InputError(
      `invalid lab name "${name}"`,
      undefined,
      'use 1 to 8 lowercase letters or digits, starting with a letter (it becomes part of interface names)',
    );
  }
}

/** Checks a host name: it becomes a hostname and a file name. */
export function checkHostName(host: string): void {
  if (!/^[a-z][a-z0-9-]{0,31}$/.test(host)) {
    throw new InputError(`invalid lab host name "${host}"`, undefined, 'use lowercase letters, digits and dashes, starting with a letter');
  }
}

/** Parses "A.B.C.0/24" into its "A.B.C" prefix; only /24s are supported. */
export function subnetPrefix(subnet: string): string {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/.exec(subnet);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) {
    throw new InputError(`invalid lab subnet "${subnet}"`, undefined, 'give a private /24 such as 10.77.0.0/24');
  }
  const [a, b] = [Number(m[1]), Number(m[2])];
  const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  if (!isPrivate) {
    throw new InputError(`lab subnet ${subnet} is not private`, undefined, 'use a /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');
  }
  return `${m[1]}.${m[2]}.${m[3]}`;
}

export function labNames(name: string, subnet: string): LabNames {
  checkLabName(name);
  const prefix = subnetPrefix(subnet);
  return { name, prefix, bridge: `rb-${name}`, bridgeAddress: `${prefix}.1`, runtimeDir: join(RUNTIME_DIR, name) };
}

/** Names for host number `index` (0-based) of a lab. */
export function hostNames(lab: LabNames, host: string, index: number): HostNames {
  checkHostName(host);
  if (index < 0 || index >= MAX_HOSTS) {
    throw new InputError(`a lab holds at most ${MAX_HOSTS} hosts`);
  }
  const dir = join(lab.runtimeDir, 'hosts', host);
  return {
    host,
    index,
    address: `${lab.prefix}.${FIRST_HOST_OCTET + index}`,
    netns: `rb-${lab.name}-${host}`,
    veth: `rb-${lab.name}-${index}`,
    dir,
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    merged: join(dir, 'root'),
    keysDir: join(dir, 'ssh-host-keys'),
    logFile: join(dir, 'console.log'),
  };
}
