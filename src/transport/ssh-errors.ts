// Turns ssh2's connection errors into UnreachableErrors that say what failed and what to check.
import { UnreachableError, type TroubleshootingAnchor } from '../core/errors.js';
import type { ConnectionSpec } from './types.js';

export function connectError(spec: ConnectionSpec, err: unknown, triedAuth: readonly string[]): UnreachableError {
  if (err instanceof UnreachableError) return err;
  const e = err as Error & { code?: string; level?: string };
  const message = e?.message ?? String(err);
  const where = `${spec.name} (${spec.address}:${spec.port})`;
  const fail = (what: string, hint: string, anchor?: TroubleshootingAnchor): UnreachableError =>
    new UnreachableError(spec.name, `cannot connect to ${where}: ${what}`, hint, anchor);
  switch (e?.code) {
    case 'ECONNREFUSED':
      return fail('connection refused', 'is sshd running there and listening on that port? check ansible_host and ansible_port');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(`cannot resolve ${spec.address}`, 'check ansible_host, or the name in DNS / /etc/hosts');
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return fail('no route to the host', 'is the host up and on a network this machine can reach?');
    case 'ECONNRESET':
      return fail('the connection was reset', 'a firewall or sshd (MaxStartups, tcp wrappers) may be dropping connections');
    case 'ETIMEDOUT':
      return fail(`no answer within ${spec.connectTimeoutMs} ms`, 'is the host up? a firewall may be dropping packets to the SSH port');
  }
  if (e?.level === 'client-authentication') {
    const tried = triedAuth.length ? triedAuth.join(', ') : 'nothing (no key, agent or password was available)';
    return fail(
      `authentication as ${spec.user} failed (tried ${tried})`,
      'check ansible_user, ansible_ssh_private_key_file / --private-key, the ssh-agent (SSH_AUTH_SOCK), or ansible_password / -k',
      'ssh-auth-failed',
    );
  }
  if (e?.level === 'client-timeout' || /timed out/i.test(message)) {
    return fail(`no SSH handshake within ${spec.connectTimeoutMs} ms`, 'is the host up and is it sshd answering on that port?');
  }
  return fail(message, 'check that the host is up and that sshd answers on that port');
}
