// The local transport runs /bin/sh on the controller with the same semantics as ssh: stdin, codes, streaming, abort, forward.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { InterruptedError, TaskFailure, UnreachableError } from '../../../src/core/errors.js';
import { openLocal } from '../../../src/transport/local.js';
import type { Transport } from '../../../src/transport/types.js';

/** Running, as opposed to gone or a zombie waiting for a parent that may never reap it (PID 1 in a container). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting: ${what}`);
}

describe('local transport', () => {
  let t: Transport;
  before(() => {
    t = openLocal('localhost');
  });
  after(async () => {
    await t.close();
  });

  it('runs the script with /bin/sh, feeding stdin and keeping stdout, stderr and the exit code apart', async () => {
    const r = await t.exec('read line; echo "got $line"; echo warn >&2; exit 3', { stdin: 'hello\n' });
    expect(r).to.deep.equal({ stdout: 'got hello\n', stderr: 'warn\n', code: 3 });
    expect(t.host).to.equal('localhost');
  });

  it('passes binary-safe stdin of a megabyte intact', async () => {
    const data = Buffer.alloc(1024 * 1024, 0);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7) % 256;
    const r = await t.exec('sha256sum | cut -d" " -f1', { stdin: data });
    expect(r.stdout.trim()).to.equal(createHash('sha256').update(data).digest('hex'));
  });

  it('does not fail when the script ignores its stdin', async () => {
    const r = await t.exec('exit 0', { stdin: Buffer.alloc(512 * 1024) });
    expect(r.code).to.equal(0);
  });

  it('streams output as it comes', async () => {
    const seen: string[] = [];
    const r = await t.exec('echo one; echo two >&2; echo three', { onOutput: (chunk, stream) => seen.push(`${stream}:${chunk}`) });
    expect(seen.filter((s) => s.startsWith('stdout:')).map((s) => s.slice(7)).join('')).to.equal(r.stdout);
    expect(seen).to.include('stderr:two\n');
  });

  it('reports a command killed by a signal with code null', async () => {
    const r = await t.exec('kill -9 $$');
    expect(r.code).to.equal(null);
  });

  it('abort rejects at once and kills the whole command tree', async () => {
    const ac = new AbortController();
    let pid = 0;
    const running = t.exec('sleep 30 & echo $!; wait', {
      signal: ac.signal,
      onOutput: (chunk) => {
        pid = Number(chunk.trim());
        ac.abort();
      },
    });
    const err = await running.catch((e: unknown) => e);
    expect(err).to.be.instanceOf(InterruptedError);
    expect(pid).to.be.greaterThan(0);
    await until(() => !alive(pid), `sleep (pid ${pid}) to die`);
  });

  it('rejects an already aborted signal without running anything', async () => {
    const ac = new AbortController();
    ac.abort(new TaskFailure('stopped'));
    const err = await t.exec('echo never', { signal: ac.signal }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TaskFailure);
  });

  describe('forward', () => {
    let server: Server;
    let port: number;
    before(async () => {
      server = createServer((sock) => sock.pipe(sock));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      port = (server.address() as { port: number }).port;
    });
    after(async () => {
      await new Promise((r) => server.close(r));
    });

    it('connects to a local port', async () => {
      const sock: Duplex = await t.forward('127.0.0.1', port);
      const echoed = new Promise<string>((r) => sock.once('data', (d: Buffer) => r(d.toString())));
      sock.write('ping');
      expect(await echoed).to.equal('ping');
      sock.destroy();
    });

    it('fails as a task failure when nothing listens', async () => {
      const closed = createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
      const freePort = (closed.address() as { port: number }).port;
      await new Promise((r) => closed.close(r));
      const err = await t.forward('127.0.0.1', freePort).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(TaskFailure);
    });
  });

  it('refuses to run after close', async () => {
    const other = openLocal('x');
    await other.close();
    const err = await other.exec('true').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UnreachableError);
  });
});

describe('script size', () => {
  it('refuses a script too long for one command line, pointing at stdin', async () => {
    const t = openLocal('h');
    const err = await t.exec(`echo ${'x'.repeat(130 * 1024)}`).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(TaskFailure);
    expect((err as TaskFailure).hint).to.include('stdin');
    await t.close();
  });
});
