// `session_check`: the cross-host proof that PHP sessions live in Redis. One client, one cookie,
// requests through every web host in turn (as a load balancer would), then the session read
// back from Redis. A 200 alone proves nothing: a wrong password still serves a fresh session.
import type { SourceLoc, Vars } from '../../core/types.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
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

export const sessionCheckSpec = defineSpec({
  description: 'The proof that PHP sessions live in Redis: one client with one cookie visits every web host in turn, as a load balancer would, then the session is read back from Redis.',
  args: {
    web_hosts: { type: 'list', defaultText: 'the hosts of the play batch', description: 'Inventory hosts to visit.' },
    url_path: { type: 'str', default: '/test.php', description: 'The counter page.' },
    address: { type: 'str', default: '127.0.0.1', description: 'Address of the web server as seen from each host.' },
    port: { type: 'int', default: 80, min: 1, description: 'HTTP port.' },
    rounds: { type: 'int', default: 2, min: 1, description: 'How many times to go round all the hosts.' },
    cookie_name: { type: 'str', default: 'PHPSESSID', description: 'The session cookie.' },
    key_prefix: { type: 'str', default: 'PHPREDIS_SESSION:', description: 'Prefix of session keys in Redis.' },
    redis_host: { type: 'str', defaultText: 'the first host of the group redis', description: 'Inventory host to reach Redis through.' },
    redis_address: { type: 'str', default: '127.0.0.1', description: 'Redis address as seen from redis_host.' },
    redis_port: { type: 'int', default: 6379, min: 1, description: 'Redis port.' },
    redis_password: {
      type: 'str',
      required: true,
      noLog: true,
      requiredHint: 'pass the Redis password, e.g. redis_password: "{{redis_password}}"',
      description: 'The Redis password; masked in every output.',
    },
    timeout: { type: 'int', default: 10, min: 1, description: 'Seconds each request may take.' },
  },
  examples: `- name: Sessions are shared through Redis
  session_check:
    redis_host: redis1
    redis_password: "{{redis_password}}"
  run_once: true`,
  returns: {
    sequence: 'Each visit in order: the host and the counter it showed.',
    session_id: 'The session cookie shared by the visits.',
  },
});

function parse(raw: Record<string, unknown>, loc: SourceLoc): SessionCheckArgs {
  const { args: p, reader: a } = parseSpec('session_check', sessionCheckSpec, raw, loc);
  const urlPath = p.url_path;
  if (!urlPath.startsWith('/')) throw a.error(`'url_path' must start with /, got '${urlPath}'`);
  return {
    webHosts: p.web_hosts,
    urlPath,
    address: p.address,
    port: p.port,
    rounds: p.rounds,
    cookieName: p.cookie_name,
    keyPrefix: p.key_prefix,
    redisHost: p.redis_host,
    redisAddress: p.redis_address,
    redisPort: p.redis_port,
    redisPassword: p.redis_password,
    timeoutMs: p.timeout * 1000,
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
  ...specFields(sessionCheckSpec),
  checkMode: 'skip',
  checkModeReason: SESSION_CHECK_CHECK_MODE_REASON,
  parse,
  run,
};
