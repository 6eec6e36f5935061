// Skips ssh2's proof of the host keys that OpenSSH announces after login: runbook never learns keys
// from it, and each proof costs a round trip, the host's signatures and about 1 ms of controller CPU.
import type { Client } from 'ssh2';

type GlobalRequestHandler = (protocol: unknown, name: string, wantReply: boolean, data: unknown) => void;
interface ProtocolInternals {
  _handlers?: { GLOBAL_REQUEST?: GlobalRequestHandler };
  requestSuccess?(): void;
}

/**
 * OpenSSH sends `hostkeys-00@openssh.com` (UpdateHostKeys) to every client; ssh2 then parses every
 * announced key and asks the server to prove it holds each. This answers the notice as received and
 * leaves every other global request to ssh2. Must run before the handshake ends (right after connect()).
 * Relies on ssh2 internals (checked in test/unit/transport/host-keys-notice.test.ts); if they change,
 * this does nothing and ssh2's default stays.
 */
export function ignoreHostKeysNotice(client: Client | null | undefined): void {
  const protocol = (client as unknown as { _protocol?: ProtocolInternals } | null | undefined)?._protocol;
  const handlers = protocol?._handlers;
  const original = handlers?.GLOBAL_REQUEST;
  if (!handlers || typeof original !== 'function') return;
  handlers.GLOBAL_REQUEST = (p, name, wantReply, data) => {
    if (name !== 'hostkeys-00@openssh.com') return original(p, name, wantReply, data);
    if (wantReply) protocol!.requestSuccess?.();
  };
}
