// PostgreSQL password verifiers, computed on the controller: postgresql_user compares a password
// with the stored SCRAM-SHA-256 or md5 verifier without setting it, and sets a SCRAM verifier it
// made itself, so the password's text never reaches the host or the server's logs.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const SCRAM = /^SCRAM-SHA-256\$(\d+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)$/;
const MD5 = /^md5[0-9a-f]{32}$/;

/** A value that is already a verifier (used as it is, as Ansible does). */
export function isVerifier(v: string): boolean {
  return SCRAM.test(v) || MD5.test(v);
}

/** SCRAM-SHA-256's stored and server keys for a password, salt and iteration count (RFC 5802/7677). */
function scramKeys(password: string, salt: Buffer, iterations: number): { stored: string; server: string } {
  // PostgreSQL SASLprep-normalises the password; NFKC is its normalisation step (enough for any printable password).
  const salted = pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, iterations, 32, 'sha256');
  const client = createHmac('sha256', salted).update('Client Key').digest();
  const stored = createHash('sha256').update(client).digest('base64');
  const server = createHmac('sha256', salted).update('Server Key').digest('base64');
  return { stored, server };
}

/** A new SCRAM-SHA-256 verifier, as the server makes one (random 16-byte salt, 4096 iterations). */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = 4096): string {
  const { stored, server } = scramKeys(password, salt, iterations);
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${stored}:${server}`;
}

/** md5's verifier: 'md5' and the hex md5 of password then user name. */
export function md5Verifier(password: string, user: string): string {
  return `md5${createHash('md5').update(password + user, 'utf8').digest('hex')}`;
}

/** Whether the stored verifier (rolpassword) is this password's for this user. */
export function passwordMatches(stored: string | null, password: string, user: string): boolean {
  if (stored === null || stored === '') return false;
  if (isVerifier(password)) return stored === password;
  const m = SCRAM.exec(stored);
  if (m) {
    const { stored: key, server } = scramKeys(password, Buffer.from(m[2]!, 'base64'), Number(m[1]));
    return key === m[3] && server === m[4];
  }
  if (MD5.test(stored)) return stored === md5Verifier(password, user);
  return stored === password;
}
