// The SSH authentication methods to try for a host, in OpenSSH's spirit: explicit key, agent, default keys, password.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, ParsedKey } from 'ssh2';
import { UnreachableError } from '../core/errors.js';
import type { ConnectionSpec } from './types.js';

export interface AuthPlan {
  methods: AnyAuthMethod[];
  /** Human names of what will be tried, for the "authentication failed" message. */
  tried: string[];
}

/** Key files OpenSSH tries when none is configured. */
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export async function authPlan(spec: ConnectionSpec, env: NodeJS.ProcessEnv = process.env): Promise<AuthPlan> {
  const username = spec.user;
  const methods: AnyAuthMethod[] = [];
  const tried: string[] = [];
  if (spec.privateKeyFile) {
    methods.push({ type: 'publickey', username, key: await loadExplicitKey(spec) });
    tried.push(`key ${spec.privateKeyFile}`);
  }
  const agent = env.SSH_AUTH_SOCK;
  if (agent) {
    methods.push({ type: 'agent', username, agent });
    tried.push('ssh-agent');
  }
  if (!spec.privateKeyFile) {
    for (const name of DEFAULT_IDENTITIES) {
      const file = join(homedir(), '.ssh', name);
      const key = await loadKeyQuietly(file);
      if (key) {
        methods.push({ type: 'publickey', username, key });
        tried.push(`key ${file}`);
      }
    }
  }
  const password = spec.password;
  if (password !== undefined) {
    methods.push({ type: 'password', username, password });
    methods.push({
      type: 'keyboard-interactive',
      username,
      // Servers that only allow keyboard-interactive (PAM) ask for the password this way.
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
    });
    tried.push('password');
  }
  return { methods, tried };
}

async function loadExplicitKey(spec: ConnectionSpec): Promise<ParsedKey> {
  const file = spec.privateKeyFile!;
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (err) {
    throw new UnreachableError(
      spec.name,
      `cannot read the private key ${file} for ${spec.name}: ${(err as Error).message}`,
      'check ansible_ssh_private_key_file / --private-key',
    );
  }
  const key = parse(data, file);
  if (key instanceof Error) {
    const encrypted = /encrypted|passphrase/i.test(key.message);
    throw new UnreachableError(
      spec.name,
      `cannot use the private key ${file} for ${spec.name}: ${key.message}`,
      encrypted ? `load it into ssh-agent instead (ssh-add ${file}) and leave SSH_AUTH_SOCK set` : 'point ansible_ssh_private_key_file at an OpenSSH or PEM private key',
    );
  }
  return key;
}

/** Default identities are optional: a missing, unreadable or passphrase-protected one is skipped (the agent may hold it). */
async function loadKeyQuietly(file: string): Promise<ParsedKey | undefined> {
  try {
    const key = parse(await readFile(file), file);
    return key instanceof Error ? undefined : key;
  } catch {
    return undefined;
  }
}

/**
 * The last parse of each key file's content: every connection of a run reads the same key, and
 * parsing it (ASN.1 and PEM conversion in ssh2) cost about 1 ms per host. Keyed by content, so an
 * edited file is parsed again.
 */
const parsedKeys = new Map<string, { data: Buffer; key: ParsedKey | Error }>();

function parse(data: Buffer, file: string): ParsedKey | Error {
  const cached = parsedKeys.get(file);
  if (cached?.data.equals(data)) return cached.key;
  const key = parseUncached(data);
  parsedKeys.set(file, { data, key });
  return key;
}

function parseUncached(data: Buffer): ParsedKey | Error {
  const parsed = ssh2.utils.parseKey(data);
  if (parsed instanceof Error) return parsed;
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
  if (!key) return new Error('no key found in file');
  if (!key.isPrivateKey()) return new Error('this is a public key, not a private key');
  return signingWithKeyObject(key);
}

/**
 * ssh2 signs the login with the key's PEM text, which node:crypto parses again for every signature:
 * 0.58 ms per connection for an ed25519 key against 0.04 ms with a KeyObject made once (1,000 hosts:
 * 0.5 s of the run's CPU). The key's own sign() is replaced by one over a KeyObject, with ssh2's
 * default hash for the key type when the server names none; if ssh2's internals are not where this
 * expects them, the key keeps its own sign().
 */
export function signingWithKeyObject(key: ParsedKey): ParsedKey {
  const hashSymbol = Object.getOwnPropertySymbols(key).find((s) => s.description === 'Hash Algorithm');
  if (!hashSymbol) return key;
  const defaultHash = (key as unknown as Record<symbol, string | null | undefined>)[hashSymbol];
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key.getPrivatePEM());
  } catch {
    return key;
  }
  // ssh2 reports a failed signature as a returned Error, as its own sign() does.
  key.sign = ((data: Buffer | string, algo?: string): Buffer | Error => {
    try {
      return sign(algo || defaultHash || null, typeof data === 'string' ? Buffer.from(data) : data, keyObject);
    } catch (err) {
      return err as Error;
    }
  }) as ParsedKey['sign'];
  return key;
}
