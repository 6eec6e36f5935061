// Host entries as both inventory formats write them: ranges expand, `name:port` sets ansible_port.
import type { SourceLoc, Vars } from '../core/types.js';
import { expandHostRange } from './ranges.js';

export interface HostEntry {
  name: string;
  /** ansible_port from a `name:port` suffix. */
  vars: Vars;
}

/** `web[01:03]:2222` -> web01, web02, web03 each with ansible_port 2222. IPv6 addresses are left whole. */
export function parseHostEntry(text: string, loc: SourceLoc): HostEntry[] {
  const withPort = /^([^:]+):([0-9]+)$/.exec(text);
  const pattern = withPort ? withPort[1]! : text;
  const vars: Vars = withPort ? { ansible_port: Number(withPort[2]) } : {};
  return expandHostRange(pattern, loc).map((name) => ({ name, vars }));
}
