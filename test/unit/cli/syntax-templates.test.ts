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

describe('--syntax-check compiles the template files a play names, and what they include, import or extend', () => {
  function project(files: Record<string, string>): string {
    const site = projectWith('- name: t\n  template:\n    src: main.conf.j2\n    dest: /tmp/x\n');
    const templates = join(site, '..', 'roles', 'web', 'templates');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(templates, name, '..'), { recursive: true });
      writeFileSync(join(templates, name), text);
    }
    return site;
  }
  function errorOf(site: string): InputError | undefined {
    try {
      syntaxCheckTemplates(loadPlaybook(site));
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    return undefined;
  }

  it('a typo in a macro file two includes away names that file, line and column', () => {
    const err = errorOf(project({ 'main.conf.j2': '{% extends "base.j2" %}', 'base.j2': 'x\n{% include "parts/p.j2" %}', 'parts/p.j2': '{% import "m.j2" as m %}', 'm.j2': '{% macro f() %}\n  {{ x | uper }}{% endmacro %}' }));
    expect(err?.message).to.contain("unknown filter 'uper'");
    expect(err?.loc?.file).to.match(/roles\/web\/templates\/m\.j2$/);
    expect([err?.loc?.line, err?.loc?.col]).to.deep.equal([2, 10]);
  });

  it('a missing include names the including file, its line and the search path', () => {
    const err = errorOf(project({ 'main.conf.j2': 'a\n{% from "nope.j2" import f %}' }));
    expect(err?.message).to.match(/template 'nope\.j2' not found \(searched .*roles\/web\/templates, /);
    expect(err?.loc?.file).to.match(/main\.conf\.j2$/);
    expect(err?.loc?.line).to.equal(2);
  });

  it('names computed at run time, ignore missing and templates that include each other pass', () => {
    expect(errorOf(project({ 'main.conf.j2': '{% include tpl %}{% include "x.j2" ignore missing %}{% include "a.j2" %}', 'a.j2': '{% if false %}{% include "main.conf.j2" %}{% endif %}' }))).to.equal(undefined);
  });
});
