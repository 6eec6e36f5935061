// The connection keyword (play or task): Ansible's plugin names that mean SSH or the controller itself.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { describeValue } from '../yaml/expect.js';
import { LOCAL_CONNECTIONS, SSH_CONNECTIONS } from '../transport/spec.js';

export function toConnection(v: unknown, loc: SourceLoc): 'ssh' | 'local' {
  if (typeof v === 'string' && LOCAL_CONNECTIONS.has(v.trim())) return 'local';
  if (typeof v === 'string' && SSH_CONNECTIONS.has(v.trim())) return 'ssh';
  const hint = typeof v === 'string' && v.includes('{{') ? 'runbook needs the connection known when the playbook loads; write local or ssh' : "write local (run on the controller) or ssh (the default); docker, winrm and others are not supported";
  throw new InputError(`connection must be local or ssh, found ${describeValue(v)}`, loc, hint);
}
