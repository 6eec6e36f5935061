// `uri`: an HTTP request checked from the controller, sent through an SSH tunnel (the task's host
// by default, or `via` another host), so a web server is tested without opening it to the controller.
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { SourceLoc, Vars } from '../../core/types.js';
import type { ArgReader } from '../lib/args.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionContext, ActionModule, ActionOutcome } from '../types.js';
import { cookieHeader, parseSetCookie } from './cookies.js';
import { requestOverStream, urlPort, type HttpResponse } from './http-tunnel.js';
import { errorText } from './stream-util.js';

export interface UriArgs {
  url: URL;
  method: string;
  statusCodes: number[];
  returnContent: boolean;
  headers: Record<string, string>;
  body?: Buffer;
  via?: string;
  tunnel: boolean;
  timeoutMs: number;
  followRedirects: 'none' | 'safe' | 'all';
  validateCerts: boolean;
  expectContent: string[];
  expectCookies: string[];
}

const SAFE_METHODS = ['GET', 'HEAD'];

function parseBody(a: ArgReader, headers: Record<string, string>): Buffer | undefined {
  const body = a.value('body');
  if (body === undefined) return undefined;
  const format = a.choice('body_format', ['raw', 'json', 'form-urlencoded'] as const, typeof body === 'string' ? 'raw' : 'json');
  const setType = (t: string) => {
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = t;
  };
  if (format === 'json') {
    setType('application/json');
    return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  }
  if (format === 'form-urlencoded') {
    setType('application/x-www-form-urlencoded');
    if (typeof body === 'string') return Buffer.from(body);
    return Buffer.from(new URLSearchParams(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)])).toString());
  }
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

export const uriSpec = defineSpec({
  description: 'An HTTP request checked from the controller through an SSH tunnel to the host (or via another host), so a web server is tested without opening it to the controller.',
  args: {
    url: { type: 'str', required: true, description: 'The full URL, as seen from the host (http://127.0.0.1/test.php).' },
    method: { type: 'str', default: 'GET', description: 'HTTP method.' },
    status_code: { type: 'raw', default: '200', description: 'Status code(s) that count as success.', schema: { type: ['integer', 'string', 'array', 'null'] } },
    return_content: { type: 'bool', default: false, description: "Put the response body in the result's content." },
    headers: { type: 'dict', description: 'Request headers.' },
    body: { type: 'raw', description: 'Request body: text, or a mapping sent as JSON or form data (see body_format).' },
    body_format: { type: 'str', choices: ['raw', 'json', 'form-urlencoded'], defaultText: 'json for a mapping, raw for text', description: 'How to send a mapping body.' },
    via: { type: 'str', description: "Send the request through this inventory host instead of the task's host." },
    tunnel: { type: 'bool', default: true, description: 'Send the request through the SSH connection; false: straight from the controller.' },
    timeout: { type: 'int', default: 30, min: 1, description: 'Seconds before giving up.' },
    follow_redirects: {
      type: 'raw',
      choices: ['none', 'safe', 'all'],
      default: 'safe',
      description: 'Follow redirects: none, safe (GET and HEAD only) or all; yes/no mean safe/none.',
    },
    validate_certs: { type: 'bool', default: true, description: "Check the server's TLS certificate." },
    expect_content: { type: 'list', default: [], description: 'Text(s) the body must contain.' },
    expect_cookies: { type: 'list', default: [], description: 'Cookie name(s) the response must set.' },
  },
  examples: `- name: The PHP page answers
  uri:
    url: http://127.0.0.1/test.php
    return_content: yes
    expect_content: counter
  register: page`,
  returns: {
    status: 'HTTP status code (-1 when the request failed).',
    url: 'The URL requested.',
    headers: 'Response headers, by their lower-case names.',
    'content_type, content_length, …': "Each response header again as a top-level key, lower-cased with '_' for '-', as Ansible returns them (a relative location made absolute).",
    cookies: 'Cookies the response set.',
    content: 'The body (with return_content, or when a check failed).',
    json: 'The body parsed, when it is JSON.',
    elapsed: 'Seconds the request took.',
  },
});

function parse(raw: Record<string, unknown>, loc: SourceLoc): UriArgs {
  const { args: p, reader: a } = parseSpec('uri', uriSpec, raw, loc);
  let url: URL;
  try {
    url = new URL(a.requiredStr('url'));
  } catch {
    throw a.error(`'url' is not a valid URL: '${a.str('url')}'`, 'write it in full, e.g. http://127.0.0.1/test.php');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw a.error(`'url' must be http:// or https://, got '${url.protocol}'`);
  const headers = Object.fromEntries(Object.entries(p.headers ?? {}).map(([k, v]) => [k, String(v)]));
  const codes = a.value('status_code');
  const statusCodes = (Array.isArray(codes) ? codes : codes === undefined ? [200] : String(codes).split(',')).map((c) => Number(String(c).trim()));
  if (statusCodes.some((c) => !Number.isInteger(c) || c < 100 || c > 599)) throw a.error(`'status_code' must be an HTTP status or a list of them, got ${JSON.stringify(codes)}`);
  const follow = a.value('follow_redirects');
  return {
    url,
    method: p.method.toUpperCase(),
    statusCodes,
    returnContent: p.return_content,
    headers,
    body: parseBody(a, headers),
    via: p.via,
    tunnel: p.tunnel,
    timeoutMs: p.timeout * 1000,
    followRedirects: follow === true || follow === 'yes' ? 'safe' : follow === false || follow === 'no' ? 'none' : a.choice('follow_redirects', ['none', 'safe', 'all'] as const, 'safe'),
    validateCerts: p.validate_certs,
    expectContent: p.expect_content,
    expectCookies: p.expect_cookies,
  };
}

/** Where the TCP stream starts: the task host's tunnel, another host's (`via`), or the controller itself. */
async function opener(args: UriArgs, ctx: ActionContext): Promise<(url: URL) => Promise<Duplex>> {
  if (!args.tunnel) {
    return (url) =>
      new Promise((resolve, reject) => {
        const s = connect(urlPort(url), url.hostname);
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      });
  }
  const transport = args.via ? await ctx.connect(args.via) : ctx.transport;
  return (url) => transport.forward(url.hostname, urlPort(url));
}

function isRedirect(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}

async function run(args: UriArgs, ctx: ActionContext): Promise<ActionOutcome> {
  if (ctx.check && !SAFE_METHODS.includes(args.method)) {
    return { changed: false, skipped: `check mode: a ${args.method} request may change the server, so it is not sent` };
  }
  const from = !args.tunnel ? 'the controller' : `${args.via ?? ctx.host}'s SSH tunnel`;
  const open = await opener(args, ctx);
  const jar: Record<string, string> = {};
  let url = args.url;
  let res: HttpResponse;
  const started = Date.now();
  for (let hops = 0; ; hops++) {
    const headers = { ...args.headers };
    if (hops > 0 && Object.keys(jar).length > 0) {
      // Cookies set along a redirect chain go back with the next hop, after the user's own.
      const own = Object.keys(headers).find((k) => k.toLowerCase() === 'cookie');
      const mine = own ? headers[own] : undefined;
      if (own) delete headers[own];
      headers.Cookie = [mine, cookieHeader(jar)].filter(Boolean).join('; ');
    }
    try {
      res = await requestOverStream(() => open(url), { method: args.method, url, headers, body: args.body, timeoutMs: args.timeoutMs, validateCerts: args.validateCerts });
    } catch (err) {
      return { changed: false, failed: `${args.method} ${url.href} through ${from}: ${errorText(err)}`, data: { url: url.href, status: -1 } };
    }
    Object.assign(jar, parseSetCookie(res.headers['set-cookie']));
    const location = res.headers.location;
    const follow = args.followRedirects === 'all' || (args.followRedirects === 'safe' && SAFE_METHODS.includes(args.method));
    if (!follow || !isRedirect(res.status) || typeof location !== 'string' || hops >= 5) break;
    url = new URL(location, url);
  }
  return judge(args, res, url, jar, from, (Date.now() - started) / 1000);
}

/**
 * Ansible's uri returns each response header as a top-level key too, lower-cased with '-' as '_'
 * (`content_type`, `content_length`, `last_modified`), and a relative `location` made absolute.
 * Its own keys (status, url, ...) are set after them and win, as in Ansible.
 */
export function headerKeys(headers: Record<string, string | undefined>, url: URL): Vars {
  const out: Vars = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase().replace(/-/g, '_')] = v;
  if (typeof out.location === 'string') {
    try {
      out.location = new URL(out.location, url).href;
    } catch {
      // Not a URL at all: kept as the server sent it.
    }
  }
  return out;
}

function judge(args: UriArgs, res: HttpResponse, url: URL, jar: Record<string, string>, from: string, elapsed: number): ActionOutcome {
  const content = res.body.toString('utf8');
  const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]));
  const data: Vars = { ...headerKeys(headers, url), status: res.status, url: url.href, headers, cookies: jar, cookies_string: cookieHeader(jar), elapsed, redirected: url.href !== args.url.href };
  if (/json/.test(String(res.headers['content-type'] ?? ''))) {
    try {
      data.json = JSON.parse(content);
    } catch {
      // Not JSON after all; content still carries it.
    }
  }
  const failures: string[] = [];
  if (!args.statusCodes.includes(res.status)) failures.push(`status was ${res.status}, expected ${args.statusCodes.join(' or ')}`);
  for (const text of args.expectContent) if (!content.includes(text)) failures.push(`the content does not contain '${text}'`);
  for (const name of args.expectCookies) if (!(name in jar)) failures.push(`no cookie '${name}' was set`);
  if (args.returnContent || failures.length > 0) data.content = content;
  const what = `${args.method} ${url.href} through ${from}`;
  if (failures.length > 0) {
    const excerpt = content.trim().slice(0, 300);
    return { changed: false, failed: `${what}: ${failures.join('; ')}${excerpt ? `\n${excerpt}` : ''}`, data };
  }
  return { changed: false, msg: `${what}: HTTP ${res.status}`, data };
}

export const uriModule: ActionModule<UriArgs> = {
  kind: 'action',
  name: 'uri',
  ...specFields(uriSpec),
  // Runs in check mode for GET and HEAD only; run() skips other methods there, with why.
  checkMode: 'run',
  parse,
  run,
};
