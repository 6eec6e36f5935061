// `session_check`: the cross-host proof that PHP sessions live in Redis. One client, one cookie,
// requests through every web host in turn (as a load balancer would), then the session read
// back from Redis. A 200 alone proves nothing: a wrong password still serves a fresh session.
import type { SourceLoc, Vars } from '../../core/types.js';
import { ArgReader } from '../lib/args.js';
import type { ActionContext, ActionModule, ActionOutcome } from '../types.js';
import { parseSetCookie } from './cookies.js';
import { requestOverStream } from './http-tunnel.js';
import type { Redis } from 'ioredis';
import { closeTunnelRedis, openTunnelRedis, RedisAuthError } from './redis-tunnel.js';
import { describeSequence, judgeStoredSession, judgeVisit } from './session-sequence.js';
import { errorText } from './stream-util.js';

export interface SessionCheckArgs {
  webHosts?: string[];
  urlPath: string;
  address: string;
  port: number;
  rounds: number;
  cookieName: string;
  keyPrefix: string;
  redisHost?: string;
  redisAddress: string;
  redisPort: number;
  redisPassword: string;
  timeoutMs: number;
}

export const SESSION_CHECK_CHECK_MODE_REASON = 'session_test needs PHP restarted on its new settings; nothing to test in check mode';

function parse(raw: Record<string, unknown>, loc: SourceLoc): SessionCheckArgs {
  const a = new ArgReader('session_check', raw, loc);
  const urlPath = a.str('url_path') ?? '/test.php';
  if (!urlPath.startsWith('/')) throw a.error(`'url_path' must start with /, got '${urlPath}'`);
  return {
    webHosts: a.list('web_hosts'),
    urlPath,
    address: a.str('address') ?? '127.0.0.1',
    port: a.int('port', 80, 1),
    rounds: a.int('rounds', 2, 1),
    cookieName: a.str('cookie_name') ?? 'PHPSESSID',
    keyPrefix: a.str('key_prefix') ?? 'PHPREDIS_SESSION:',
    redisHost: a.str('redis_host'),
    redisAddress: a.str('redis_address') ?? '127.0.0.1',
    redisPort: a.int('redis_port', 6379, 1),
    redisPassword: a.requiredStr('redis_password', 'pass the Redis password, e.g. redis_password: "{{redis_password}}"'),
    timeoutMs: a.int('timeout', 10, 1) * 1000,
  };
}

/** The Redis host when none is named: the first host of the inventory group `redis`. */
function defaultRedisHost(vars: Vars): string | undefined {
  const groups = vars.groups as Record<string, string[]> | undefined;
  return groups?.redis?.[0];
}

async function run(args: SessionCheckArgs, ctx: ActionContext): Promise<ActionOutcome> {
  ctx.addSecret(args.redisPassword);
  if (ctx.check) return { changed: false, skipped: SESSION_CHECK_CHECK_MODE_REASON };
  const webHosts = args.webHosts ?? ctx.playHosts;
  const redisHost = args.redisHost ?? defaultRedisHost(ctx.vars);
  if (webHosts.length === 0) return { changed: false, failed: 'no web hosts to check (web_hosts is empty and the play has no hosts)' };
  if (!redisHost) return { changed: false, failed: `no redis_host given and the inventory has no group 'redis'` };

  // Redis first: down, or refusing the password, it would show up below only as a page that
  // starts a new session every time, and the count mismatch would send the user to PHP.
  let client: Redis;
  try {
    client = await openTunnelRedis(async () => (await ctx.connect(redisHost)).forward(args.redisAddress, args.redisPort), {
      password: args.redisPassword,
      timeoutMs: args.timeoutMs,
    });
  } catch (err) {
    return { changed: false, failed: redisProblem(err, redisHost, args) };
  }
  try {
    return await visitAndRead(args, ctx, webHosts, redisHost, client);
  } finally {
    closeTunnelRedis(client);
  }
}

/** Says which of the two ways Redis let the check down: not there at all, or the password. Never quotes the password. */
export function redisProblem(err: unknown, redisHost: string, args: Pick<SessionCheckArgs, 'redisAddress' | 'redisPort'>): string {
  const where = `Redis at ${redisHost}:${args.redisPort}`;
  if (err instanceof RedisAuthError) {
    const code = /^[A-Z]+/.exec(err.message)?.[0] ?? 'ERR';
    const why = /without any password configured/i.test(err.message)
      ? 'it has no password configured (requirepass)'
      : `${err.message.replace(/\.$/, '')}; check redis_password against its requirepass`;
    return `${where} refused the password (${code}): ${why}`;
  }
  const through = args.redisAddress === '127.0.0.1' ? '' : ` (${args.redisAddress}:${args.redisPort} as seen from ${redisHost})`;
  return `${where} is not reachable${through}: ${errorText(err)}; is redis-server running there (systemctl status redis-server)?`;
}

async function visitAndRead(args: SessionCheckArgs, ctx: ActionContext, webHosts: string[], redisHost: string, client: Redis): Promise<ActionOutcome> {
  const url = new URL(`http://${args.address.includes(':') ? `[${args.address}]` : args.address}:${args.port}${args.urlPath}`);
  const seen: { host: string; count: number }[] = [];
  const data: Vars = { sequence: seen };
  const fail = (msg: string): ActionOutcome => ({ changed: false, failed: seen.length ? `${msg} (seen so far: ${describeSequence(seen)})` : msg, data });
  let sessionId: string | undefined;

  for (let round = 0; round < args.rounds; round++) {
    for (const host of webHosts) {
      let visit;
      try {
        const transport = await ctx.connect(host);
        const headers: Record<string, string> = sessionId ? { Cookie: `${args.cookieName}=${sessionId}` } : {};
        const res = await requestOverStream(() => transport.forward(args.address, args.port), { method: 'GET', url, headers, timeoutMs: args.timeoutMs });
        visit = { host, status: res.status, body: res.body.toString('utf8'), setCookies: parseSetCookie(res.headers['set-cookie']) };
      } catch (err) {
        return fail(`GET ${url.href} on ${host} through its SSH tunnel: ${errorText(err)}`);
      }
      const verdict = judgeVisit(visit, seen.length + 1, sessionId, args.cookieName, args.urlPath);
      if (!verdict.ok) return fail(verdict.failed);
      sessionId = verdict.sessionId;
      data.session_id = sessionId;
      seen.push({ host, count: verdict.count });
    }
  }

  const key = `${args.keyPrefix}${sessionId}`;
  const last = seen[seen.length - 1]!.count;
  let value: string | null;
  try {
    value = await client.get(key);
  } catch (err) {
    return fail(`reading ${key} from Redis at ${args.redisAddress}:${args.redisPort} on ${redisHost}: ${errorText(err)}`);
  }
  Object.assign(data, { redis_key: key, redis_value: value });
  const problem = judgeStoredSession(key, value, last, redisHost);
  if (problem) return fail(problem);
  return { changed: false, msg: `one session across ${[...new Set(webHosts)].join(', ')}: ${describeSequence(seen)}; ${key} on ${redisHost} holds count|i:${last + 1};`, data };
}

export const sessionCheckModule: ActionModule<SessionCheckArgs> = {
  kind: 'action',
  name: 'session_check',
  argNames: ['web_hosts', 'url_path', 'address', 'port', 'rounds', 'cookie_name', 'key_prefix', 'redis_host', 'redis_address', 'redis_port', 'redis_password', 'timeout'],
  checkMode: 'skip',
  checkModeReason: SESSION_CHECK_CHECK_MODE_REASON,
  parse,
  run,
};
