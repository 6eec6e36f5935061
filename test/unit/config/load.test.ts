import { expect } from 'chai';
import { loadConfig } from '../../../src/config/load.js';
import { expectInputError, fixture, inputError } from '../yaml/helpers.js';

const project = fixture('config', 'project');
const home = fixture('config', 'home');
const bad = (n: string): string => fixture('config', 'bad', n);

describe('config/load', () => {
  it('reads ./runbook.cfg, resolving paths against its folder and ~ against HOME', () => {
    const c = loadConfig(project, { HOME: home });
    expect(c).to.deep.equal({
      file: `${project}/runbook.cfg`,
      inventory: `${project}/inventory/production.yml`,
      forks: 30,
      rolesPath: [`${project}/roles`, '/opt/shared/roles', `${home}/roles`],
      knownHostsFile: `${project}/lab/known_hosts`,
      hostKeyChecking: false,
      vaultPasswordFile: `${home}/.vault_pass`,
      remoteUser: 'deploy',
      privateKeyFile: `${project}/keys/id_ed25519`,
      timeout: 20,
    });
  });

  it('prefers $RUNBOOK_CONFIG, resolved from the working directory', () => {
    const c = loadConfig(fixture('config'), { HOME: home, RUNBOOK_CONFIG: 'home/.runbook.cfg' });
    expect(c).to.deep.equal({ file: `${home}/.runbook.cfg`, forks: 5 });
  });

  it('falls back to ~/.runbook.cfg, and to nothing', () => {
    expect(loadConfig(fixture('config', 'bad'), { HOME: home }).forks).to.equal(5);
    expect(loadConfig(fixture('config', 'bad'), { HOME: fixture('config', 'bad') })).to.deep.equal({});
  });

  it('refuses a $RUNBOOK_CONFIG that does not exist', () => {
    expect(inputError(() => loadConfig(project, { HOME: home, RUNBOOK_CONFIG: 'nope.cfg' })).message).to.contain('RUNBOOK_CONFIG');
  });

  const env = (file: string) => ({ HOME: home, RUNBOOK_CONFIG: bad(file) });

  it('an unknown setting gets a did-you-mean', () => {
    const e = expectInputError(() => loadConfig(project, env('unknown-key.cfg')), bad('unknown-key.cfg'), 3, 1, "unknown setting 'frosk'");
    expect(e.hint).to.equal("did you mean 'forks'?");
  });

  it('a bad number points at the value', () => {
    expectInputError(() => loadConfig(project, env('bad-forks.cfg')), bad('bad-forks.cfg'), 2, 9, "forks must be a whole number of at least 1, found 'many'");
  });

  it('a bad boolean points at the value', () => {
    expectInputError(() => loadConfig(project, env('bad-bool.cfg')), bad('bad-bool.cfg'), 2, 21, 'host_key_checking must be yes/no');
  });

  it('an unknown section gets a did-you-mean', () => {
    const e = expectInputError(() => loadConfig(project, env('section.cfg')), bad('section.cfg'), 1, 1, 'unknown section [default]');
    expect(e.hint).to.equal("did you mean 'defaults'?");
  });

  it('a setting outside any section, and a setting given twice', () => {
    expectInputError(() => loadConfig(project, env('outside.cfg')), bad('outside.cfg'), 1, 1, 'outside any section');
    expectInputError(() => loadConfig(project, env('dup.cfg')), bad('dup.cfg'), 3, 3, "'forks' is set twice");
  });
});
