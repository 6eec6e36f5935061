// runbook's own vault format: round trips, the header, 80-column wrapping, and tamper detection.
import { expect } from 'chai';
import { decryptRunbook, encryptRunbook, RUNBOOK_HEADER } from '../../../src/vault/runbook-format.js';
import { VaultDecryptError } from '../../../src/vault/errors.js';

describe('runbook vault format', () => {
  const plaintext = 'db_password: "s3cr&t ü"\nlist:\n  - 1\n' + 'x'.repeat(300) + '\n';

  it('round-trips text, including non-ASCII and long content', () => {
    expect(decryptRunbook(encryptRunbook(plaintext, 'pw'), 'pw')).to.equal(plaintext);
    expect(decryptRunbook(encryptRunbook('', 'pw'), 'pw')).to.equal('');
  });

  it('starts with the versioned header and wraps the base64 body at 80 columns', () => {
    const text = encryptRunbook(plaintext, 'pw');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).to.equal(RUNBOOK_HEADER);
    expect(lines[0]).to.equal('$RUNBOOK_VAULT;1;AES256-GCM;scrypt');
    for (const line of lines.slice(1)) expect(line).to.match(/^[A-Za-z0-9+/=]{1,80}$/);
    expect(lines.slice(1, -1).every((l) => l.length === 80)).to.equal(true);
    expect(text).not.to.contain('s3cr');
  });

  it('uses a fresh salt and nonce each time', () => {
    expect(encryptRunbook('same', 'pw')).not.to.equal(encryptRunbook('same', 'pw'));
  });

  it('refuses a wrong password', () => {
    const text = encryptRunbook(plaintext, 'right');
    expect(() => decryptRunbook(text, 'wrong')).to.throw(VaultDecryptError).with.property('kind', 'password');
  });

  it('refuses an altered body, and an altered header', () => {
    const text = encryptRunbook(plaintext, 'pw');
    // Flip one character of the last body line: the ciphertext, well past salt, nonce and tag.
    const lines = text.trimEnd().split('\n');
    const last = lines.at(-1)!;
    lines[lines.length - 1] = (last[0] === 'A' ? 'B' : 'A') + last.slice(1);
    expect(() => decryptRunbook(lines.join('\n'), 'pw')).to.throw(VaultDecryptError).with.property('kind', 'password');
    expect(() => decryptRunbook(text.replace(';1;', ';2;'), 'pw')).to.throw(VaultDecryptError).with.property('kind', 'format');
  });
});
