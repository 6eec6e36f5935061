// Where the vault password comes from, in Ansible's order of precedence: a flag, the
// environment, the config file, then a prompt on the terminal. Read lazily: only when needed.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { InputError } from '../core/errors.js';

export const PASSWORD_ENV = 'RUNBOOK_VAULT_PASSWORD';

export interface PasswordSource {
  /** Where the password comes from, for messages (never the password itself). */
  origin: string;
  read(): string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A password file; as in Ansible, an executable one is run and its stdout is the password.
 * As Ansible does: surrounding whitespace is dropped from a file, line breaks from a script's output.
 */
export function passwordFile(path: string, origin = `--vault-password-file ${path}`): PasswordSource {
  return {
    origin,
    read(): string {
      let password: string;
      try {
        password = isExecutable(path)
          ? execFileSync(path, [], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).replace(/^[\r\n]+|[\r\n]+$/g, '')
          : readFileSync(path, 'utf8').trim();
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(`cannot read the vault password file ${path} (${code ?? (e as Error).message})`, undefined, `fix ${origin}`);
      }
      if (password === '') throw new InputError(`the vault password file ${path} is empty`, undefined, 'put the password on its first line');
      return password;
    },
  };
}

export function passwordValue(value: string, origin: string): PasswordSource {
  return {
    origin,
    read(): string {
      if (value === '') throw new InputError(`${origin} is empty`, undefined, `set ${origin} to the vault password, or unset it`);
      return value;
    },
  };
}

/** Asks on the controlling terminal with echo off. Synchronous, so loaders can ask mid-load. */
export function promptPassword(prompt = 'Vault password: '): PasswordSource {
  return {
    origin: 'the terminal prompt',
    read(): string {
      let fd: number;
      try {
        fd = openSync('/dev/tty', 'r+');
      } catch {
        throw new InputError('cannot ask for the vault password: there is no terminal', undefined, PASSWORD_HINT);
      }
      const stty = (arg: string): void => void spawnSync('stty', [arg], { stdio: [fd, 'ignore', 'ignore'] });
      try {
        writeSync(fd, prompt);
        stty('-echo');
        const bytes: number[] = [];
        const one = Buffer.alloc(1);
        while (readSync(fd, one, 0, 1, null) === 1 && one[0] !== 0x0a && one[0] !== 0x0d) bytes.push(one[0]!);
        return Buffer.from(bytes).toString('utf8');
      } finally {
        stty('echo');
        writeSync(fd, '\n');
        closeSync(fd);
      }
    },
  };
}

/** For a new encryption on a terminal: asks twice, so a typo does not lock the file away. */
export function promptNewPassword(): PasswordSource {
  const ask = promptPassword('New vault password: ');
  const again = promptPassword('Confirm new vault password: ');
  return {
    origin: 'the terminal prompt',
    read(): string {
      const first = ask.read();
      if (first === '') throw new InputError('the vault password is empty', undefined, 'type a password');
      if (again.read() !== first) throw new InputError('the two vault passwords differ', undefined, 'run the command again and type the same password twice');
      return first;
    },
  };
}

export interface PasswordChoice {
  /** --vault-password-file, resolved. */
  cliFile?: string;
  env?: NodeJS.ProcessEnv;
  /** runbook.cfg's vault_password_file, resolved. */
  configFile?: string;
  /** Whether asking on the terminal is possible (stdin and stderr are TTYs). */
  interactive?: boolean;
  /** Encrypting: a terminal prompt asks twice. */
  confirm?: boolean;
  /** --ask-vault-pass: always ask on the terminal, whatever else is set. */
  ask?: boolean;
}

/** The first password source that is set, or undefined when none is (then encrypted input is an error). */
export function choosePasswordSource(choice: PasswordChoice): PasswordSource | undefined {
  const env = choice.env ?? process.env;
  if (choice.ask) return choice.confirm ? promptNewPassword() : promptPassword();
  if (choice.cliFile) return passwordFile(choice.cliFile);
  if (env[PASSWORD_ENV] !== undefined) return passwordValue(env[PASSWORD_ENV], PASSWORD_ENV);
  if (choice.configFile) return passwordFile(choice.configFile, `vault_password_file ${choice.configFile} (runbook.cfg)`);
  if (choice.interactive) return choice.confirm ? promptNewPassword() : promptPassword();
  return undefined;
}

export const PASSWORD_HINT = `give the vault password with --vault-password-file FILE, the ${PASSWORD_ENV} environment variable, or vault_password_file in runbook.cfg (or run on a terminal to be asked)`;
