// Reads a queue address (redis://[user[:password]@]host:port[/db], rediss:// for TLS) and where its
// password comes from, without ever putting the password into anything that is printed.
import { readFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';

export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** `host:port` (and /db when not 0): the only spelling of the address that messages use. */
  display: string;
}

export interface PasswordSources {
  /** RUNBOOK_QUEUE_PASSWORD. */
  env?: string;
  /** --queue-password-file (or RUNBOOK_QUEUE_PASSWORD_FILE): its first line. */
  file?: string;
}

const HINT = 'write --queue redis://HOST:PORT[/DB] (rediss:// for TLS); give the password in RUNBOOK_QUEUE_PASSWORD or --queue-password-file';

/** Parses the address; the password comes from the URL, else the environment, else a file. */
export function parseQueueUrl(text: string, sources: PasswordSources = {}): QueueAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may hold a password: never echoed.
    throw new InputError('--queue: not a redis:// or rediss:// address', undefined, HINT);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new InputError(`--queue: '${url.protocol}' is not redis: or rediss:`, undefined, HINT);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new InputError('--queue: the address names no host', undefined, HINT);
  const port = url.port ? Number(url.port) : 6379;
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw new InputError(`--queue: '/${dbText}' is not a database number`, undefined, HINT);
  const db = dbText === '' ? 0 : Number(dbText);
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = passwordFrom(url, sources);
  const display = `${host.includes(':') ? `[${host}]` : host}:${port}${db ? `/${db}` : ''}`;
  return { host, port, db, tls: url.protocol === 'rediss:', display, ...(username ? { username } : {}), ...(password !== undefined ? { password } : {}) };
}

function passwordFrom(url: URL, sources: PasswordSources): string | undefined {
  if (url.password) return decodeURIComponent(url.password);
  if (sources.env) return sources.env;
  if (sources.file) {
    let text: string;
    try {
      text = readFileSync(sources.file, 'utf8');
    } catch (err) {
      throw new InputError(`cannot read the queue password file ${sources.file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, undefined, 'name a readable file holding the password on its first line');
    }
    return text.split(/\r?\n/, 1)[0] ?? '';
  }
  return undefined;
}

/** The sources of the environment a command runs in. */
export function passwordSources(env: NodeJS.ProcessEnv, file?: string): PasswordSources {
  const f = file ?? env.RUNBOOK_QUEUE_PASSWORD_FILE;
  return { ...(env.RUNBOOK_QUEUE_PASSWORD ? { env: env.RUNBOOK_QUEUE_PASSWORD } : {}), ...(f ? { file: f } : {}) };
}
