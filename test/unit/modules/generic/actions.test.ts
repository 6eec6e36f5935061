// Action modules with a local transport: assert, debug, set_fact, and wait_for polling for real.
import { expect } from 'chai';
import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { assertModule } from '../../../../src/modules/generic/assert.js';
import { debugModule } from '../../../../src/modules/generic/debug.js';
import { setFactModule } from '../../../../src/modules/generic/set_fact.js';
import { waitForModule } from '../../../../src/modules/generic/wait_for.js';
import { truthy } from '../../../../src/modules/lib/truthy.js';
import { actionCtx } from '../lib/action-ctx.js';
import { loc, tempDir } from '../lib/local.js';

describe('modules/generic actions: assert, debug, set_fact', () => {
  it('assert passes, fails naming the assertion, honours fail_msg and quiet', async () => {
    const ctx = actionCtx({ port: 6379, list: [], name: 'web1', zero: 0 });
    const run = (raw: Record<string, unknown>) => assertModule.run(assertModule.parse(raw, loc), ctx);
    expect(await run({ that: ['port', 'name'] })).to.deep.equal({ changed: false, msg: 'All assertions passed', data: { msg: 'All assertions passed' } });
    expect(await run({ that: ['port', 'list'] })).to.deep.include({ failed: 'Assertion failed: list' });
    expect(await run({ that: 'zero', fail_msg: 'zero is falsy' })).to.deep.include({ failed: 'zero is falsy' });
    expect(await run({ that: 'port', quiet: true })).to.deep.equal({ changed: false, msg: undefined, data: {} });
    expect(() => assertModule.parse({}, loc)).to.throw(/'that' is required/);
    expect([null, undefined, false, 0, '', [], {}].map(truthy)).to.deep.equal([false, false, false, false, false, false, false]);
    expect(['0', 'false', [0], { a: 1 }, -1].map(truthy)).to.deep.equal([true, true, true, true, true]);
  });

  it('debug shows msg, a variable, undefined ones, and respects verbosity', async () => {
    const ctx = actionCtx({ redis: { port: 6379 } });
    const run = (raw: Record<string, unknown>, c = ctx) => debugModule.run(debugModule.parse(raw, loc), c);
    expect(await run({ msg: 'hi' })).to.deep.equal({ changed: false, msg: 'hi', data: { msg: 'hi' } });
    expect(await run({ var: 'redis.port' })).to.deep.equal({ changed: false, msg: 'redis.port: 6379', data: { 'redis.port': 6379 } });
    expect((await run({ var: 'nope' })).data).to.deep.equal({ nope: 'VARIABLE IS NOT DEFINED!' });
    expect(await run({ msg: 'x', verbosity: 2 })).to.deep.include({ skipped: 'verbosity threshold not met (needs -vv)' });
    expect(await run({ msg: 'x', verbosity: 2 }, actionCtx({ ansible_verbosity: 2 }))).to.deep.include({ msg: 'x' });
    expect(debugModule.parse({ msg: 'msg="a b" verbosity=1' }, loc)).to.deep.equal({ msg: 'a b', var: undefined, verbosity: 1 });
    expect(await run({ msg: ['a', 1] })).to.deep.include({ msg: '[\n  "a",\n  1\n]' });
  });

  it('set_fact takes any keys (argNames *), drops cacheable, checks names, accepts k=v', async () => {
    expect(setFactModule.argNames).to.deep.equal(['*']);
    const facts = setFactModule.parse({ a: [1, 2], b: 'x', cacheable: true }, loc);
    expect(await setFactModule.run(facts, actionCtx())).to.deep.equal({ changed: false, facts: { a: [1, 2], b: 'x' }, data: { ansible_facts: { a: [1, 2], b: 'x' } } });
    expect(setFactModule.parse({ _raw_params: `a=1 b='two words'` }, loc)).to.deep.equal({ a: '1', b: 'two words' });
    expect(() => setFactModule.parse({ '1bad': 1 }, loc)).to.throw(/not a valid variable name/);
  });
});

describe('modules/generic/wait_for (runs its loop with /bin/sh here)', () => {
  let server: Server;
  let port = 0;
  before(async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const run = (raw: Record<string, unknown>) => waitForModule.run(waitForModule.parse(raw, loc), actionCtx());

  it('port started: ok when something listens', async () => {
    const out = await run({ port, timeout: 5 });
    expect(out.failed).to.equal(undefined);
    expect(out.data).to.deep.include({ port, state: 'started' });
  });

  it('port stopped: ok for a closed port; started on a closed port fails saying what did not happen', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    expect((await run({ port: closed, state: 'stopped', timeout: 5 })).failed).to.equal(undefined);
    const out = await run({ port: closed, timeout: 1 });
    expect(out.failed).to.equal(`port ${closed} on 127.0.0.1 did not accept connections within 1s`);
  });

  it('path present with search_regex, and absent', async () => {
    const t = tempDir();
    try {
      writeFileSync(t.path('log'), 'starting\nready to accept connections\n');
      expect((await run({ path: t.path('log'), search_regex: 'ready to accept' })).failed).to.equal(undefined);
      expect((await run({ path: t.path('gone'), state: 'absent' })).failed).to.equal(undefined);
      expect((await run({ path: t.path('log'), state: 'absent', timeout: 1, msg: 'log stayed' })).failed).to.equal('log stayed');
    } finally {
      t.cleanup();
    }
  });

  it('is skipped in check mode and refuses port with path', () => {
    expect(waitForModule.checkMode).to.equal('skip');
    expect(() => waitForModule.parse({ port: 1, path: '/x' }, loc)).to.throw(/mutually exclusive/);
    expect(() => waitForModule.parse({ port: 70000 }, loc)).to.throw(/out of range/);
  });
});
