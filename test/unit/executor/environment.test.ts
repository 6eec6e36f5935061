// The environment keyword as Ansible 2.14 merges it: play, then blocks, then task (nearest wins), each
// rendered per host; imports and role references pass theirs to every task they bring in. The tasks
// run through the local transport, so the values travel as they would to a host.
import { expect } from 'chai';
import { RunbookError } from '../../../src/core/errors.js';
import { renderEnvironment } from '../../../src/executor/environment.js';
import { localHosts as local, registeredOn as registered } from './local-hosts.js';
import { yamlRun } from './yaml-play.js';

describe('environment keyword', () => {
  it('merges play, block and task (the nearest wins), templated per host, and keeps values off the command line', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  environment: { A: play, B: play, C: play, SECRET: "{{ token }}" }
  tasks:
    - block:
        - name: inner
          shell: printf '%s,%s,%s,%s,%s' "$A" "$B" "$C" "$SECRET" "$D"
          environment: { C: task, D: "{{ inventory_hostname }}" }
          register: r
      environment: { B: block, C: block }
    - name: play only
      shell: printf '%s,%s' "$A" "\${B:-unset}"
      register: p
`,
    }, ['web1', 'web2'], { hostVars: { web1: { token: 's3cr3t-one' }, web2: { token: 's3cr3t-two' } } });
    const scripts = local(r);
    expect(await r.run()).to.equal(0);
    expect(registered(r, 'web1', 'r').stdout).to.equal('play,block,task,s3cr3t-one,web1');
    expect(registered(r, 'web2', 'r').stdout).to.equal('play,block,task,s3cr3t-two,web2');
    expect(registered(r, 'web1', 'p').stdout).to.equal('play,play');
    expect(scripts.length).to.be.greaterThan(0);
    for (const s of scripts) expect(s).not.to.match(/s3cr3t/);
  });

  it('a template giving a mapping, a list of mappings, and keywords beside include_tasks and on a role', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  vars:
    proxy_env: { http_proxy: "http://proxy:3128", NO_PROXY: localhost }
  roles:
    - role: app
      environment: { FROM_ROLE: yes }
  tasks:
    - name: template
      command: printenv http_proxy
      environment: "{{ proxy_env }}"
      register: t
    - name: list
      command: printenv X
      environment: [{ X: first }, { X: second }]
      register: l
    - include_tasks: more.yml
      environment: { INCLUDED: "1" }
`,
      'more.yml': `
- name: included
  shell: echo "$INCLUDED"
  register: inc
`,
      'roles/app/tasks/main.yml': `
- name: role task
  shell: echo "$FROM_ROLE"
  register: role
`,
    }, ['web1']);
    local(r);
    expect(await r.run()).to.equal(0);
    expect(registered(r, 'web1', 't').stdout).to.equal('http://proxy:3128');
    expect(registered(r, 'web1', 'l').stdout).to.equal('second');
    expect(registered(r, 'web1', 'inc').stdout).to.equal('1');
    // yes is a boolean in YAML; Ansible passes str(True).
    expect(registered(r, 'web1', 'role').stdout).to.equal('True');
  });

  it('a template that gives no mapping fails the task, naming the keyword', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: bad env
      command: env
      environment: "{{ not_a_map }}"
      vars: { not_a_map: [a, b] }
`,
    }, ['web1']);
    local(r);
    expect(await r.run()).to.equal(2);
    const res = r.events.find((e) => e.type === 'host_result' && e.task === 'bad env');
    expect(res && res.type === 'host_result' && res.msg).to.match(/site\.yml:7:20: environment must be a mapping of variable names to values, the template gave a list/);
  });

  it('renderEnvironment: Python str() for scalars, a list value refused', () => {
    const templating = { render: (v: unknown) => v, renderText: (t: string) => t };
    const loc = { file: 'p.yml', line: 3, col: 5 };
    expect(renderEnvironment([{ value: { A: 1, B: false, C: null, D: 'x' }, loc }], templating, {})).to.deep.equal({ A: '1', B: 'False', C: 'None', D: 'x' });
    expect(() => renderEnvironment([{ value: '{{ x }}', loc }], { ...templating, render: () => ({ L: ['a'] }) }, {})).to.throw(RunbookError, /L must be a string/);
    expect(() => renderEnvironment([{ value: '{{ x }}', loc }], { ...templating, render: () => ({ 'BAD-NAME': 'a' }) }, {})).to.throw(RunbookError, /not a valid environment variable name/);
  });
});
