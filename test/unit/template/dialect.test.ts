import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dialectChoice, forgetDialects } from '../../../src/template/dialect.js';
import { scratchDir } from '../../support/temp-dir.js';

function project(files: Record<string, string>): string {
  const dir = scratchDir('dialect-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  forgetDialects();
  return dir;
}

describe('template/dialect: which dialect a file uses', () => {
  it('extension first, then role meta, runbook.cfg, templates, galaxy_info, ansible.cfg, else Handlebars', () => {
    const table: Array<[Record<string, string>, string, string]> = [
      [{ 'site.yml': '' }, 'x.j2', 'jinja2'],
      [{ 'ansible.cfg': '', 'site.yml': '' }, 'x.hbs', 'handlebars'],
      [{ 'site.yml': '' }, 'site.yml', 'handlebars'],
      [{ 'ansible.cfg': '', 'site.yml': '' }, 'site.yml', 'jinja2'],
      [{ 'runbook.cfg': '[defaults]\ntemplate_dialect = handlebars\n', 'ansible.cfg': '', 'site.yml': '' }, 'site.yml', 'handlebars'],
      [{ 'roles/r/tasks/main.yml': '', 'roles/r/templates/a.conf.j2': '' }, 'roles/r/tasks/main.yml', 'jinja2'],
      [{ 'roles/r/tasks/main.yml': '', 'roles/r/templates/a.conf.hbs': '', 'roles/r/meta/main.yml': 'galaxy_info: {}\n' }, 'roles/r/tasks/main.yml', 'handlebars'],
      [{ 'roles/r/tasks/main.yml': '', 'roles/r/meta/main.yml': 'galaxy_info: {}\n' }, 'roles/r/defaults/main.yml', 'jinja2'],
      [{ 'ansible.cfg': '', 'roles/r/tasks/main.yml': '', 'roles/r/meta/main.yml': 'template_dialect: handlebars\n' }, 'roles/r/tasks/main.yml', 'handlebars'],
      [{ 'runbook.cfg': '[defaults]\ntemplate_dialect = jinja2\n', 'roles/r/tasks/main.yml': '', 'roles/r/templates/a.hbs': '' }, 'roles/r/tasks/main.yml', 'jinja2'],
    ];
    for (const [files, file, want] of table) {
      const dir = project(files);
      expect(dialectChoice(join(dir, file)).dialect, `${file} in ${JSON.stringify(files)}`).to.equal(want);
    }
  });
});
