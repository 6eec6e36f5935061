// Ansible Vault compatibility, against files written by ansible-vault itself (test/fixtures/vault).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptAnsible, encryptAnsible, parseAnsibleHeader } from '../../../src/vault/ansible-format.js';
import { VaultDecryptError } from '../../../src/vault/errors.js';
import { ANSIBLE_PASSWORD, VECTORS } from './helpers.js';

const PLAIN = '---\ndb_password: s3cret-from-ansible\nredis_auth: r3dis-pass\n';

describe('Ansible Vault format', () => {
  it('decrypts a $ANSIBLE_VAULT;1.1;AES256 file written by ansible-vault', () => {
    const text = readFileSync(join(VECTORS, 'ansible-1.1.yml'), 'utf8');
    expect(text.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).to.equal(true);
    expect(decryptAnsible(text, ANSIBLE_PASSWORD)).to.equal(PLAIN);
  });

  it('decrypts a 1.2 file with a vault-id label', () => {
    const text = readFileSync(join(VECTORS, 'ansible-1.2.yml'), 'utf8');
    expect(parseAnsibleHeader(text.split('\n')[0]!)).to.deep.equal({ version: '1.2', cipher: 'AES256', label: 'prod' });
    expect(decryptAnsible(text, ANSIBLE_PASSWORD)).to.equal(PLAIN);
  });

  it('decrypts the inline value of encrypt_string once its YAML indentation is gone', () => {
    const yaml = readFileSync(join(VECTORS, 'ansible-inline.yml'), 'utf8');
    const block = yaml.split('!vault |\n')[1]!.split('\n').map((l) => l.trim()).join('\n');
    expect(decryptAnsible(block, ANSIBLE_PASSWORD)).to.equal('inline-s3cret');
  });

  it('refuses a wrong password (HMAC mismatch), before decrypting anything', () => {
    const text = readFileSync(join(VECTORS, 'ansible-1.1.yml'), 'utf8');
    expect(() => decryptAnsible(text, 'not-it')).to.throw(VaultDecryptError).with.property('kind', 'password');
  });

  it('writes what it reads: 1.1 without a label, 1.2 with one, hex wrapped at 80 columns', () => {
    const salt = Buffer.alloc(32, 7);
    const v11 = encryptAnsible('a: 1\n', 'pw', { salt });
    expect(v11.split('\n')[0]).to.equal('$ANSIBLE_VAULT;1.1;AES256');
    expect(v11.trimEnd().split('\n').slice(1).every((l) => /^[0-9a-f]{1,80}$/.test(l))).to.equal(true);
    // A fixed salt makes the output deterministic: same key, counter and HMAC.
    expect(encryptAnsible('a: 1\n', 'pw', { salt })).to.equal(v11);
    expect(decryptAnsible(v11, 'pw')).to.equal('a: 1\n');
    const v12 = encryptAnsible('b: 2\n', 'pw', { label: 'dev' });
    expect(v12.split('\n')[0]).to.equal('$ANSIBLE_VAULT;1.2;AES256;dev');
    expect(decryptAnsible(v12, 'pw')).to.equal('b: 2\n');
  });

  it('names unsupported versions and ciphers', () => {
    expect(() => parseAnsibleHeader('$ANSIBLE_VAULT;1.0;AES')).to.throw(/1\.0 is not supported/);
    expect(() => parseAnsibleHeader('$ANSIBLE_VAULT;1.1;AES128')).to.throw(/AES128 is not supported/);
  });
});
