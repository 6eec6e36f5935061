import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../src/config/load.js';
import { inputError } from '../yaml/helpers.js';

describe('config: ansible.cfg', () => {
  let root: string;
  let project: string;
  let home: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ansible-cfg-'));
    project = join(root, 'project');
    home = join(root, 'home');
    mkdirSync(project);
    mkdirSync(home);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const load = (text: string) => {
    writeFileSync(join(project, 'ansible.cfg'), text);
    return loadConfig(project, { HOME: home });
  };

  // cfg text -> the settings it gives and the warnings it raises (file:line:col prefixes checked below).
  const table: Array<[string, string, (p: string, h: string) => Record<string, unknown>, string[]]> = [
    ['the supported [defaults] keys, paths relative to the file and ~ to HOME',
      '[defaults]\nroles_path = roles:~/galaxy:/opt/roles\ninventory = hosts.ini\nremote_user = deploy\nforks = 7\nprivate_key_file = ~/.ssh/deploy\nvault_password_file = .vault_pass\n',
      (p, h) => ({ rolesPath: [`${p}/roles`, `${h}/galaxy`, '/opt/roles'], inventory: `${p}/hosts.ini`, remoteUser: 'deploy', forks: 7, privateKeyFile: `${h}/.ssh/deploy`, vaultPasswordFile: `${p}/.vault_pass` }),
      []],
    ['[privilege_escalation] become settings; become_method = sudo is what runbook does',
      '[privilege_escalation]\nbecome = True\nbecome_method = sudo\nbecome_user = postgres\nbecome_ask_pass = yes\n',
      () => ({ become: true, becomeUser: 'postgres', becomeAskPass: true, becomeMethod: 'sudo' }),
      []],
    ['host_key_checking = False is ignored, with a warning saying why',
      '[defaults]\nhost_key_checking = False\n',
      () => ({}),
      ['2:21: host_key_checking = False is ignored: runbook always verifies host keys']],
    ['host_key_checking = True changes nothing and says nothing',
      '[defaults]\nhost_key_checking = True\n',
      () => ({}),
      []],
    ['become_method = su and become_flags are the defaults under the keywords',
      '[privilege_escalation]\nbecome_method = su\nbecome_flags = -l\n',
      () => ({ becomeMethod: 'su', becomeFlags: '-l' }),
      []],
    ['unsupported keys and sections are warnings naming the line and key',
      '[defaults]\nforks = 3\ngathering = smart\nretry_files_enabled = False\n\n[ssh_connection]\npipelining = True\n',
      () => ({ forks: 3 }),
      ['3:1: [defaults] gathering is not supported', '4:1: [defaults] retry_files_enabled is not supported', '7:1: [ssh_connection] pipelining is not supported']],
  ];
  for (const [what, text, settings, warnings] of table) {
    it(what, () => {
      const c = load(text);
      const { warnings: got, notices, ...rest } = c;
      expect(rest).to.deep.equal({ file: join(project, 'ansible.cfg'), ...settings(project, home) });
      expect(got).to.have.length(warnings.length);
      // The same notices with their place apart (runbook compat lists them).
      expect(notices!.map((n) => `${n.loc.file}:${n.loc.line}:${n.loc.col}: ${n.message}`)).to.deep.equal(got);
      warnings.forEach((w, i) => expect(got![i]).to.contain(`${project}/ansible.cfg:${w}`));
    });
  }

  it('keeps Ansible values it cannot use as errors at file:line:col', () => {
    const err = inputError(() => load('[defaults]\nforks = many\n'));
    expect(err.message).to.contain('forks must be a whole number');
    expect(err.loc).to.include({ line: 2, col: 9 });
  });

  describe('which file is read', () => {
    const write = (dir: string, name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const cases: Array<[string, Record<string, string>, (env: Record<string, string>) => Record<string, string>, string]> = [
      ['./runbook.cfg beats ./ansible.cfg', { 'p/runbook.cfg': 'forks = 1', 'p/ansible.cfg': 'forks = 2' }, () => ({}), 'p/runbook.cfg'],
      ['./ansible.cfg beats ~/.runbook.cfg', { 'p/ansible.cfg': 'forks = 2', 'h/.runbook.cfg': 'forks = 3' }, () => ({}), 'p/ansible.cfg'],
      ['~/.runbook.cfg beats ~/.ansible.cfg', { 'h/.runbook.cfg': 'forks = 3', 'h/.ansible.cfg': 'forks = 4' }, () => ({}), 'h/.runbook.cfg'],
      ['~/.ansible.cfg is read last', { 'h/.ansible.cfg': 'forks = 4' }, () => ({}), 'h/.ansible.cfg'],
      ['$ANSIBLE_CONFIG beats ./ansible.cfg', { 'p/ansible.cfg': 'forks = 2', 'h/other.cfg': 'forks = 5' }, () => ({ ANSIBLE_CONFIG: '../home/other.cfg' }), 'h/other.cfg'],
      ['$ANSIBLE_CONFIG may name a directory', { 'h/ansible.cfg': 'forks = 5' }, () => ({ ANSIBLE_CONFIG: home }), 'h/ansible.cfg'],
      ['./runbook.cfg beats $ANSIBLE_CONFIG', { 'p/runbook.cfg': 'forks = 1', 'h/other.cfg': 'forks = 5' }, () => ({ ANSIBLE_CONFIG: '../home/other.cfg' }), 'p/runbook.cfg'],
      ['$RUNBOOK_CONFIG beats everything', { 'p/ansible.cfg': 'forks = 2', 'h/r.cfg': 'forks = 6' }, () => ({ RUNBOOK_CONFIG: '../home/r.cfg' }), 'h/r.cfg'],
    ];
    for (const [what, files, extraEnv, expected] of cases) {
      it(what, () => {
        const dirOf = (k: string): string => (k.startsWith('p/') ? project : home);
        for (const [k, v] of Object.entries(files)) write(dirOf(k), k.slice(2), `[defaults]\n${v}\n`);
        const c = loadConfig(project, { HOME: home, ...extraEnv({}) });
        expect(c.file).to.equal(join(dirOf(expected), expected.slice(2)));
        expect(c.forks).to.equal(Number(files[expected]!.split('=')[1]));
      });
    }

    it('refuses an $ANSIBLE_CONFIG that does not exist', () => {
      expect(inputError(() => loadConfig(project, { HOME: home, ANSIBLE_CONFIG: 'nope.cfg' })).message).to.contain('ANSIBLE_CONFIG');
    });
  });
});
