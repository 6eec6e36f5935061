// runbook compat on a tree written in the style of Galaxy roles and example projects: every
// problem is found (not only the first), at its file:line:col, and the figures add up.
import { expect } from 'chai';
import { relative } from 'node:path';
import { checkTree, leaves } from '../../../src/compat/check.js';
import { familyOf, moduleOfEntry } from '../../../src/compat/families.js';
import { formatReport, totals } from '../../../src/compat/report.js';
import { writeTree } from '../executor/yaml-play.js';

const TREE = {
  'site.yml': `
- hosts: web
  become: true
  roles: [web]
  tasks:
    - name: ping them
      win_ping:
    - command: uptime
- hosts: db
  order: sorted
  tasks:
    - command: uptime
    - command: hostname
`,
  'roles/web/meta/main.yml': 'galaxy_info: { author: x, description: y, license: MIT, min_ansible_version: "2.10" }\ndependencies: []\n',
  'roles/web/tasks/main.yml': `
- include_tasks: setup-RedHat.yml
  when: ansible_os_family == 'RedHat'
- name: config
  copy: { dest: /etc/web.conf, content: "x", mode: 0644 }
- block:
    - command: a
    - yum: { name: b }
  rescue:
    - command: c
  whenn: x
- file: { path: /srv, mode: 644 }
- debug: { msg: "{{ x | nosuchfilter }}" }
  when: x ==
`,
  'roles/web/tasks/setup-RedHat.yml': '- yum: { name: httpd }\n- dnf: { name: mod_ssl }\n- command: setsebool x on\n',
  'roles/web/handlers/main.yml': '- name: restart web\n  service: { name: web, state: restarted }\n',
  'roles/web/templates/ok.conf.j2': '{% for h in hosts %}{{ h }}\n{% endfor %}\n',
  'roles/web/templates/bad.conf.j2': 'line\n{% for h in hosts %}{{ h }}\n',
};

describe('runbook compat', () => {
  it('counts a block as the tasks in it', () => {
    expect(leaves({ block: [{ command: 'a' }, { block: [{ command: 'b' }] }], rescue: [{ command: 'c' }] })).to.equal(3);
    expect(leaves({ command: 'a' })).to.equal(1);
  });

  it('reports every problem of a tree at its file:line:col, and the figures per role and playbook', () => {
    const root = writeTree(TREE);
    const r = checkTree(root);
    const found = r.problems.map((p) => `${relative(root, p.loc.file)}:${p.loc.line}:${p.loc.col} ${p.kind} ${p.tasks} ${p.message.split('\n')[0]}`);
    expect(found).to.deep.equal([
      "roles/web/tasks/main.yml:11:3 task 3 unknown keyword 'whenn' on a block",
      "roles/web/tasks/main.yml:12:29 task 1 'mode: 644' is a number, so its octal meaning is ambiguous",
      'roles/web/tasks/main.yml:13:3 task 1 invalid expression at column 5: expected a value, but the expression ends',
      "roles/web/tasks/setup-RedHat.yml:1:3 task 1 unknown module 'yum'",
      "roles/web/tasks/setup-RedHat.yml:2:3 task 1 unknown module 'dnf'",
      "roles/web/templates/bad.conf.j2:2:3 template 0 jinja2 template: template syntax error: '{% for %}' is not closed (expected {% else %} or {% endfor %})",
      "site.yml:7:7 task 1 unknown module 'win_ping'",
      "site.yml:10:3 play 2 'order' is an Ansible keyword that runbook does not support in a play",
    ]);
    const byPath = Object.fromEntries(r.units.map((u) => [relative(root, u.path), [u.tasks, u.loadable, u.templates, u.templatesOk]]));
    expect(byPath).to.deep.equal({ 'roles/web': [11, 4, 2, 1], 'site.yml': [4, 1, 0, 0] });
    expect(totals(r.units)).to.deep.include({ tasks: 15, loadable: 5, templates: 2, templatesOk: 1, outside: { tasks: 11, loadable: 5 } });
    const text = formatReport(r);
    expect(text).to.contain(
      'TOTAL 5 of 15 tasks load (33.3%); outside RHEL-only, other OS families, cloud and Windows-only modules: 5 of 11 (45.5%); templates: 1 of 2 compile (50%)',
    );
    expect(text).to.contain('  RHEL-only: 3 tasks, 0 loadable: yum 2, dnf 1');
    expect(text).to.match(/ {3}2 {2}play: 'order' is an Ansible keyword/);
  });

  it('reads a single role folder as a role', () => {
    const root = writeTree({ 'tasks/main.yml': '- command: ls\n- apt: { name: x, no_such_arg: y }\n' });
    const r = checkTree(root);
    expect(r.units.map((u) => [u.kind, u.tasks, u.loadable])).to.deep.equal([['role', 2, 1]]);
    expect(r.problems[0]!.message).to.contain('no_such_arg');
  });

  it("reports the ansible.cfg keys runbook does not use, at file:line, counting no task", () => {
    const root = writeTree({
      'ansible.cfg': '[defaults]\ninventory = hosts\ngathering = smart\n[ssh_connection]\npipelining = True\n',
      'tasks/main.yml': '- command: ls\n',
    });
    const r = checkTree(root);
    const cfg = r.problems.filter((p) => p.kind === 'config').map((p) => `${relative(root, p.loc.file)}:${p.loc.line} ${p.tasks} ${p.message}`);
    expect(cfg).to.deep.equal([
      'ansible.cfg:3 0 [defaults] gathering is not supported by runbook and is ignored',
      'ansible.cfg:5 0 [ssh_connection] pipelining is not supported by runbook and is ignored',
    ]);
    expect(totals(r.units)).to.deep.include({ tasks: 1, loadable: 1 });
  });

  it('sets apart the modules of other OS families and cloud APIs, by name, prefix and collection', () => {
    const cases: [string, string | undefined][] = [
      ['yum', 'rhel'], ['ansible.builtin.yum', 'rhel'], ['ansible.posix.seboolean', 'rhel'], ['firewalld', 'rhel'], ['rpm_key', 'rhel'],
      ['community.general.pacman', 'other-os'], ['pkgng', 'other-os'], ['zypper_repository', 'other-os'], ['aix_lvol', 'other-os'],
      ['ec2', 'cloud'], ['ec2_elb_lb', 'cloud'], ['amazon.aws.s3_object', 'cloud'], ['s3', 'cloud'], ['azure_rm_virtualmachine', 'cloud'],
      ['gcp_compute_instance', 'cloud'], ['os_server', 'cloud'], ['cloudformation', 'cloud'], ['amazon.aws.anything', 'cloud'],
      ['win_ping', 'windows'], ['ansible.windows.win_copy', 'windows'], ['community.windows.anything', 'windows'],
      ['apt', undefined], ['service', undefined], ['zfs', undefined], ['haproxy', undefined], ['os_family_thing', 'cloud'], ['package', undefined],
      ['ansible.builtin.command', undefined], ['osx_defaults', 'other-os'], ['selinux', 'rhel'],
    ];
    expect(cases.map(([m]) => [m, familyOf(m)])).to.deep.equal(cases);
  });

  it('reads the module of a task as written: a module key, action: or local_action:', () => {
    const cases: [unknown, string | undefined][] = [
      [{ name: 'x', yum: { name: 'a' }, when: 'y', with_dict: {} }, 'yum'],
      [{ local_action: 'ec2_elb region=x' }, 'ec2_elb'],
      [{ action: { module: 'win_ping' } }, 'win_ping'],
      [{ name: 'only keywords', when: 'x' }, undefined],
      ['not a task', undefined],
    ];
    expect(cases.map(([e]) => [e, moduleOfEntry(e)])).to.deep.equal(cases);
  });

  it('counts excluded tasks per family and module, loaded or not, and Windows plays as Windows-only', () => {
    const root = writeTree({
      'site.yml': `
- hosts: web
  tasks:
    - yum: { name: a }
    - block:
        - ec2: { region: x }
        - command: ls
    - apt: { name: a, bogus: 1 }
    - command: uptime
- hosts: win
  connection: winrm
  tasks:
    - win_ping:
    - local_action: wait_for port=80
`,
    });
    const r = checkTree(root);
    const t = totals(r.units);
    expect(t.excluded).to.deep.equal([
      { family: 'rhel', module: 'yum', tasks: 1, loadable: 0 },
      { family: 'cloud', module: 'ec2', tasks: 1, loadable: 0 },
      { family: 'windows', module: 'wait_for', tasks: 1, loadable: 0 },
      { family: 'windows', module: 'win_ping', tasks: 1, loadable: 0 },
    ]);
    // The winrm play does not load at all; its tasks are Windows-only whatever their module.
    expect(t).to.deep.include({ tasks: 7, loadable: 2, outside: { tasks: 3, loadable: 2 } });
    expect(formatReport(r)).to.contain('  Windows-only: 2 tasks, 0 loadable: wait_for 1, win_ping 1');
  });

  it('gives the whole figure when no task is excluded', () => {
    const root = writeTree({ 'tasks/main.yml': '- command: ls\n- apt: { name: a }\n' });
    const r = checkTree(root);
    expect(totals(r.units)).to.deep.include({ tasks: 2, loadable: 2, outside: { tasks: 2, loadable: 2 }, excluded: [] });
  });
});
