// The connection pool: one connect per host shared by concurrent callers, failures remembered for the run.
import { expect } from 'chai';
import { UnreachableError } from '../../../src/core/errors.js';
import { ConnectionPool } from '../../../src/transport/pool.js';
import type { ConnectionSpec, Transport } from '../../../src/transport/types.js';

const spec = (name: string): ConnectionSpec => ({
  name,
  connection: 'ssh',
  address: name,
  port: 22,
  user: 'u',
  hostKeyChecking: true,
  connectTimeoutMs: 1,
});

function fakeTransport(host: string, closed: string[]): Transport {
  return {
    host,
    exec: async () => ({ stdout: '', stderr: '', code: 0 }),
    forward: async () => {
      throw new Error('not used');
    },
    close: async () => {
      closed.push(host);
    },
  };
}

describe('ConnectionPool', () => {
  it('connects once per host, even for concurrent callers', async () => {
    const opened: string[] = [];
    const pool = new ConnectionPool(async (s) => {
      opened.push(s.name);
      return fakeTransport(s.name, []);
    });
    const [a, b] = await Promise.all([pool.get('web1', spec('web1')), pool.get('web1', spec('web1'))]);
    const c = await pool.get('web2', spec('web2'));
    expect(a).to.equal(b);
    expect(c).to.not.equal(a);
    expect(opened).to.deep.equal(['web1', 'web2']);
  });

  it('remembers a failed connect as unreachable for the rest of the run', async () => {
    let attempts = 0;
    const pool = new ConnectionPool(async (s) => {
      attempts++;
      throw new UnreachableError(s.name, 'connection refused');
    });
    for (let i = 0; i < 2; i++) {
      const err = await pool.get('db', spec('db')).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(UnreachableError);
    }
    expect(attempts).to.equal(1);
  });

  it('turns an unexpected connect error into UnreachableError naming the host', async () => {
    const pool = new ConnectionPool(async () => {
      throw new Error('boom');
    });
    const err = await pool.get('x', spec('x')).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(UnreachableError);
    expect((err as UnreachableError).host).to.equal('x');
    expect((err as Error).message).to.include('boom');
  });

  it('closeAll closes every opened transport and tolerates failed ones', async () => {
    const closed: string[] = [];
    const pool = new ConnectionPool(async (s) => {
      if (s.name === 'bad') throw new UnreachableError('bad', 'no');
      return fakeTransport(s.name, closed);
    });
    await pool.get('a', spec('a'));
    await pool.get('b', spec('b'));
    await pool.get('bad', spec('bad')).catch(() => {});
    await pool.closeAll();
    expect(closed.sort()).to.deep.equal(['a', 'b']);
  });
});
