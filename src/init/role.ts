// `runbook init role NAME`: ansible-galaxy's role layout, plus a runbook test scenario that passes as created.
import { InputError } from '../core/errors.js';
import { GITIGNORE } from './gitignore.js';
import type { Scaffold } from './write.js';

/** Role names become variable prefixes and folder names: Ansible's rule. */
export function checkRoleName(name: string): void {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    throw new InputError(`init role: '${name}' is not a role name`, undefined, 'use lowercase letters, digits and _, starting with a letter (e.g. web_server)');
  }
}

export function roleScaffold(name: string): Scaffold {
  checkRoleName(name);
  const conf = `/etc/${name}.conf`;
  return {
    'tasks/main.yml': `---
# What the ${name} role does, in order. \`runbook doc MODULE\` shows what a module takes.
- name: Write ${conf}
  template:
    src: ${name}.conf.hbs
    dest: ${conf}
    mode: '0644'
  notify: ${name} config changed
`,
    'handlers/main.yml': `---
# Run once at the end of the play when a task notified them (e.g. restart a service).
- name: ${name} config changed
  debug:
    msg: ${conf} changed
`,
    [`templates/${name}.conf.hbs`]: `# Written by runbook (role ${name}); local changes are replaced.
greeting = {{${name}_greeting}}
`,
    'files/.gitkeep': '',
    'vars/main.yml': `---
# Variables of the role that the inventory should not override (they win over group_vars).
{}
`,
    'defaults/main.yml': `---
# The role's settings, with defaults; override them in the inventory or the play.
${name}_greeting: hello
`,
    'meta/main.yml': `---
galaxy_info:
  role_name: ${name}
  author: your name
  description: what the ${name} role sets up
  license: MIT
  platforms:
    - name: Debian
      versions: [bookworm]
# Roles that run before this one.
dependencies: []
`,
    'runbook-test.yml': `---
# runbook test: the lab hosts this role is tried on, and how it is checked (docs/testing-roles.md).
platforms:
  - name: instance
host_vars:
  instance:
    ${name}_greeting: hello from runbook test
verify: tests/verify.yml
`,
    'tests/verify.yml': `---
# runbook test runs this after converging: it must pass on every host, and should change nothing.
- name: Verify
  hosts: all
  gather_facts: false
  tasks:
    - name: Read ${conf}
      stat:
        path: ${conf}
      register: conf

    - name: ${conf} is there, readable by everyone
      assert:
        that:
          - conf.stat.exists
          - conf.stat.mode == '0644'

    - name: Read its greeting
      command: grep -x 'greeting = hello from runbook test' ${conf}
      changed_when: false
`,
    '.gitignore': GITIGNORE,
    'README.md': `# ${name}

What this role sets up, in one or two sentences.

## Variables

| Variable | Default | Meaning |
|---|---|---|
| \`${name}_greeting\` | \`hello\` | The greeting written to ${conf}. |

## Example

\`\`\`yaml
- hosts: all
  roles:
    - ${name}
\`\`\`

## Testing

\`runbook test\` in this folder creates lab hosts from runbook-test.yml, converges them, checks that a
second run changes nothing, forecasts the role with --check on a fresh host, runs tests/verify.yml,
and removes the hosts.
`,
  };
}
