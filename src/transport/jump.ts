// Turns a ProxyJump value (`[user@]host[:port],...`) into the bastions to hop through, each completed from the ssh config.
import { InputError } from '../core/errors.js';
import { lookupSshConfig, type SshConfig } from './ssh-config.js';
import type { JumpHost } from './types.js';

/**
 * Bastions in hop order. As with OpenSSH, a bastion gets its own User, Port, HostName and IdentityFile
 * from the ssh config (and its own ProxyJump, hopped through first); 'none' means no jump.
 */
export function parseProxyJump(value: string, host: string, config: SshConfig | undefined, fallbackUser: string, seen: string[] = []): JumpHost[] {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  const hops: JumpHost[] = [];
  for (const part of trimmed.split(',').map((s) => s.trim())) {
    const m = /^(?:ssh:\/\/)?(?:([^@\s]+)@)?(\[[^\]]+\]|[^:@\s]+)(?::(\d+))?$/.exec(part);
    if (!m) {
      throw new InputError(`host ${host}: cannot read the ProxyJump '${part}'`, undefined, 'write it as [user@]bastion[:port], several separated by commas');
    }
    const name = m[2]!.replace(/^\[|\]$/g, '');
    if (seen.includes(name)) throw new InputError(`host ${host}: ProxyJump loops through ${[...seen, name].join(' -> ')}`);
    const fromConfig = config ? lookupSshConfig(config, name) : {};
    // As OpenSSH does, a bastion that a `Host *` ProxyJump names as its own jump is reached directly.
    if (fromConfig.proxyJump && jumpName(fromConfig.proxyJump) !== name) hops.push(...parseProxyJump(fromConfig.proxyJump, host, config, fallbackUser, [...seen, name]));
    const port = m[3] !== undefined ? Number(m[3]) : (fromConfig.port ?? 22);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InputError(`host ${host}: ProxyJump '${part}' has a bad port`);
    const hop: JumpHost = { address: fromConfig.hostName ?? name, port, user: m[1] ?? fromConfig.user ?? fallbackUser };
    if (fromConfig.identityFile) hop.privateKeyFile = fromConfig.identityFile;
    hops.push(hop);
  }
  return hops;
}

/** The host name of the last hop of a ProxyJump value (the one connected to directly before us). */
function jumpName(value: string): string {
  const last = value.split(',').pop()!.trim();
  return last.replace(/^ssh:\/\//, '').replace(/^[^@]*@/, '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
}
