// The lab's credentials: its SSH key pair, the deploy user's sudo password, hosts' SSH keys and known_hosts.
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from './exec.js';
import { writeFresh } from './files.js';

export const KEY_FILE = 'id_ed25519';
export const DEPLOY_PASSWORD_FILE = 'deploy-password';
const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** Creates the lab's ed25519 key pair in `dir` once; later labs in that dir reuse it. */
export async function ensureLabKey(dir: string, comment: string): Promise<string> {
  const key = join(dir, KEY_FILE);
  if (!existsSync(key) || !existsSync(`${key}.pub`)) {
    await run('rm', ['-f', key, `${key}.pub`]);
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', key]);
  }
  return key;
}

/** The deploy user's sudo password, made once per lab dir (so become with a password can be tested). */
export async function ensureDeployPassword(dir: string): Promise<string> {
  const file = join(dir, DEPLOY_PASSWORD_FILE);
  const found = await readFile(file, 'utf8').catch(() => '');
  if (found.trim()) return found.trim();
  const password = randomString(ALNUM, 20);
  await writeFresh(file, `${password}\n`, { mode: 0o600 });
  return password;
}

/** A random string of `length` drawn from `alphabet`, that also holds every char of `required` once. */
export function randomString(alphabet: string, length: number, required = ''): string {
  const chars = [...required];
  while (chars.length < length) chars.push(alphabet[randomInt(alphabet.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Makes a host's SSH host keys once in `keysDir`/etc/ssh, kept for the lab's life so a reset host keeps its identity. */
export async function ensureHostKeys(keysDir: string): Promise<string> {
  const sshDir = join(keysDir, 'etc/ssh');
  await mkdir(sshDir, { recursive: true, mode: 0o700 });
  await run('ssh-keygen', ['-A', '-f', keysDir]);
  return sshDir;
}

/** known_hosts lines for a host: every public host key, under its address. */
export async function knownHostsLines(address: string, sshDir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const f of (await readdir(sshDir)).sort()) {
    if (!/^ssh_host_\w+_key\.pub$/.test(f)) continue;
    const [type, key] = (await readFile(join(sshDir, f), 'utf8')).trim().split(/\s+/);
    lines.push(`${address} ${type} ${key}`);
  }
  return lines;
}
