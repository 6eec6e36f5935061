// Splits a play's hosts into serial batches the way Ansible does (numbers, percentages, last size repeats, 0 for the rest).
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';

/** Hosts in the next batch; 0 (a number, as Ansible's serial: 0) means all that are left. */
function sizeOf(spec: number | string, total: number, loc: SourceLoc): number {
  if (typeof spec === 'number') return spec === 0 ? total : Math.max(1, Math.floor(spec));
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(spec);
  if (!m) throw new InputError(`serial: '${spec}' is not a number or a percentage`, loc, 'write serial: 2, serial: "30%" or a list such as [1, 5, "25%"]');
  const n = Number(m[1]);
  // Ansible rounds percentages down but never below one host.
  return Math.max(1, m[2] ? Math.floor((total * n) / 100) : Math.floor(n));
}

export function serialBatches(hosts: string[], serial: (number | string)[], loc: SourceLoc): string[][] {
  if (serial.length === 0 || hosts.length === 0) return [hosts];
  const batches: string[][] = [];
  let i = 0;
  let k = 0;
  while (i < hosts.length) {
    const size = sizeOf(serial[Math.min(k, serial.length - 1)]!, hosts.length, loc);
    batches.push(hosts.slice(i, i + size));
    i += size;
    k++;
  }
  return batches;
}
