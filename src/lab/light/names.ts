// Names and addresses of a light lab: one network namespace and one veth for the whole lab, hosts as /32s in a /22.
import { join } from 'node:path';
import { InputError } from '../../core/errors.js';
import { checkHostName, checkLabName, RUNTIME_DIR, type HostNames } from '../names.js';

/** The user's light lab; test labs use 10.82.x.0/22 and up (fixture), so they never meet. */
export const DEFAULT_LIGHT_SUBNET = '10.81.0.0/22';

/** Offsets in the /22: .1 is the controller's end of the veth, .2 the namespace's; hosts start at .11. */
const FIRST_HOST_OFFSET = 11;
/** The last offset of a /22 (1023) is its broadcast address; stop before it. */
export const MAX_LIGHT_HOSTS = 1023 - FIRST_HOST_OFFSET;

export type LightNames = {
  name: string;
  subnet: string;
  /** The /22's first address as four numbers. */
  base: [number, number, number, number];
  netns: string;
  /** The controller's end of the veth (the namespace's end is eth0 inside it). */
  veth: string;
  controllerAddress: string;
  nsAddress: string;
  runtimeDir: string;
  /** The overlay sshd runs in (its users, keys, config); hosts are mounted under its hosts/. */
  gateway: { upper: string; work: string; merged: string };
  hostKeyDir: string;
  logFile: string;
};

/** Parses "A.B.C.0/22" (C a multiple of 4, private range) into its four octets. */
export function lightSubnetBase(subnet: string): [number, number, number, number] {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/22$/.exec(subnet);
  const o = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [];
  if (!m || o.some((x) => x > 255) || o[2]! % 4 !== 0) {
    throw new InputError(`invalid light lab subnet "${subnet}"`, undefined, `give a private /22 such as ${DEFAULT_LIGHT_SUBNET}`);
  }
  const [a, b] = o as [number, number];
  const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  if (!isPrivate) throw new InputError(`light lab subnet ${subnet} is not private`, undefined, 'use a /22 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16');
  return [o[0]!, o[1]!, o[2]!, 0];
}

/** The address `offset` places into the /22. */
export function addressAt(base: readonly number[], offset: number): string {
  return `${base[0]}.${base[1]}.${base[2]! + Math.floor(offset / 256)}.${offset % 256}`;
}

/** True if `address` lies in the /22 starting at `base`. */
export function inLightSubnet(base: readonly number[], address: string): boolean {
  const o = address.split('.').map(Number);
  return o[0] === base[0] && o[1] === base[1] && o[2]! >= base[2]! && o[2]! < base[2]! + 4;
}

export function lightNames(name: string, subnet: string): LightNames {
  checkLabName(name);
  const base = lightSubnetBase(subnet);
  const runtimeDir = join(RUNTIME_DIR, name);
  const gw = join(runtimeDir, 'gateway');
  return {
    name,
    subnet,
    base,
    netns: `rb-${name}-light`,
    veth: `rb-${name}-l`,
    controllerAddress: addressAt(base, 1),
    nsAddress: addressAt(base, 2),
    runtimeDir,
    gateway: { upper: join(gw, 'upper'), work: join(gw, 'work'), merged: join(gw, 'root') },
    hostKeyDir: join(runtimeDir, 'ssh-host-key'),
    logFile: join(runtimeDir, 'sshd.log'),
  };
}

/** Where sshd (chrooted in the gateway) finds host `host`: its ChrootDirectory. */
export function chrootPath(host: string): string {
  return `/hosts/${host}`;
}

/** Names for light host number `index` (0-based): its own overlay dirs, the lab's shared namespace and veth. */
export function lightHostNames(lab: LightNames, host: string, index: number): HostNames {
  checkHostName(host);
  if (index < 0 || index >= MAX_LIGHT_HOSTS) throw new InputError(`a light lab holds at most ${MAX_LIGHT_HOSTS} hosts`);
  const dir = join(lab.runtimeDir, 'hosts', host);
  return {
    host,
    index,
    address: addressAt(lab.base, FIRST_HOST_OFFSET + index),
    netns: lab.netns,
    veth: lab.veth,
    dir,
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    merged: join(lab.gateway.merged, chrootPath(host)),
    keysDir: lab.hostKeyDir,
    logFile: lab.logFile,
  };
}
