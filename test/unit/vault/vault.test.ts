// The per-run Vault as loaders use it: encrypted vars files and inline !vault values decrypt
// transparently, errors name the file (never the password), and decrypted values are masked.
import { expect } from 'chai';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { parseExtraVars } from '../../../src/cli/extra-vars.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { encryptRunbook } from '../../../src/vault/runbook-format.js';
import { passwordValue } from '../../../src/vault/password.js';
import { Vault } from '../../../src/vault/vault.js';
import { loadVarsFile } from '../../../src/yaml/vars-file.js';
import { ANSIBLE_PASSWORD, tempDir, VECTORS } from './helpers.js';

function vaultWith(password: string, secrets = new SecretSet()): Vault {
  return new Vault({ password: passwordValue(password, 'RUNBOOK_VAULT_PASSWORD'), secrets });
}

function caught(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('Vault with the loaders', () => {
  it('loads a runbook-encrypted vars file and masks its values', () => {
    const dir = tempDir();
    const file = join(dir, 'secrets.yml');
    writeFileSync(file, encryptRunbook('db_password: hunter2-long\nport: 6379\nnested: {token: abc-def-ghi}\n', 'pw'));
    const secrets = new SecretSet();
    const vars = loadVarsFile(file, undefined, vaultWith('pw', secrets));
    expect(vars).to.deep.equal({ db_password: 'hunter2-long', port: 6379, nested: { token: 'abc-def-ghi' } });
    expect(secrets.mask('db=hunter2-long t=abc-def-ghi port 6379')).to.equal('db=******** t=******** port 6379');
    // The password itself is a secret too.
    expect(secrets.mask('password pw')).to.equal('password ********');
  });

  it('loads Ansible 1.1 and 1.2 files and inline !vault values with the same password', () => {
    const vault = vaultWith(ANSIBLE_PASSWORD);
    const expected = { db_password: 's3cret-from-ansible', redis_auth: 'r3dis-pass' };
    expect(loadVarsFile(join(VECTORS, 'ansible-1.1.yml'), undefined, vault)).to.deep.equal(expected);
    expect(loadVarsFile(join(VECTORS, 'ansible-1.2.yml'), undefined, vault)).to.deep.equal(expected);
    const secrets = new SecretSet();
    expect(loadVarsFile(join(VECTORS, 'ansible-inline.yml'), undefined, vaultWith(ANSIBLE_PASSWORD, secrets))).to.deep.equal({ plain_var: 'hello', api_token: 'inline-s3cret' });
    // Only the vault value is a secret; the plain one in the same file is not.
    expect(secrets.mask('inline-s3cret hello')).to.equal('******** hello');
  });

  it('without a password: InputError naming the file and how to give one', () => {
    const err = caught(() => loadVarsFile(join(VECTORS, 'ansible-1.1.yml')));
    expect(err.message).to.contain(join(VECTORS, 'ansible-1.1.yml')).and.contain('no vault password');
    expect(err.hint).to.contain('--vault-password-file').and.contain('RUNBOOK_VAULT_PASSWORD').and.contain('vault_password_file');
    // A Vault with no password source says the same.
    const err2 = caught(() => loadVarsFile(join(VECTORS, 'ansible-1.1.yml'), undefined, new Vault()));
    expect(err2.hint).to.contain('--vault-password-file');
  });

  it('an inline !vault value without a password names its file:line:col', () => {
    const err = caught(() => loadVarsFile(join(VECTORS, 'ansible-inline.yml')));
    expect(err.loc).to.deep.include({ file: join(VECTORS, 'ansible-inline.yml'), line: 3 });
    expect(err.describe()).to.contain('ansible-inline.yml:3');
  });

  it('a wrong password: InputError naming the file and where the password came from, never the password', () => {
    const err = caught(() => loadVarsFile(join(VECTORS, 'ansible-1.2.yml'), undefined, vaultWith('Wr0ngPassw0rd')));
    expect(err.message).to.contain('ansible-1.2.yml').and.contain('RUNBOOK_VAULT_PASSWORD');
    expect(`${err.message} ${err.hint ?? ''} ${err.describe()}`).not.to.contain('Wr0ngPassw0rd');
  });

  it('reads the password once, however many files it opens', () => {
    let reads = 0;
    const vault = new Vault({ password: { origin: 'test', read: () => (reads++, ANSIBLE_PASSWORD) } });
    loadVarsFile(join(VECTORS, 'ansible-1.1.yml'), undefined, vault);
    loadVarsFile(join(VECTORS, 'ansible-1.2.yml'), undefined, vault);
    expect(reads).to.equal(1);
  });

  it('loadInventory decrypts an encrypted group_vars file, an encrypted host_vars file and an inline !vault host var', () => {
    const dir = tempDir();
    // The inline value from ansible-vault encrypt_string, re-indented under web1.
    const inline = readFileSync(join(VECTORS, 'ansible-inline.yml'), 'utf8').split('!vault |\n')[1]!.trimEnd().split('\n').map((l) => `            ${l.trim()}`).join('\n');
    writeFileSync(join(dir, 'hosts.yml'), `all:\n  children:\n    web:\n      hosts:\n        web1:\n          api_token: !vault |\n${inline}\n`);
    mkdirSync(join(dir, 'group_vars'));
    copyFileSync(join(VECTORS, 'ansible-1.1.yml'), join(dir, 'group_vars', 'web.yml'));
    mkdirSync(join(dir, 'host_vars'));
    writeFileSync(join(dir, 'host_vars', 'web1.yml'), encryptRunbook('host_secret: per-host-secret\n', ANSIBLE_PASSWORD));
    const secrets = new SecretSet();
    const inv = loadInventory(join(dir, 'hosts.yml'), { vault: vaultWith(ANSIBLE_PASSWORD, secrets) });
    const vars = inv.hostVars('web1');
    expect(vars).to.include({ db_password: 's3cret-from-ansible', redis_auth: 'r3dis-pass', host_secret: 'per-host-secret', api_token: 'inline-s3cret' });
    expect(secrets.mask('per-host-secret r3dis-pass')).to.equal('******** ********');
    const err = caught(() => loadInventory(join(dir, 'hosts.yml')));
    expect(err.message).to.contain(`${join(dir, 'hosts.yml')}:6`);
    // Without the inline value, the first encrypted file met is named.
    writeFileSync(join(dir, 'hosts.yml'), 'all:\n  children:\n    web:\n      hosts:\n        web1:\n');
    expect(caught(() => loadInventory(join(dir, 'hosts.yml'))).message).to.contain(join(dir, 'group_vars', 'web.yml'));
  });

  it('-e @file reads an encrypted file too', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'extra.yml'), encryptRunbook('token: from-extra-vars\n', 'pw'));
    expect(parseExtraVars(['@extra.yml'], dir, vaultWith('pw'))).to.deep.equal({ token: 'from-extra-vars' });
    expect(readFileSync(join(dir, 'extra.yml'), 'utf8')).not.to.contain('from-extra-vars');
  });
});
