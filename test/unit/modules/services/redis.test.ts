// The redis module against a real redis-server reached through a fake SSH tunnel (a bare Duplex).
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { redisModule } from '../../../../src/modules/services/redis.js';
import { fakeContext, FakeTransport } from './fixtures/fake-context.js';
import { haveRedisServer, startRedis, type TestRedis } from './fixtures/redis-server.js';

const loc = { file: 'site.yml', line: 4, col: 7 };
const password = 'p&ss=wo+rd!@%"\\ with space';

describe('redis module', function () {
  let redis: TestRedis;
  let transport: FakeTransport;

  before(async function () {
    if (!haveRedisServer()) this.skip();
    redis = await startRedis(password);
    redis.cli('SET', 'greeting', 'hello');
    redis.cli('SET', 'PHPREDIS_SESSION:abc', 'count|i:3;');
    redis.cli('SET', 'PHPREDIS_SESSION:def', 'count|i:1;');
    transport = new FakeTransport('redis1', (addr, port) => (addr === '127.0.0.1' && port === 6379 ? redis.socket : undefined));
  });
  after(async () => redis?.stop());

  const run = (raw: Record<string, unknown>) => {
    const ctx = fakeContext('redis1', { redis1: transport });
    return { ctx, outcome: redisModule.run(redisModule.parse(raw, loc), ctx) };
  };

  it('passes ping, get, scan, expect and expect_noauth with the right password', async () => {
    const { ctx, outcome } = run({ password, ping: true, get: 'greeting', scan: 'PHPREDIS_SESSION:*', expect: { greeting: 'hello' }, expect_noauth: true });
    const out = await outcome;
    expect(out.failed).to.equal(undefined);
    expect(out.changed).to.equal(false);
    expect(out.data).to.deep.include({ ping: 'PONG', value: 'hello', keys: ['PHPREDIS_SESSION:abc', 'PHPREDIS_SESSION:def'], truncated: false, noauth: true });
    expect(ctx.secrets).to.include(password);
    expect(transport.forwards.at(-1)).to.equal('127.0.0.1:6379');
  });

  it('fails naming the wrong password, without printing it', async () => {
    const { outcome } = run({ password: 'wrong-password-1234', ping: true });
    const out = await outcome;
    expect(out.failed).to.match(/authentication failed: WRONGPASS/);
    expect(out.failed).to.contain('requirepass');
    expect(out.failed).not.to.contain('wrong-password-1234');
  });

  it('reports a mismatch in expect and a bounded scan', async () => {
    const out = await run({ password, expect: { 'PHPREDIS_SESSION:abc': 'count|i:4;', missing: 'x' }, scan: 'PHPREDIS_SESSION:*', scan_limit: 1 }).outcome;
    expect(out.failed).to.contain(`PHPREDIS_SESSION:abc is 'count|i:3;', expected 'count|i:4;'`);
    expect(out.failed).to.contain(`missing does not exist`);
    expect(out.data?.keys).to.have.length(1);
  });

  it('fails expect_noauth when the server takes commands without a password', async () => {
    const open = await startRedis('');
    try {
      const t = new FakeTransport('redis2', () => open.socket);
      const out = await redisModule.run(redisModule.parse({ expect_noauth: true }, loc), fakeContext('redis2', { redis2: t }));
      expect(out.failed).to.contain('requirepass is not in force');
      expect(out.data?.noauth).to.equal(false);
    } finally {
      await open.stop();
    }
  });

  it('says the tunnel could not reach Redis', async () => {
    const t = new FakeTransport('redis1', () => undefined);
    const out = await redisModule.run(redisModule.parse({ password, ping: true }, loc), fakeContext('redis1', { redis1: t }));
    expect(out.failed).to.match(/Redis at 127\.0\.0\.1:6379 through redis1's SSH tunnel: cannot reach it: .*Connection refused/);
  });

  it('rejects a task that checks nothing, and login_* aliases map onto the arguments', () => {
    expect(() => redisModule.parse({ host: 'x' }, loc)).to.throw(InputError, /nothing to check/);
    const args = redisModule.parse({ login_host: '10.0.0.5', login_port: '6380', login_password: 'x', ping: 'yes' }, loc);
    expect(args).to.include({ host: '10.0.0.5', port: 6380, password: 'x', ping: true });
  });
});
