// `redis`: read-only checks of a Redis server from the controller through the host's SSH tunnel
// (authenticated PING, GET, bounded SCAN, NOAUTH without the password). Never changes anything.
import type { Redis } from 'ioredis';
import type { SourceLoc, Vars } from '../../core/types.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionContext, ActionModule, ActionOutcome } from '../types.js';
import { closeTunnelRedis, openTunnelRedis, RedisAuthError } from './redis-tunnel.js';
import { errorText } from './stream-util.js';

export interface RedisArgs {
  host: string;
  port: number;
  password?: string;
  db: number;
  ping: boolean;
  get?: string;
  scan?: string;
  scanLimit: number;
  expectNoauth: boolean;
  expect: Record<string, string>;
  timeoutMs: number;
}

export const redisSpec = defineSpec({
  description: "Read-only checks of a Redis server from the controller through the host's SSH tunnel: authenticated PING, GET, a bounded SCAN, NOAUTH without the password. Never changes anything.",
  args: {
    host: { type: 'str', default: '127.0.0.1', aliases: ['login_host'], description: 'Redis address as seen from the host.' },
    port: { type: 'int', default: 6379, min: 1, aliases: ['login_port'], description: 'Redis port.' },
    password: { type: 'str', noLog: true, aliases: ['login_password'], description: 'Redis password (AUTH); masked in every output.' },
    db: { type: 'int', default: 0, description: 'Database number.' },
    ping: { type: 'bool', default: false, description: 'Check that PING answers PONG.' },
    get: { type: 'str', description: 'Read this key into the result.' },
    scan: { type: 'str', description: 'Find keys matching this pattern (SCAN MATCH), at most scan_limit.' },
    scan_limit: { type: 'int', default: 1000, min: 1, description: 'The most keys scan: returns.' },
    expect_noauth: { type: 'bool', default: false, description: 'Check that a client without the password is refused (NOAUTH).' },
    expect: { type: 'raw', description: 'Keys and the values they must hold.', schema: { type: ['object', 'null'] } },
    timeout: { type: 'int', default: 10, min: 1, description: 'Seconds before giving up.' },
  },
  examples: `- name: Redis answers with the password and refuses without it
  redis:
    password: "{{redis_password}}"
    ping: yes
    expect_noauth: yes`,
  returns: {
    ping: 'The answer to PING.',
    value: 'The value of get:, or null.',
    keys: 'Keys found by scan:.',
    truncated: 'Whether scan: stopped at scan_limit.',
    noauth: 'Whether a client without the password was refused.',
    values: 'The values of the keys in expect:.',
  },
});

function parse(raw: Record<string, unknown>, loc: SourceLoc): RedisArgs {
  const { args: p, reader: a } = parseSpec('redis', redisSpec, raw, loc);
  const expectRaw = p.expect;
  if (expectRaw !== undefined && (typeof expectRaw !== 'object' || expectRaw === null || Array.isArray(expectRaw))) {
    throw a.error(`'expect' must be a mapping of key: expected value`);
  }
  const expect = Object.fromEntries(Object.entries((expectRaw ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  const args: RedisArgs = {
    host: p.host,
    port: p.port,
    password: p.password,
    db: p.db,
    ping: p.ping,
    get: p.get,
    scan: p.scan,
    scanLimit: p.scan_limit,
    expectNoauth: p.expect_noauth,
    expect,
    timeoutMs: p.timeout * 1000,
  };
  if (!args.ping && !args.get && !args.scan && !args.expectNoauth && Object.keys(expect).length === 0) {
    throw a.error('nothing to check', 'give at least one of: ping: true, get: KEY, scan: PATTERN, expect: {KEY: VALUE}, expect_noauth: true');
  }
  return args;
}

/** SCAN with MATCH until the cursor returns to 0 or `limit` keys are found: bounded on any keyspace. */
async function scanKeys(client: Redis, pattern: string, limit: number): Promise<{ keys: string[]; truncated: boolean }> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 100);
    for (const k of batch) keys.add(k);
    cursor = next;
  } while (cursor !== '0' && keys.size < limit);
  const sorted = [...keys].sort();
  return { keys: sorted.slice(0, limit), truncated: cursor !== '0' || sorted.length > limit };
}

/** Runs the authenticated checks; each failure is recorded and the others still run. */
async function authenticatedChecks(client: Redis, args: RedisArgs, data: Vars, failures: string[], passed: string[]): Promise<void> {
  const attempt = async (what: string, fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      failures.push(`${what} failed: ${errorText(err)}`);
    }
  };
  if (args.ping) {
    await attempt('authenticated PING', async () => {
      const answer = await client.ping();
      data.ping = answer;
      if (answer === 'PONG') passed.push('PING answered PONG');
      else failures.push(`PING answered '${answer}', expected PONG`);
    });
  }
  if (args.get !== undefined) {
    const key = args.get;
    await attempt(`GET ${key}`, async () => {
      data.value = await client.get(key);
      passed.push(`GET ${key}: ${data.value === null ? 'no such key' : 'read'}`);
    });
  }
  if (args.scan !== undefined) {
    const pattern = args.scan;
    await attempt(`SCAN ${pattern}`, async () => {
      const { keys, truncated } = await scanKeys(client, pattern, args.scanLimit);
      Object.assign(data, { keys, truncated });
      passed.push(`SCAN ${pattern}: ${keys.length}${truncated ? '+' : ''} key(s)`);
    });
  }
  const values: Record<string, string | null> = {};
  for (const [key, want] of Object.entries(args.expect)) {
    await attempt(`GET ${key}`, async () => {
      const got = await client.get(key);
      values[key] = got;
      if (got === want) passed.push(`${key} = '${want}'`);
      else failures.push(got === null ? `${key} does not exist (expected '${want}')` : `${key} is '${got}', expected '${want}'`);
    });
  }
  if (Object.keys(args.expect).length > 0) data.values = values;
}

/** Proves requirepass is in force: a client without the password must be refused with NOAUTH. */
async function noauthCheck(ctx: ActionContext, args: RedisArgs, data: Vars, failures: string[], passed: string[]): Promise<void> {
  let client: Redis | undefined;
  try {
    client = await openTunnelRedis(() => ctx.transport.forward(args.host, args.port), { timeoutMs: args.timeoutMs });
    const answer = await client.ping();
    data.noauth = false;
    failures.push(`Redis answered PING without a password ('${answer}'): requirepass is not in force`);
  } catch (err) {
    const text = errorText(err);
    data.noauth = text.startsWith('NOAUTH');
    if (data.noauth) passed.push('a client without the password gets NOAUTH');
    else failures.push(`expected NOAUTH from a client without the password, got: ${text}`);
  } finally {
    if (client) closeTunnelRedis(client);
  }
}

async function run(args: RedisArgs, ctx: ActionContext): Promise<ActionOutcome> {
  if (args.password !== undefined) ctx.addSecret(args.password);
  const where = `Redis at ${args.host}:${args.port} through ${ctx.host}'s SSH tunnel`;
  const data: Vars = {};
  const failures: string[] = [];
  const passed: string[] = [];
  const needsAuthClient = args.ping || args.get !== undefined || args.scan !== undefined || Object.keys(args.expect).length > 0;
  if (needsAuthClient) {
    let client: Redis;
    try {
      client = await openTunnelRedis(() => ctx.transport.forward(args.host, args.port), { password: args.password, db: args.db, timeoutMs: args.timeoutMs });
    } catch (err) {
      const why = err instanceof RedisAuthError ? `authentication failed: ${err.message} (is the password the one in requirepass?)` : `cannot reach it: ${errorText(err)}`;
      return { changed: false, failed: `${where}: ${why}`, data };
    }
    try {
      await authenticatedChecks(client, args, data, failures, passed);
    } finally {
      closeTunnelRedis(client);
    }
  }
  if (args.expectNoauth) await noauthCheck(ctx, args, data, failures, passed);
  if (failures.length > 0) return { changed: false, failed: `${where}: ${failures.join('; ')}`, data };
  return { changed: false, msg: `${where}: ${passed.join('; ')}`, data };
}

export const redisModule: ActionModule<RedisArgs> = {
  kind: 'action',
  name: 'redis',
  ...specFields(redisSpec),
  checkMode: 'run',
  parse,
  run,
};
