// include_vars: its argument forms, the role-first file search, and folders read in Ansible's order.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../../../src/core/errors.js';
import { findControllerFile } from '../../../../src/playbook/controller-file.js';
import { includeVarsModule, parseIncludeVarsArgs } from '../../../../src/modules/generic/include_vars.js';
import { moduleArgs } from '../../../../src/playbook/module-args.js';
import type { Role } from '../../../../src/playbook/types.js';
import { loadVarsFile } from '../../../../src/yaml/vars-file.js';
import { actionCtx } from '../lib/action-ctx.js';
import { scratchDir } from '../../../support/temp-dir.js';

const loc = { file: 'site.yml', line: 3, col: 7 };

function tree(files: Record<string, string>): string {
  const dir = scratchDir('runbook-include-vars-');
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return dir;
}

describe('include_vars module', () => {
  const dir = tree({
    'vars/Debian.yml': 'pkg: apache2\nconf: "/etc/{{ pkg }}"\n',
    'roles/web/vars/Debian.yml': 'pkg: nginx\n',
    'roles/web/vars/extra/10-a.yml': 'a: 1\nshared: first\n',
    'roles/web/vars/extra/20-b.json': '{"b": 2, "shared": "second"}',
    'roles/web/vars/extra/notes.txt': 'not vars',
    'roles/web/vars/extra/skip.yml': 'skipped: true\n',
    'roles/web/vars/extra/deeper/30-c.yml': 'c: 3\n',
  });
  const role = { name: 'web', dir: join(dir, 'roles/web') } as Role;
  const ctxFor = (withRole: boolean) =>
    actionCtx({}, {
      findVars: (p) => findControllerFile(dir, { loc, ...(withRole ? { role } : {}) }, 'vars', p),
      loadVars: (f) => loadVarsFile(f, loc),
    });
  const run = (raw: Record<string, unknown>, withRole = true) => includeVarsModule.run(parseIncludeVarsArgs(raw, loc), ctxFor(withRole));

  it('reads the free form, file=, file: and name:', () => {
    expect(parseIncludeVarsArgs({ _raw_params: 'a.yml' }, loc)).to.include({ file: 'a.yml' });
    expect(moduleArgs(includeVarsModule, 'file=a.yml name=conf', loc, undefined, loc)).to.deep.equal({ file: 'a.yml', name: 'conf' });
    expect(moduleArgs(includeVarsModule, '{{ ansible_os_family }}.yml', loc, undefined, loc)).to.equal('{{ ansible_os_family }}.yml');
    expect(parseIncludeVarsArgs({ file: 'a.yml', name: 'conf' }, loc)).to.include({ file: 'a.yml', name: 'conf' });
    expect(() => parseIncludeVarsArgs({}, loc)).to.throw(InputError, 'needs a file');
    expect(() => parseIncludeVarsArgs({ file: 'a.yml', dir: 'd' }, loc)).to.throw(InputError, 'mutually exclusive');
    expect(() => parseIncludeVarsArgs({ file: 'a.yml', name: 'bad-name' }, loc)).to.throw(InputError, 'not a valid variable name');
  });

  it("finds a file in the role's vars/ first, then beside the playbook; templates inside stay for later", async () => {
    const inRole = await run({ file: 'Debian.yml' });
    expect(inRole).to.deep.include({ changed: false, vars: { pkg: 'nginx' } });
    const outside = await run({ file: 'Debian.yml' }, false);
    expect(outside.vars).to.deep.equal({ pkg: 'apache2', conf: '/etc/{{ pkg }}' });
    expect(outside.data!.ansible_included_var_files).to.deep.equal([join(dir, 'vars/Debian.yml')]);
  });

  it('puts everything under name:', async () => {
    expect((await run({ file: 'Debian.yml', name: 'os' })).vars).to.deep.equal({ os: { pkg: 'nginx' } });
  });

  it('reads a folder by name, subfolders after files, later files winning; filters by extension, pattern, ignore list and depth', async () => {
    const all = await run({ dir: 'extra' });
    expect(all.vars).to.deep.equal({ a: 1, shared: 'second', b: 2, skipped: true, c: 3 });
    const some = await run({ dir: 'extra', files_matching: '^[0-9]', ignore_files: ['20-b.json'], depth: 1 });
    expect(some.vars).to.deep.equal({ a: 1, shared: 'first' });
    const onlyJson = await run({ dir: 'extra', extensions: ['json'] });
    expect(onlyJson.vars).to.deep.equal({ b: 2, shared: 'second' });
  });

  it('says where it looked for a missing file, and refuses a folder given as file (and the reverse)', async () => {
    let err: unknown;
    try {
      await run({ file: 'RedHat.yml' });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(InputError);
    expect((err as InputError).message).to.include("vars file 'RedHat.yml' not found");
    expect((err as InputError).hint).to.include(join(dir, 'roles/web/vars/RedHat.yml'));
    for (const raw of [{ file: 'extra' }, { dir: 'Debian.yml' }]) {
      let e2: unknown;
      try {
        await run(raw);
      } catch (e) {
        e2 = e;
      }
      expect(e2, JSON.stringify(raw)).to.be.instanceOf(InputError);
    }
  });
});
