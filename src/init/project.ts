// `runbook init project DIR`: a project with an inventory, a site playbook, one role, and a test
// scenario for the whole site; it passes `runbook test` as created.
import { GITIGNORE } from './gitignore.js';
import { roleScaffold } from './role.js';
import type { Scaffold } from './write.js';

const ROLE = 'common';

export function projectScaffold(name: string): Scaffold {
  const role = Object.fromEntries(Object.entries(roleScaffold(ROLE)).map(([f, text]) => [`roles/${ROLE}/${f}`, text]));
  return {
    'runbook.cfg': `# Project settings, like ansible.cfg; paths are relative to this file.
[defaults]
inventory = inventory/hosts.yml
forks = 20
`,
    'inventory/hosts.yml': `# Your servers. Try the playbook on lab hosts first: runbook test (see runbook-test.yml).
all:
  children:
    app:
      hosts:
        app1.example.com:
        app2.example.com:
`,
    'inventory/group_vars/all.yml': `---
# Variables for every host.
${ROLE}_greeting: hello from ${name}
`,
    'site.yml': `---
- name: Set up the app servers
  hosts: app
  roles:
    - ${ROLE}
`,
    ...role,
    'runbook-test.yml': `---
# runbook test: lab hosts shaped like the inventory, the playbook to converge them with, and the checks.
platforms:
  - name: app
    count: 2
    groups: [app]
group_vars:
  app:
    ${ROLE}_greeting: hello from runbook test
converge: site.yml
verify: tests/verify.yml
`,
    'tests/verify.yml': `---
- name: Verify
  hosts: app
  gather_facts: false
  tasks:
    - name: Read /etc/${ROLE}.conf
      stat:
        path: /etc/${ROLE}.conf
      register: conf

    - name: /etc/${ROLE}.conf is there
      assert:
        that: conf.stat.exists
`,
    '.gitignore': GITIGNORE,
    'README.md': `# ${name}

- \`site.yml\`: the playbook; \`runbook apply site.yml\` runs it against \`inventory/hosts.yml\`.
- \`roles/\`: one folder per role (\`runbook init role NAME\` in roles/ adds one).
- \`runbook test\`: tries site.yml on throwaway lab hosts (runbook-test.yml) before any real server.
`,
  };
}
