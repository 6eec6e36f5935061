// The command line end to end (compiled CLI in dist/: build first): `runbook vault ...` and
// `runbook apply --syntax-check` with an encrypted vars_files entry, with and without a password.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptAnsible } from '../../../src/vault/ansible-format.js';
import { RUNBOOK_HEADER } from '../../../src/vault/runbook-format.js';
import { ANSIBLE_PASSWORD, repoRoot, tempDir, VECTORS } from './helpers.js';

const MAIN = join(repoRoot(), 'dist', 'src', 'cli', 'main.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI with no terminal, no config file and no password in the environment unless given. */
function runbook(cwd: string, args: string[], env: Record<string, string> = {}): Run {
  const base: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, NO_COLOR: '1' };
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('runbook vault (CLI)', () => {
  it('encrypt, view, edit and decrypt a file in place', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pw'), 'cli-test-pw\n');
    const file = join(dir, 'secrets.yml');
    writeFileSync(file, 'db_password: old-secret\n', { mode: 0o640 });

    expect(runbook(dir, ['vault', 'encrypt', 'secrets.yml', '--vault-password-file', 'pw']).code).to.equal(0);
    const encrypted = readFileSync(file, 'utf8');
    expect(encrypted.split('\n')[0]).to.equal(RUNBOOK_HEADER);
    expect(encrypted).not.to.contain('old-secret');
    expect(statSync(file).mode & 0o777).to.equal(0o640);
    expect(runbook(dir, ['vault', 'encrypt', 'secrets.yml', '--vault-password-file', 'pw']).stderr).to.contain('already vault-encrypted');

    const view = runbook(dir, ['vault', 'view', 'secrets.yml'], { RUNBOOK_VAULT_PASSWORD: 'cli-test-pw' });
    expect(view.code).to.equal(0);
    expect(view.stdout).to.equal('db_password: old-secret\n');

    // The editor sees the plaintext in a private temporary file; what it saves is encrypted again.
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nstat -c %a "$1" > "$(dirname "$0")/editor-mode"\nsed -i s/old-secret/new-secret/ "$1"\n', { mode: 0o755 });
    expect(runbook(dir, ['vault', 'edit', 'secrets.yml', '--vault-password-file', 'pw'], { EDITOR: editor }).code).to.equal(0);
    expect(readFileSync(join(dir, 'editor-mode'), 'utf8').trim()).to.equal('600');
    expect(readFileSync(file, 'utf8')).not.to.contain('new-secret');
    expect(runbook(dir, ['vault', 'view', 'secrets.yml', '--vault-password-file', 'pw']).stdout).to.equal('db_password: new-secret\n');

    expect(runbook(dir, ['vault', 'decrypt', 'secrets.yml', '--vault-password-file', 'pw']).code).to.equal(0);
    expect(readFileSync(file, 'utf8')).to.equal('db_password: new-secret\n');
  });

  it('edit keeps an Ansible Vault file in Ansible format, label included', () => {
    const dir = tempDir();
    copyFileSync(join(VECTORS, 'ansible-1.2.yml'), join(dir, 'a.yml'));
    const editor = join(dir, 'editor.sh');
    writeFileSync(editor, '#!/bin/sh\nsed -i s/r3dis-pass/changed-pass/ "$1"\n', { mode: 0o755 });
    expect(runbook(dir, ['vault', 'edit', 'a.yml'], { EDITOR: editor, RUNBOOK_VAULT_PASSWORD: ANSIBLE_PASSWORD }).code).to.equal(0);
    const text = readFileSync(join(dir, 'a.yml'), 'utf8');
    expect(text.split('\n')[0]).to.equal('$ANSIBLE_VAULT;1.2;AES256;prod');
    expect(decryptAnsible(text, ANSIBLE_PASSWORD)).to.contain('redis_auth: changed-pass');
  });

  it('view without a password: exit 1 saying how to give one; with a wrong one: exit 1 without echoing it', () => {
    const dir = tempDir();
    copyFileSync(join(VECTORS, 'ansible-1.1.yml'), join(dir, 'a.yml'));
    const none = runbook(dir, ['vault', 'view', 'a.yml']);
    expect(none.code).to.equal(1);
    expect(none.stderr).to.contain('a.yml').and.contain('--vault-password-file');
    const wrong = runbook(dir, ['vault', 'view', 'a.yml'], { RUNBOOK_VAULT_PASSWORD: 'Not-The-Pw-42' });
    expect(wrong.code).to.equal(1);
    expect(wrong.stderr).to.contain('cannot decrypt').and.not.contain('Not-The-Pw-42');
    expect(wrong.stdout).to.equal('');
  });
});

describe('runbook apply with an encrypted vars_files entry', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'pw'), `${ANSIBLE_PASSWORD}\n`);
  copyFileSync(join(VECTORS, 'ansible-1.1.yml'), join(dir, 'secrets.yml'));
  writeFileSync(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    web1:\n');
  writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  vars_files:\n    - secrets.yml\n  tasks:\n    - debug:\n        msg: "{{ db_password }}"\n');

  it('--syntax-check passes with --vault-password-file', () => {
    const r = runbook(dir, ['apply', 'site.yml', '-i', 'hosts.yml', '--syntax-check', '--vault-password-file', 'pw']);
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.stdout).to.contain('playbook: site.yml');
  });

  it('--syntax-check passes with RUNBOOK_VAULT_PASSWORD, and with vault_password_file in runbook.cfg', () => {
    expect(runbook(dir, ['apply', 'site.yml', '-i', 'hosts.yml', '--syntax-check'], { RUNBOOK_VAULT_PASSWORD: ANSIBLE_PASSWORD }).code).to.equal(0);
    const cfgDir = tempDir();
    for (const f of ['pw', 'secrets.yml', 'hosts.yml', 'site.yml']) copyFileSync(join(dir, f), join(cfgDir, f));
    writeFileSync(join(cfgDir, 'runbook.cfg'), '[defaults]\nvault_password_file = pw\n');
    expect(runbook(cfgDir, ['apply', 'site.yml', '-i', 'hosts.yml', '--syntax-check']).code).to.equal(0);
  });

  it('fails with exit 1 naming the file and the ways to give a password when there is none', () => {
    const r = runbook(dir, ['apply', 'site.yml', '-i', 'hosts.yml', '--syntax-check']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(join(dir, 'secrets.yml')).and.contain('--vault-password-file').and.contain('RUNBOOK_VAULT_PASSWORD');
    expect(r.stdout).not.to.contain('playbook:');
  });

  it('fails with exit 1 on a wrong password, without printing it', () => {
    writeFileSync(join(dir, 'bad-pw'), 'Bad-Pw-Value-9\n');
    const r = runbook(dir, ['apply', 'site.yml', '-i', 'hosts.yml', '--syntax-check', '--vault-password-file', 'bad-pw']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain('secrets.yml').and.not.contain('Bad-Pw-Value-9');
  });
});
