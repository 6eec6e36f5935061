// The exit status of a command survives ssh2 emitting 'exit' before runOnChannel listens (a busy controller
// reads the exec reply, the output and the status in one go), because ssh2 repeats it on 'close'.
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import type { ClientChannel } from 'ssh2';
import { runOnChannel, type ChannelHooks } from '../../../src/transport/channel-exec.js';

class FakeChannel extends EventEmitter {
  readonly stderr = new EventEmitter();
  ended = false;
  written: string[] = [];
  end(): void {
    this.ended = true;
  }
  write(chunk: string | Buffer): boolean {
    this.written.push(chunk.toString());
    return true;
  }
}

function hooks(): ChannelHooks & { released: number } {
  const h = {
    host: 'web1',
    released: 0,
    release: () => void h.released++,
    watchDrop: () => () => {},
    dropped: () => undefined,
    killRemote: () => {},
  };
  return h;
}

describe('transport/channel-exec', () => {
  it("takes the exit status from 'close' when 'exit' fired before anyone listened", async () => {
    const channel = new FakeChannel();
    // What ssh2 does when the whole exchange arrives in one read: 'exit' in the same tick as the exec callback.
    channel.emit('exit', 3);
    const h = hooks();
    const running = runOnChannel(channel as unknown as ClientChannel, undefined, {}, h);
    channel.emit('data', Buffer.from('node1\n'));
    channel.emit('close', 3);
    const r = await running;
    expect(r.code).to.equal(3);
    expect(r.stdout).to.equal('node1\n');
    expect(h.released).to.equal(1);
    expect(channel.ended).to.equal(true);
  });

  it("keeps the status seen on 'exit', and null for a command killed by a signal", async () => {
    const ok = new FakeChannel();
    const first = runOnChannel(ok as unknown as ClientChannel, 'input', {}, hooks());
    ok.emit('exit', 0);
    ok.emit('close', 0);
    expect((await first).code).to.equal(0);

    const killed = new FakeChannel();
    const second = runOnChannel(killed as unknown as ClientChannel, undefined, {}, hooks());
    killed.emit('exit', null, 'SIGKILL', false, '');
    killed.emit('close', null, 'SIGKILL', false, '');
    expect((await second).code).to.equal(null);
  });

  it('with keepStdinOpen and endStdin, ends stdin only when that signal fires (the run lock released without a kill command)', async () => {
    const channel = new FakeChannel();
    const endStdin = new AbortController();
    const running = runOnChannel(channel as unknown as ClientChannel, 'pw\n', { keepStdinOpen: true, endStdin: endStdin.signal }, hooks());
    expect(channel.written).to.deep.equal(['pw\n']);
    expect(channel.ended).to.equal(false);
    endStdin.abort();
    expect(channel.ended).to.equal(true);
    channel.emit('close', 0);
    expect((await running).code).to.equal(0);
  });

  it('with keepStdinOpen, sends stdin but never ends it: the run lock holder waits on it for the connection to die', async () => {
    const channel = new FakeChannel();
    const running = runOnChannel(channel as unknown as ClientChannel, 'pw\n', { keepStdinOpen: true }, hooks());
    expect(channel.written).to.deep.equal(['pw\n']);
    expect(channel.ended).to.equal(false);
    channel.emit('close', 0);
    expect((await running).code).to.equal(0);
    expect(channel.ended).to.equal(false);
  });
});
