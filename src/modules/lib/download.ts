// Downloads on the host with curl, for get_url and unarchive's remote URLs. Everything that may be
// secret (the URL with its query, the user and password, the headers) goes to curl as a config
// file on stdin (`curl -K -`), never on a command line where `ps` would show it.
import { shQuote } from '../../core/shell.js';

/** How to reach the URL: Ansible's url arguments (module_utils/urls.py) that curl can honour. */
export interface FetchOptions {
  url: string;
  headers?: Record<string, unknown>;
  username?: string;
  password?: string;
  forceBasicAuth?: boolean;
  /** Seconds without progress (and to connect) before giving up. */
  timeout?: number;
  validateCerts?: boolean;
  useProxy?: boolean;
  httpAgent?: string;
  clientCert?: string;
  clientKey?: string;
}

/** The curl tool check: `tools` section lines `curl=1` when curl is there. */
export const CURL_CHECK = 'command -v curl >/dev/null 2>&1 && echo curl=1; :';

export const NO_CURL = 'get_url and unarchive download with curl on the host, and curl is not installed there: install it first (apt: name=curl)';

/** A value in curl's config syntax: double quotes, with \\ \" \n \r \t escaped (curl's own rules). */
export function curlQuote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** The config curl reads on stdin: the URL, the credentials, the headers and the agent. */
export function curlConfig(o: FetchOptions): string {
  const lines = [`url = ${curlQuote(o.url)}`];
  if (o.username !== undefined) lines.push(`user = ${curlQuote(`${o.username}:${o.password ?? ''}`)}`);
  for (const [k, v] of Object.entries(o.headers ?? {})) lines.push(`header = ${curlQuote(`${k}: ${String(v ?? '')}`)}`);
  if (o.httpAgent) lines.push(`user-agent = ${curlQuote(o.httpAgent)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * curl's flags besides the config, none secret: fail on HTTP errors, follow redirects, the timeout
 * as connect time and stall time (Ansible's is a socket timeout, not a limit on the whole transfer).
 * Without force_basic_auth the credentials are only sent when the server asks (--anyauth), as Ansible does.
 */
export function curlFlags(o: FetchOptions): string {
  const t = o.timeout ?? 10;
  const flags = ['-K', '-', '-sS', '--fail', '-L', '--connect-timeout', String(t), '--speed-time', String(t), '--speed-limit', '1'];
  if (o.username !== undefined) flags.push(o.forceBasicAuth ? '--basic' : '--anyauth');
  if (o.validateCerts === false) flags.push('-k');
  if (o.useProxy === false) flags.push('--noproxy', '*');
  if (o.clientCert) flags.push('--cert', o.clientCert);
  if (o.clientKey) flags.push('--key', o.clientKey);
  return flags.map(shQuote).join(' ');
}

/** The checksum algorithms get_url takes, each with its coreutils tool. */
export const DIGESTS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type Digest = (typeof DIGESTS)[number];

/** Ansible's url_filename: the last part of the URL's path, or index.html. */
export function urlFilename(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/[?#].*$/, '');
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base === '' ? 'index.html' : base;
}

/**
 * Finds the digest for `filename` in a checksum file, as Ansible 2.14's get_url reads one: a file
 * holding only a digest, or lines "DIGEST  NAME" / "DIGEST *NAME" (a leading ./ ignored).
 */
export function digestFromList(text: string, filename: string): string | undefined {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
  if (lines.length === 1 && lines[0]!.trim().split(/\s+/).length === 1) return normalDigest(lines[0]!);
  for (const line of lines) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    let name = line.slice(sp + 1);
    if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1);
    if (name.replace(/^[./]+/, '').replace(/[./]+$/, '') === filename.replace(/^[./]+/, '').replace(/[./]+$/, '')) return normalDigest(line.slice(0, sp));
  }
  return undefined;
}

/** Ansible drops every non-word character and lowercases. */
export function normalDigest(text: string): string {
  return text.replace(/\W+/g, '').toLowerCase();
}
