// Where the vault password comes from: flag, then environment, then runbook.cfg, then a prompt.
import { expect } from 'chai';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { choosePasswordSource, passwordFile, PASSWORD_ENV } from '../../../src/vault/password.js';
import { tempDir } from './helpers.js';

describe('vault password sources', () => {
  const dir = tempDir();
  const cliFile = join(dir, 'cli-pw');
  const cfgFile = join(dir, 'cfg-pw');
  writeFileSync(cliFile, 'from-cli\n');
  writeFileSync(cfgFile, ' from-config  \r\n');

  it('prefers --vault-password-file, then RUNBOOK_VAULT_PASSWORD, then runbook.cfg, then the terminal', () => {
    const env = { [PASSWORD_ENV]: 'from-env' };
    expect(choosePasswordSource({ cliFile, env, configFile: cfgFile, interactive: true })!.read()).to.equal('from-cli');
    expect(choosePasswordSource({ env, configFile: cfgFile, interactive: true })!.read()).to.equal('from-env');
    expect(choosePasswordSource({ env: {}, configFile: cfgFile, interactive: true })!.read()).to.equal('from-config');
    expect(choosePasswordSource({ env: {}, interactive: true })!.origin).to.equal('the terminal prompt');
    expect(choosePasswordSource({ env: {}, interactive: false })).to.equal(undefined);
    // --ask-vault-pass wins over everything else.
    expect(choosePasswordSource({ ask: true, cliFile, env, configFile: cfgFile })!.origin).to.equal('the terminal prompt');
  });

  it('names the source, never the password', () => {
    expect(choosePasswordSource({ cliFile, env: {} })!.origin).to.equal(`--vault-password-file ${cliFile}`);
    expect(choosePasswordSource({ env: {}, configFile: cfgFile })!.origin).to.contain('runbook.cfg');
    expect(choosePasswordSource({ env: { [PASSWORD_ENV]: 'x' } })!.origin).to.equal(PASSWORD_ENV);
  });

  it('runs an executable password file and takes its output, as Ansible does', () => {
    const script = join(dir, 'pw-script');
    writeFileSync(script, '#!/bin/sh\necho from-script\n');
    chmodSync(script, 0o755);
    expect(passwordFile(script).read()).to.equal('from-script');
  });

  it('refuses an empty or missing password file, and an empty variable', () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '\n');
    expect(() => passwordFile(empty).read()).to.throw(InputError, /is empty/);
    expect(() => passwordFile(join(dir, 'nope')).read()).to.throw(InputError, /cannot read the vault password file/);
    expect(() => choosePasswordSource({ env: { [PASSWORD_ENV]: '' } })!.read()).to.throw(InputError, /RUNBOOK_VAULT_PASSWORD is empty/);
  });
});
