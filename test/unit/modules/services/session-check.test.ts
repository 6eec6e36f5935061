// session_check end to end on the controller side: fake PHP servers behind fake tunnels, a real
// redis-server, one shared cookie; each way the proof can break gives its own message.
import { expect } from 'chai';
import { sessionCheckModule, SESSION_CHECK_CHECK_MODE_REASON } from '../../../../src/modules/services/session-check.js';
import { fakeContext, FakeTransport } from './fixtures/fake-context.js';
import { memoryStore, redisStore, startFakePhp, type FakePhp, type SessionStore } from './fixtures/fake-php.js';
import { haveRedisServer, startRedis, type TestRedis } from './fixtures/redis-server.js';

const loc = { file: 'roles/session_test/tasks/main.yml', line: 9, col: 3 };
const password = 'Se$$ion&=+!@%-pass "q"';

describe('session_check module', function () {
  let redis: TestRedis;
  const cleanup: (() => Promise<void>)[] = [];

  before(async function () {
    if (!haveRedisServer()) this.skip();
    redis = await startRedis(password);
  });
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });
  after(async () => redis?.stop());

  async function web(store: SessionStore, opts: { status?: number; strict?: boolean } = {}): Promise<FakePhp> {
    const php = await startFakePhp(store, opts);
    cleanup.push(() => php.close(), () => store.close());
    return php;
  }

  /** web hosts route 127.0.0.1:80 to their fake PHP; redis1 routes 127.0.0.1:6379 to the real Redis. */
  function context(webs: Record<string, FakePhp>, check = false) {
    const transports: Record<string, FakeTransport> = {};
    for (const [name, php] of Object.entries(webs)) transports[name] = new FakeTransport(name, (a, p) => (a === '127.0.0.1' && p === 80 ? php.port : undefined));
    const redis1 = new FakeTransport('redis1', (a, p) => (a === '127.0.0.1' && p === 6379 ? redis.socket : undefined));
    const ctx = fakeContext(Object.keys(webs)[0]!, { ...transports, redis1 }, { groups: { redis: ['redis1'], web: Object.keys(webs) } }, check);
    ctx.playHosts = Object.keys(webs);
    return ctx;
  }

  const args = (extra: Record<string, unknown> = {}) => sessionCheckModule.parse({ redis_password: password, ...extra }, loc);

  it('counts 1, 2, 3, 4 across web1, web2 with one cookie and finds count|i:5; in Redis', async () => {
    const ctx = context({ web1: await web(redisStore(redis.socket, password)), web2: await web(redisStore(redis.socket, password)) });
    const out = await sessionCheckModule.run(args(), ctx);
    expect(out.failed).to.equal(undefined);
    expect(out.changed).to.equal(false);
    expect(out.msg).to.contain('web1=1 web2=2 web1=3 web2=4');
    expect(out.data?.sequence).to.deep.equal([
      { host: 'web1', count: 1 },
      { host: 'web2', count: 2 },
      { host: 'web1', count: 3 },
      { host: 'web2', count: 4 },
    ]);
    const key = `PHPREDIS_SESSION:${out.data?.session_id}`;
    expect(out.data?.redis_key).to.equal(key);
    expect(redis.cli('GET', key)).to.equal('count|i:5;');
    expect(ctx.secrets).to.include(password);
  });

  it('names the web host whose session did not come from Redis', async () => {
    const ctx = context({ web1: await web(redisStore(redis.socket, password)), web2: await web(memoryStore()) });
    const out = await sessionCheckModule.run(args(), ctx);
    expect(out.failed).to.contain('web2 returned count 1 (expected 2): its session did not come from Redis — check session.save_path and the password');
    expect(out.failed).to.contain('web2 reports session.save_handler = files');
    expect(out.failed).to.contain('seen so far: web1=1');
  });

  it('catches a web host with the wrong Redis password even though it answers 200', async () => {
    const ctx = context({ web1: await web(redisStore(redis.socket, password)), web2: await web(redisStore(redis.socket, 'not-the-password-at-all'), { strict: true }) });
    const out = await sessionCheckModule.run(args(), ctx);
    expect(out.failed).to.match(/^web2 started a new session instead of reading PHPSESSID=\w+ \(returned count 1, expected 2\): its session did not come from Redis/);
  });

  it('fails when the counter goes up but the session is not in Redis', async () => {
    const shared = new Map<string, string>();
    const ctx = context({ web1: await web(memoryStore(shared)), web2: await web(memoryStore(shared)) });
    const out = await sessionCheckModule.run(args({ rounds: 1 }), ctx);
    expect(out.failed).to.match(/^Redis on redis1 has no key PHPREDIS_SESSION:\w+: the web servers did not store the session there/);
    expect(out.failed).to.contain('seen so far: web1=1 web2=2');
  });

  it('reports a wrong Redis password given to the check without printing it, before visiting any web host', async () => {
    const php = await web(redisStore(redis.socket, password));
    const ctx = context({ web1: php });
    const out = await sessionCheckModule.run(sessionCheckModule.parse({ redis_password: 'wrong-but-long-enough' }, loc), ctx);
    expect(out.failed).to.match(/^Redis at redis1:6379 refused the password \(WRONGPASS\): WRONGPASS invalid username-password pair/);
    expect(out.failed).not.to.contain('wrong-but-long-enough');
    expect((ctx.transport as FakeTransport).forwards, 'no page was requested').to.deep.equal([]);
  });

  it('says Redis is not reachable when nothing listens on its port, instead of blaming the page', async () => {
    const ctx = context({ web1: await web(redisStore(redis.socket, password)) });
    const out = await sessionCheckModule.run(args({ redis_port: 6390 }), ctx);
    expect(out.failed).to.match(/^Redis at redis1:6390 is not reachable: .*Connection refused; is redis-server running there/);
    expect(out.failed).not.to.contain(password);
  });

  it('reports an HTTP error with the page excerpt, and an unreachable web server', async () => {
    const broken = context({ web1: await web(memoryStore(), { status: 502 }) });
    expect((await sessionCheckModule.run(args(), broken)).failed).to.match(/^web1 answered HTTP 502 for \/test\.php: count=1/);
    const down = context({ web1: await web(memoryStore()) });
    const out = await sessionCheckModule.run(args({ port: 8080 }), down);
    expect(out.failed).to.match(/^GET http:\/\/127\.0\.0\.1:8080\/test\.php on web1 through its SSH tunnel: .*Connection refused/);
  });

  it('is skipped in check mode with the reason, and declares it to the executor', async () => {
    const ctx = context({ web1: await web(memoryStore()) }, true);
    const out = await sessionCheckModule.run(args(), ctx);
    expect(out.skipped).to.equal(SESSION_CHECK_CHECK_MODE_REASON);
    expect(sessionCheckModule.checkMode).to.equal('skip');
    expect(sessionCheckModule.checkModeReason).to.equal(SESSION_CHECK_CHECK_MODE_REASON);
  });

  it('requires the Redis password', () => {
    expect(() => sessionCheckModule.parse({}, loc)).to.throw(/'redis_password' is required/);
  });
});
