// Creates a throwaway local user with a password and sudo rights for become tests, and removes every trace after.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TempUser {
  name: string;
  password: string;
  remove(): Promise<void>;
}

/** Why the become tests cannot run here, or undefined when they can (root, sudo, useradd, user name free). */
export async function tempUserUnavailable(name: string): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'needs root to create a local user';
  for (const tool of ['/usr/bin/sudo', '/usr/sbin/useradd', '/usr/sbin/userdel', '/usr/sbin/chpasswd']) {
    if (!existsSync(tool)) return `${tool} is missing`;
  }
  const exists = await run('id', ['-u', name]).then(
    () => true,
    () => false,
  );
  return exists ? `user ${name} already exists on this machine; not touching it` : undefined;
}

/**
 * Adds `name` with `password`, a home, /bin/sh, and `name ALL=(ALL:ALL) ALL` in /etc/sudoers.d
 * (sudo asks it for its password). remove() deletes the user, home and sudoers file.
 */
export async function createTempUser(name: string, password: string): Promise<TempUser> {
  const sudoers = `/etc/sudoers.d/runbook-test-${name}`;
  const remove = async (): Promise<void> => {
    await rm(sudoers, { force: true });
    await run('userdel', ['-r', '-f', name]).catch(() => {});
  };
  try {
    await run('useradd', ['-m', '-s', '/bin/sh', name]);
    await feed('chpasswd', [], `${name}:${password}\n`);
    await writeFile(sudoers, `${name} ALL=(ALL:ALL) ALL\n`, { mode: 0o440 });
    await run('visudo', ['-cf', sudoers]);
  } catch (err) {
    await remove();
    throw err;
  }
  return { name, password, remove };
}

/** Runs a command with `input` on stdin, so the password never shows in a process list. */
function feed(cmd: string, args: string[], input: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (${code}): ${err}`))));
    child.stdin.end(input);
  });
}
