// Where a task's custom module is found (Ansible's library path): the role's library/, the library/
// of roles the play uses, the playbook's library/, the configured folders; before the built-ins.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { Task, TaskNode } from '../../../src/playbook/types.js';
import { InputError } from '../../../src/core/errors.js';
import { scratchDir } from '../../support/temp-dir.js';

function tree(files: Record<string, string>): string {
  const dir = scratchDir('runbook-library-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const tasksOf = (nodes: TaskNode[]): Task[] => nodes.flatMap((n) => (n.kind === 'task' ? [n] : [...tasksOf(n.block), ...tasksOf(n.rescue), ...tasksOf(n.always)]));
const PY = 'from ansible.module_utils.basic import AnsibleModule\n';

describe('custom modules: where the loader finds them', () => {
  it("a role's library/ serves its tasks and the play that uses the role; the playbook's library/ serves every task", () => {
    const dir = tree({
      'roles/r/library/rmod.py': PY,
      'roles/r/tasks/main.yml': '- rmod: { a: 1 }\n',
      'library/pmod': '#!/bin/sh\n# WANT_JSON\n',
      'site.yml': '- hosts: all\n  roles: [r]\n  pre_tasks:\n    - rmod: {}\n  tasks:\n    - pmod: x=1 y=2\n    - ansible.legacy.pmod: {}\n',
    });
    const play = loadPlaybook(join(dir, 'site.yml')).plays[0]!;
    const tasks = tasksOf(play.tasks);
    expect(tasks.map((t) => [t.module, t.library?.slice(dir.length)])).to.deep.equal([
      ['rmod', '/roles/r/library/rmod.py'],
      ['rmod', '/roles/r/library/rmod.py'],
      ['pmod', '/library/pmod'],
      ['pmod', '/library/pmod'],
    ]);
    expect(tasks[2]!.args).to.deep.equal({ x: '1', y: '2' });
  });

  it('a library/ module beats a built-in of the same name, as in Ansible; not under a collection name, nor an action plugin', () => {
    const dir = tree({
      'library/apt.py': PY,
      'library/debug.py': PY,
      'site.yml': '- hosts: all\n  tasks:\n    - apt: { anything: 1 }\n    - ansible.builtin.apt: { name: x }\n    - debug: { msg: hi }\n',
    });
    const tasks = tasksOf(loadPlaybook(join(dir, 'site.yml')).plays[0]!.tasks);
    expect(tasks.map((t) => [t.module, Boolean(t.library)])).to.deep.equal([
      ['apt', true],
      ['apt', false],
      ['debug', false],
    ]);
  });

  it('the configured library folders (ansible.cfg library, ANSIBLE_LIBRARY) come last', () => {
    const dir = tree({ 'shared/cfgmod.sh': '#!/bin/sh\n', 'site.yml': '- hosts: all\n  tasks:\n    - cfgmod: {}\n' });
    const tasks = tasksOf(loadPlaybook(join(dir, 'site.yml'), { library: [join(dir, 'shared')] }).plays[0]!.tasks);
    expect(tasks[0]!.library).to.equal(join(dir, 'shared/cfgmod.sh'));
  });

  it('a module found nowhere is refused, naming the library/ folders searched', () => {
    const dir = tree({ 'roles/r/tasks/main.yml': '- rust_helloworld: {}\n', 'roles/r/library/.keep': '', 'site.yml': '- hosts: all\n  roles: [r]\n' });
    let err: unknown;
    try {
      loadPlaybook(join(dir, 'site.yml'));
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(InputError);
    const e = err as InputError;
    expect(e.message).to.equal("unknown module 'rust_helloworld'");
    expect(e.hint).to.contain(`no custom module 'rust_helloworld' in ${join(dir, 'roles/r/library')}, ${join(dir, 'library')}`);
  });
});
