// runbook init: ansible-galaxy's layout, loadable as created, and never written over existing files.
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { initCommand } from '../../../src/cli/init.js';
import { InputError } from '../../../src/core/errors.js';
import { loadPlaybook } from '../../../src/playbook/load.js';

describe('runbook init', () => {
  let dir: string;
  let cwd: string;
  const lines: string[] = [];
  const init = (kind: string, name: string, path?: string): number => initCommand(kind, name, path ? { path } : {}, (l) => lines.push(l));

  beforeEach(() => {
    cwd = process.cwd();
    dir = mkdtempSync(join(tmpdir(), 'runbook-init-'));
    process.chdir(dir);
  });
  afterEach(() => {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  });

  it("role: ansible-galaxy's layout, a test scenario, a .gitignore for secrets, and it loads", () => {
    expect(init('role', 'web_app')).to.equal(0);
    for (const f of ['tasks/main.yml', 'handlers/main.yml', 'templates/web_app.conf.hbs', 'files', 'vars/main.yml', 'defaults/main.yml', 'meta/main.yml', 'README.md', 'runbook-test.yml', 'tests/verify.yml', '.gitignore']) {
      expect(existsSync(join(dir, 'web_app', f)), f).to.equal(true);
    }
    const ignore = readFileSync(join(dir, 'web_app/.gitignore'), 'utf8').split('\n');
    expect(ignore).to.include('.lab/');
    expect(ignore.some((l) => l.startsWith('.vault_pass'))).to.equal(true);
    const scenario = parse(readFileSync(join(dir, 'web_app/runbook-test.yml'), 'utf8')) as Record<string, unknown>;
    expect(scenario.verify).to.equal('tests/verify.yml');
    // The role and its verify playbook load as runbook loads them before a run.
    writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  roles: [web_app]\n');
    mkdirSync(join(dir, 'roles'));
    const site = loadPlaybook(join(dir, 'site.yml'), { rolesPath: [dir] });
    expect(JSON.stringify(site)).to.contain('Write /etc/web_app.conf');
    loadPlaybook(join(dir, 'web_app/tests/verify.yml'), { rolesPath: [] });
  });

  it('role --path: created in that folder', () => {
    mkdirSync(join(dir, 'roles'));
    init('role', 'db', 'roles');
    expect(existsSync(join(dir, 'roles/db/tasks/main.yml'))).to.equal(true);
  });

  it('refuses to overwrite: one file in the way and nothing is written', () => {
    mkdirSync(join(dir, 'web/tasks'), { recursive: true });
    writeFileSync(join(dir, 'web/tasks/main.yml'), 'mine\n');
    expect(() => init('role', 'web')).to.throw(InputError, /already there: web\/tasks\/main\.yml/);
    expect(readFileSync(join(dir, 'web/tasks/main.yml'), 'utf8')).to.equal('mine\n');
    expect(existsSync(join(dir, 'web/defaults'))).to.equal(false);
  });

  it('refuses a name that is not a role name, and an unknown kind', () => {
    expect(() => init('role', 'Web-App')).to.throw(InputError, /not a role name/);
    expect(() => init('playbook', 'x')).to.throw(InputError, /unknown kind/);
  });

  it('project: inventory, config, site playbook, a role and a scenario; the playbook loads', () => {
    init('project', 'shop');
    for (const f of ['runbook.cfg', 'inventory/hosts.yml', 'site.yml', 'roles/common/tasks/main.yml', 'runbook-test.yml', 'tests/verify.yml', '.gitignore', 'README.md']) {
      expect(existsSync(join(dir, 'shop', f)), f).to.equal(true);
    }
    const site = loadPlaybook(join(dir, 'shop/site.yml'), { rolesPath: [] });
    expect(JSON.stringify(site)).to.contain('Write /etc/common.conf');
    expect(() => init('project', 'shop')).to.throw(InputError, /already there/);
  });
});
