// HTTP/1.1 (and HTTPS) over any Duplex, usually an SSH tunnel: node:http does the protocol,
// createConnection hands it the tunnel instead of a TCP socket.
import { request } from 'node:http';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { isIP } from 'node:net';
import { socketLike, withDeadline } from './stream-util.js';

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: Buffer;
  timeoutMs: number;
  /** HTTPS only: verify the server's certificate (default true). */
  validateCerts?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; set-cookie stays a list. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** The port a URL means, defaults included. */
export function urlPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/**
 * Sends one request on a fresh stream from `open` (one tunnel per request, `Connection: close`,
 * so nothing is left open on the host) and reads the whole answer.
 */
export async function requestOverStream(open: () => Promise<Duplex>, req: HttpRequest): Promise<HttpResponse> {
  const raw = socketLike(await withDeadline(open(), req.timeoutMs, `opening a tunnel to ${req.url.host}`));
  const stream: Duplex =
    req.url.protocol === 'https:'
      ? tlsConnect({ socket: raw, servername: isIP(req.url.hostname) ? undefined : req.url.hostname, rejectUnauthorized: req.validateCerts ?? true })
      : raw;
  const headers: Record<string, string> = { host: req.url.host, connection: 'close', ...lowerKeys(req.headers) };
  if (req.body !== undefined) headers['content-length'] = String(req.body.length);

  const answer = new Promise<HttpResponse>((resolve, reject) => {
    const r = request({ method: req.method, path: `${req.url.pathname}${req.url.search}`, headers, createConnection: () => stream as never }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers as HttpResponse['headers'], body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  });
  try {
    return await withDeadline(answer, req.timeoutMs, `${req.method} ${req.url.href}`);
  } finally {
    stream.destroy();
    raw.destroy();
  }
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
