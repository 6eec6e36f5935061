// Points a yamlRun's hosts at the local transport (/bin/sh on this machine), so real modules run
// for real, and records every script sent, to check what a command line held.
import { openLocal } from '../../../src/transport/local.js';
import type { ExecOptions, Transport } from '../../../src/transport/types.js';
import type { YamlRun } from './yaml-play.js';

export function localHosts(r: YamlRun): string[] {
  const scripts: string[] = [];
  r.ctx.connections.get = async (host) => {
    const t = openLocal(host);
    const recorder: Transport = { host, exec: (s: string, o?: ExecOptions) => (scripts.push(s), t.exec(s, o)), forward: t.forward, close: t.close };
    return recorder;
  };
  return scripts;
}

/** What `register: name` holds on `host` after the run. */
export function registeredOn(r: YamlRun, host: string, name: string): Record<string, unknown> {
  return r.ctx.states.get(host)!.hostFacts[name] as Record<string, unknown>;
}
