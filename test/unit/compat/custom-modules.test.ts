// runbook compat knows a project's own modules: a task naming a module in a reachable library/
// loads; one whose file is absent (ansible-examples' rust_helloworld before `make`) stays refused.
import { expect } from 'chai';
import { relative } from 'node:path';
import { checkTree } from '../../../src/compat/check.js';
import { writeTree } from '../executor/yaml-play.js';

describe('runbook compat: custom modules', () => {
  it("loads tasks naming a role's or the project's library/ module, and refuses a module found nowhere", () => {
    const root = writeTree({
      'site.yml': '- hosts: all\n  roles: [app]\n  tasks:\n    - app_conf: { key: a }\n    - proj_tool: x=1\n    - rust_helloworld: { name: x }\n',
      'library/proj_tool': '#!/bin/sh\n# WANT_JSON\necho "{}"\n',
      'roles/app/library/app_conf.py': 'from ansible.module_utils.basic import AnsibleModule\n',
      'roles/app/tasks/main.yml': '- app_conf: { key: b }\n- proj_tool: {}\n',
    });
    const r = checkTree(root);
    const found = r.problems.map((p) => `${relative(root, p.loc.file)}:${p.loc.line}:${p.loc.col} ${p.message}`);
    expect(found).to.deep.equal(["site.yml:6:7 unknown module 'rust_helloworld'"]);
    expect(r.problems[0]!.hint).to.contain("no custom module 'rust_helloworld' in");
    const byPath = Object.fromEntries(r.units.map((u) => [relative(root, u.path), [u.tasks, u.loadable]]));
    expect(byPath).to.deep.equal({ 'roles/app': [2, 2], 'site.yml': [3, 2] });
  });
});
