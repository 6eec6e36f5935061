import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntaxCheckTemplates } from '../../../src/cli/syntax-templates.js';
import { InputError } from '../../../src/core/errors.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { forgetDialects } from '../../../src/template/dialect.js';
import { scratchDir } from '../../support/temp-dir.js';

function projectWith(task: string): string {
  const dir = scratchDir('syntax-templates-');
  mkdirSync(join(dir, 'roles', 'web', 'tasks'), { recursive: true });
  mkdirSync(join(dir, 'roles', 'web', 'templates'));
  writeFileSync(join(dir, 'ansible.cfg'), '');
  writeFileSync(join(dir, 'roles', 'web', 'templates', 'a.conf.j2'), '{{ x }}\n');
  writeFileSync(join(dir, 'roles', 'web', 'tasks', 'main.yml'), task);
  writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  roles: [web]\n');
  forgetDialects();
  return join(dir, 'site.yml');
}

describe('--syntax-check compiles every Jinja2 value', () => {
  for (const [value, message] of [
    ['{{ x | nosuchfilter }}', "unknown filter 'nosuchfilter'"],
    ["{{ x.spilt('.') }}", "unknown method 'spilt'"],
    ['{% if x %}open', "'{% if %}' is not closed"],
  ]) {
    it(`reports ${message} with the file and line`, () => {
      const file = projectWith(`- name: t\n  debug:\n    msg: "${value}"\n`);
      const playbook = loadPlaybook(file);
      let err: unknown;
      try {
        syntaxCheckTemplates(playbook);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(InputError);
      expect((err as InputError).message).to.contain(message);
      expect((err as InputError).loc?.file).to.match(/roles\/web\/tasks\/main\.yml$/);
    });
  }

  it('says which dialect the playbook and each role use, and why', () => {
    const playbook = loadPlaybook(projectWith("- name: t\n  debug:\n    msg: \"{{ 'a.b'.split('.') | first }}\"\n"));
    const lines = syntaxCheckTemplates(playbook);
    expect(lines[0]).to.match(/^playbook .*site\.yml: jinja2 \(an ansible\.cfg/);
    expect(lines[1]).to.match(/^role web: jinja2 \(\.j2 templates/);
  });
});
