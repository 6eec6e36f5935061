// The ssh2 internals ignoreHostKeysNotice relies on are still there, the notice is answered without
// ssh2's key proofs, and every other global request still reaches ssh2.
import { expect } from 'chai';
import ssh2 from 'ssh2';
import { ignoreHostKeysNotice } from '../../../src/transport/host-keys-notice.js';

type Handler = (p: unknown, name: string, wantReply: boolean, data: unknown) => void;
interface Internals {
  _handlers: { GLOBAL_REQUEST: Handler };
  requestSuccess(): void;
  requestFailure(): void;
}

describe('transport/host-keys-notice', () => {
  it("answers OpenSSH's hostkeys-00 notice itself and leaves other global requests to ssh2", () => {
    const client = new ssh2.Client();
    client.on('error', () => {});
    // Nothing listens on port 1: the connect fails later, but the protocol object exists at once.
    client.connect({ host: '127.0.0.1', port: 1, username: 'nobody' });
    try {
      const proto = (client as unknown as { _protocol: Internals })._protocol;
      expect(typeof proto._handlers.GLOBAL_REQUEST).to.equal('function');
      ignoreHostKeysNotice(client);
      const replies: string[] = [];
      proto.requestSuccess = () => void replies.push('success');
      proto.requestFailure = () => void replies.push('failure');
      // ssh2's own handler would parse these "keys" and throw on the garbage.
      proto._handlers.GLOBAL_REQUEST(proto, 'hostkeys-00@openssh.com', true, [Buffer.from('not a key')]);
      proto._handlers.GLOBAL_REQUEST(proto, 'keepalive@openssh.com', true, undefined);
      expect(replies).to.deep.equal(['success', 'failure']);
    } finally {
      client.end();
    }
  });
});
