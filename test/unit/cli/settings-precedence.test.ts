import { expect } from 'chai';
import type { RunbookConfig } from '../../../src/config/load.js';
import { effectiveSettings } from '../../../src/cli/settings-precedence.js';

describe('cli/settings-precedence: flags over the config file over defaults', () => {
  const cfg: RunbookConfig = { inventory: '/p/hosts', forks: 7, remoteUser: 'deploy', privateKeyFile: '/k', become: true, becomeUser: 'postgres', becomeAskPass: true };
  const table: Array<[string, Record<string, unknown>, RunbookConfig, Record<string, unknown>]> = [
    ['nothing set: built-in defaults', {}, {}, { forks: 20, become: false, askBecomePass: false }],
    ['the file alone', {}, cfg, { inventory: ['/p/hosts'], forks: 7, user: 'deploy', privateKeyFile: '/k', become: true, becomeUser: 'postgres', askBecomePass: true }],
    ['flags over the file', { inventory: 'i.yml', forks: 2, user: 'ops', privateKey: '/k2', becomeUser: 'www-data' }, cfg,
      { inventory: ['i.yml'], forks: 2, user: 'ops', privateKeyFile: '/k2', become: true, becomeUser: 'www-data', askBecomePass: true }],
    ['several -i, in order, over the file', { inventory: ['a.yml', 'web1,web2,'] }, cfg,
      { inventory: ['a.yml', 'web1,web2,'], forks: 7, user: 'deploy', privateKeyFile: '/k', become: true, becomeUser: 'postgres', askBecomePass: true }],
    ['-b and -K turn on what the file leaves off', { become: true, askBecomePass: true }, {}, { forks: 20, become: true, askBecomePass: true }],
  ];
  for (const [what, opts, config, expected] of table) {
    it(what, () => expect(effectiveSettings(opts, config)).to.deep.equal(expected));
  }
});
