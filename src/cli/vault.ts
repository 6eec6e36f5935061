// `runbook vault encrypt|decrypt|view|edit FILE`, and the vault an `apply` run decrypts with.
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RunbookConfig } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { editInPrivateTemp } from './vault-editor.js';
import { SecretSet } from '../secrets/mask.js';
import { encryptAnsible, parseAnsibleHeader } from '../vault/ansible-format.js';
import { vaultFormatOf } from '../vault/envelope.js';
import { choosePasswordSource } from '../vault/password.js';
import { Vault } from '../vault/vault.js';

const ACTIONS = ['encrypt', 'decrypt', 'view', 'edit'] as const;

function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

/** The password options both `apply` and `vault` take. */
export interface VaultCliOptions {
  vaultPasswordFile?: string;
  askVaultPass?: boolean;
}

function makeVault(opts: VaultCliOptions, config: RunbookConfig, cwd: string, secrets: SecretSet, confirm = false): Vault {
  const cliFile = opts.vaultPasswordFile;
  const password = choosePasswordSource({
    ask: Boolean(opts.askVaultPass),
    ...(cliFile ? { cliFile: resolve(cwd, cliFile) } : {}),
    ...(config.vaultPasswordFile ? { configFile: config.vaultPasswordFile } : {}),
    interactive: interactive(),
    confirm,
  });
  return new Vault({ ...(password ? { password } : {}), secrets });
}

/** The vault and secret set of an `apply` run: --ask-vault-pass, --vault-password-file, $RUNBOOK_VAULT_PASSWORD, runbook.cfg, or a prompt. */
export function vaultForRun(opts: VaultCliOptions, config: RunbookConfig, cwd: string): { vault: Vault; secrets: SecretSet } {
  const secrets = new SecretSet();
  return { vault: makeVault(opts, config, cwd, secrets), secrets };
}

/** Replaces a file through a temporary file and a rename, so a crash never leaves it half-written. */
function writeAtomically(path: string, text: string): void {
  const mode = statSync(path).mode & 0o777;
  const tmp = join(dirname(path), `.${basename(path)}.runbook-vault-${process.pid}`);
  try {
    writeFileSync(tmp, text, { mode: 0o600 });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readFile(path: string): string {
  if (!existsSync(path) || !statSync(path).isFile()) throw new InputError(`${path}: file not found`, undefined, 'name an existing file');
  return readFileSync(path, 'utf8');
}

function requireEncrypted(text: string, path: string): void {
  if (!vaultFormatOf(text)) throw new InputError(`${path} is not vault-encrypted`, undefined, `encrypt it with: runbook vault encrypt ${path}`);
}

/** Re-encrypts in the file's own format, so an Ansible Vault file stays readable by Ansible. */
function reencrypt(vault: Vault, original: string, plaintext: string, path: string): string {
  if (vaultFormatOf(original) !== 'ansible') return vault.encrypt(plaintext, { file: path });
  const header = parseAnsibleHeader(original.trim().split(/\r?\n/, 1)[0] ?? '');
  const password = vault.passwordFor({ file: path });
  return encryptAnsible(plaintext, password, header.label ? { label: header.label } : {});
}

export async function vaultCliCommand(action: string, fileArg: string, opts: VaultCliOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new InputError(`unknown vault action '${action}'`, undefined, didYouMean(action, ACTIONS) ?? `runbook vault ${ACTIONS.join(' | ')} FILE`);
  }
  const cwd = process.cwd();
  const path = resolve(cwd, fileArg);
  const text = readFile(path);
  const vault = makeVault(opts, loadConfig(cwd), cwd, new SecretSet(), action === 'encrypt');
  switch (action) {
    case 'encrypt':
      if (vaultFormatOf(text)) throw new InputError(`${path} is already vault-encrypted`, undefined, `view it with: runbook vault view ${fileArg}`);
      writeAtomically(path, vault.encrypt(text, { file: path }));
      process.stderr.write(`Encryption successful: ${fileArg}\n`);
      return 0;
    case 'decrypt':
      requireEncrypted(text, path);
      writeAtomically(path, vault.decrypt(text, { file: path }));
      process.stderr.write(`Decryption successful: ${fileArg}\n`);
      return 0;
    case 'view':
      requireEncrypted(text, path);
      out.write(vault.decrypt(text, { file: path }));
      return 0;
    default: {
      requireEncrypted(text, path);
      const plaintext = vault.decrypt(text, { file: path });
      const edited = await editInPrivateTemp(plaintext, path);
      if (edited === plaintext) {
        process.stderr.write(`${fileArg} unchanged\n`);
        return 0;
      }
      writeAtomically(path, reencrypt(vault, text, edited, path));
      process.stderr.write(`${fileArg} saved, encrypted\n`);
      return 0;
    }
  }
}
