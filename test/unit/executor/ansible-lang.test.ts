// Issue 3's language items as the executor runs them, from YAML as Ansible users write it: blocks with
// rescued/ignored counts, listen and flush_handlers, tags always/never inherited from roles and blocks,
// with_items with loop_control, include_role tasks_from with include_vars, facts in one command, !unsafe.
import { expect } from 'chai';
import { tagsOfPlay } from '../../../src/cli/listings.js';
import type { RunEvent } from '../../../src/executor/events.js';
import { setupProbeScript } from '../../../src/modules/system/setup-probe.js';
import { debianBuildMachine } from '../modules/system/fixtures/setup.js';
import { recapOf } from './harness.js';
import { yamlRun, type YamlRun } from './yaml-play.js';

type HostResultEvent = Extract<RunEvent, { type: 'host_result' }>;
const results = (r: YamlRun, task: string): HostResultEvent[] =>
  r.events.filter((e): e is HostResultEvent => e.type === 'host_result' && e.task === task);
const kv = (r: YamlRun, host: string) => r.hosts.get(host)!.kv;

describe('Ansible language on the executor', () => {
  describe('block / rescue / always', () => {
    const site = `
- hosts: all
  gather_facts: false
  tasks:
    - name: guarded
      block:
        - name: fails on web1
          assert: { that: "inventory_hostname != 'web1'" }
        - name: not reached on web1
          kv: { key: after_fail, value: x }
      rescue:
        - name: recover
          kv: { key: rescued_by, value: "{{ inventory_hostname }}" }
        - name: say what failed
          kv: { key: what_failed, value: "{{ ansible_failed_task.name }}: {{ ansible_failed_result.msg }}" }
      always:
        - name: clean up
          kv: { key: always, value: done }
    - name: tolerated failure
      assert: { that: "false" }
      ignore_errors: true
    - name: the end
      kv: { key: end, value: x }
`;

    it('rescues only the host that failed (with ansible_failed_task/result), runs always everywhere, and counts rescued= and ignored=', async () => {
      const r = yamlRun({ 'site.yml': site }, ['web1', 'web2']);
      expect(await r.run()).to.equal(0);
      expect(kv(r, 'web1').has('after_fail')).to.equal(false);
      expect(kv(r, 'web1').get('rescued_by')).to.equal('web1');
      expect(kv(r, 'web1').get('what_failed')).to.match(/^fails on web1: .+/);
      expect(kv(r, 'web2').get('after_fail')).to.equal('x');
      expect(kv(r, 'web2').has('rescued_by')).to.equal(false);
      for (const h of ['web1', 'web2']) expect(kv(r, h).get('always')).to.equal('done');
      for (const h of ['web1', 'web2']) expect(kv(r, h).get('end')).to.equal('x');
      expect(recapOf(r).hosts.web1).to.include({ failed: 0, rescued: 1, ignored: 1 });
      expect(recapOf(r).hosts.web2).to.include({ failed: 0, rescued: 0, ignored: 1 });
      expect(results(r, 'tolerated failure').map((e) => e.ignored)).to.deep.equal([true, true]);
    });

    it('without rescue the host fails after always ran; an outer rescue catches an inner block', async () => {
      const r = yamlRun({
        'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - assert: { that: "false" }
      always:
        - kv: { key: always, value: ran }
    - kv: { key: end, value: x }
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - block:
            - assert: { that: "false" }
      rescue:
        - kv: { key: outer_rescue, value: ran }
`,
      }, ['web1']);
      expect(await r.run()).to.equal(2);
      expect(kv(r, 'web1').get('always')).to.equal('ran');
      expect(kv(r, 'web1').has('end')).to.equal(false);
      // The failed host is out of the run: the second play never reaches it.
      expect(kv(r, 'web1').has('outer_rescue')).to.equal(false);

      const nested = yamlRun({
        'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - block:
        - block:
            - assert: { that: "false" }
      rescue:
        - kv: { key: outer_rescue, value: ran }
`,
      }, ['web1']);
      expect(await nested.run()).to.equal(0);
      expect(kv(nested, 'web1').get('outer_rescue')).to.equal('ran');
      expect(recapOf(nested).hosts.web1).to.include({ failed: 0, rescued: 1 });
    });
  });

  describe('handlers', () => {
    const site = `
- hosts: all
  gather_facts: false
  tasks:
    - name: change the config
      kv: { key: conf, value: v2 }
      notify: web config changed
    - name: change it again
      kv: { key: conf2, value: v2 }
      notify: [web config changed, restart nginx]
    - meta: flush_handlers
    - name: after the flush
      kv: { key: after_flush, value: x }
      notify: restart nginx
  handlers:
    - name: restart nginx
      note: restart
      listen: web config changed
    - name: reload php
      kv: { key: php_reloaded, value: x }
      listen: [web config changed]
    - name: unrelated
      kv: { key: unrelated, value: x }
`;

    it('runs every handler listening to a topic once, at flush_handlers, then again for a later notify', async () => {
      const r = yamlRun({ 'site.yml': site }, ['web1']);
      expect(await r.run()).to.equal(0);
      const order = r.events
        .filter((e) => e.type === 'task_start')
        .map((e) => (e.type === 'task_start' ? e.task : ''));
      expect(order).to.deep.equal(['change the config', 'change it again', 'restart nginx', 'reload php', 'after the flush', 'restart nginx']);
      expect(kv(r, 'web1').get('php_reloaded')).to.equal('x');
      expect(kv(r, 'web1').has('unrelated')).to.equal(false);
    });
  });

  describe('tags', () => {
    const files = {
      'site.yml': `
- hosts: all
  gather_facts: false
  roles:
    - role: web
      tags: [webtag]
  tasks:
    - name: always task
      kv: { key: always, value: x }
      tags: always
    - name: never task
      kv: { key: never, value: x }
      tags: [never, debug]
    - block:
        - name: in block
          kv: { key: inblock, value: x }
      tags: [blocktag]
    - name: untagged
      kv: { key: untagged, value: x }
`,
      'roles/web/tasks/main.yml': '- name: web task\n  kv: { key: web, value: x }\n',
    };
    const ran = async (tags: string[], skipTags: string[] = []): Promise<string[]> => {
      const r = yamlRun(files, ['web1'], { options: { tags, skipTags } });
      expect(await r.run()).to.equal(0);
      return [...kv(r, 'web1').keys()].sort();
    };

    it('always runs unless skipped by name; never runs only when another of its tags is asked for', async () => {
      expect(await ran([])).to.deep.equal(['always', 'inblock', 'untagged', 'web']);
      expect(await ran(['debug'])).to.deep.equal(['always', 'never']);
      expect(await ran([], ['always'])).to.deep.equal(['inblock', 'untagged', 'web']);
    });

    it('tasks inherit the tags of their role and their block', async () => {
      expect(await ran(['webtag'])).to.deep.equal(['always', 'web']);
      expect(await ran(['blocktag'])).to.deep.equal(['always', 'inblock']);
      expect(await ran(['untagged'])).to.deep.equal(['always', 'untagged']);
    });

    it('--list-tags shows the inherited tags of the tasks a run would select', () => {
      const play = yamlRun(files, ['web1']).playbook.plays[0]!;
      expect(tagsOfPlay(play.tasks, { tags: [], skipTags: [] })).to.deep.equal(['always', 'blocktag', 'webtag']);
      expect(tagsOfPlay(play.tasks, { tags: ['debug'], skipTags: [] })).to.deep.equal(['always', 'debug', 'never']);
    });
  });

  it('with_items with loop_control loop_var and label: one result per item, shown by its label', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: users
      kv: { key: "user_{{ u.name }}", value: "{{ u.shell }}" }
      with_items:
        - { name: alice, shell: /bin/bash, password: not-shown }
        - { name: bob, shell: /bin/sh, password: not-shown }
      loop_control:
        loop_var: u
        label: "{{ u.name }}"
`,
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    expect(kv(r, 'web1').get('user_alice')).to.equal('/bin/bash');
    expect(kv(r, 'web1').get('user_bob')).to.equal('/bin/sh');
    expect(results(r, 'users').map((e) => e.item)).to.deep.equal(['alice', 'bob']);
  });

  describe('include_role with tasks_from, include_vars, and facts', () => {
    const files = {
      'site.yml': `
- hosts: all
  vars:
    app_conf: from-play-vars
  tasks:
    - name: on Debian only
      kv: { key: address, value: "{{ ansible_default_ipv4.address }}" }
      when: ansible_os_family == "Debian" and ansible_facts['distribution_major_version'] | int >= 12
    - name: on Red Hat only
      kv: { key: redhat, value: x }
      when: ansible_os_family == "RedHat"
    - name: the facts Ansible playbooks use
      note: "{{ ansible_distribution }} {{ ansible_distribution_version }} {{ ansible_distribution_release }} {{ ansible_hostname }} {{ ansible_service_mgr }} {{ ansible_memtotal_mb }} {{ ansible_processor_vcpus }} {{ first ansible_all_ipv4_addresses }} {{ ansible_facts.os_family }}"
    - include_role:
        name: app
        tasks_from: config
      vars:
        app_name: shop
`,
      'roles/app/defaults/main.yml': 'app_name: default\n',
      'roles/app/tasks/main.yml': '- name: main, not run\n  kv: { key: main, value: x }\n',
      'roles/app/tasks/config.yml': `
- name: OS-specific variables
  include_vars: "{{ ansible_os_family }}.yml"
- name: grouped variables
  include_vars:
    file: limits.yml
    name: limits
- name: write the config
  kv: { key: conf_path, value: "{{ app_conf }} {{ limits.workers }}" }
  notify: restart app
`,
      'roles/app/vars/Debian.yml': 'app_conf: "/etc/{{ app_name }}/debian.conf"\n',
      'roles/app/vars/limits.yml': 'workers: 4\n',
      'roles/app/handlers/main.yml': '- name: restart app\n  kv: { key: restarted, value: x }\n',
    };

    it('gathers the facts in one command per host, and conditions and templates use them', async () => {
      const r = yamlRun(files, ['web1', 'web2'], { facts: debianBuildMachine });
      expect(await r.run()).to.equal(0);
      for (const host of ['web1', 'web2']) {
        const scripts = r.hosts.get(host)!.scripts;
        expect(scripts[0]).to.equal(setupProbeScript());
        expect(scripts.filter((s) => s === setupProbeScript())).to.have.length(1);
        // Gathering Facts is one exec; then get+set per changing kv task.
        expect(scripts[1]).to.equal('get address');
        expect(kv(r, host).get('address')).to.equal('192.0.2.2');
        expect(kv(r, host).has('redhat')).to.equal(false);
      }
      expect(results(r, 'on Red Hat only')[0]).to.include({ status: 'skipped' });
      expect(results(r, 'the facts Ansible playbooks use')[0]!.msg).to.equal('Debian 12 bookworm vm sysvinit 24105 2 192.0.2.2 Debian');
    });

    it('include_role runs tasks_from with its parameters; include_vars picks a file by fact and beats play vars', async () => {
      const r = yamlRun(files, ['web1'], { facts: debianBuildMachine });
      expect(await r.run()).to.equal(0);
      expect(kv(r, 'web1').get('conf_path')).to.equal('/etc/shop/debian.conf 4');
      expect(kv(r, 'web1').has('main')).to.equal(false);
      expect(kv(r, 'web1').get('restarted')).to.equal('x');
      expect(results(r, 'app : OS-specific variables')[0]).to.include({ status: 'ok' });
    });

    it('extra vars still beat include_vars', async () => {
      const r = yamlRun(files, ['web1'], { facts: debianBuildMachine, options: { extraVars: { app_conf: '/from/-e' } } });
      expect(await r.run()).to.equal(0);
      expect(kv(r, 'web1').get('conf_path')).to.equal('/from/-e 4');
    });
  });

  it('import_tasks and include_tasks bring in a file\'s tasks with the when, vars and tags written beside them', async () => {
    const files = {
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - import_tasks: tasks/setup.yml
      vars: { where: imported }
      tags: [setup]
    - include_tasks:
        file: tasks/setup.yml
      vars: { where: included }
      when: inventory_hostname == 'web2'
`,
      'tasks/setup.yml': '- kv: { key: "{{ where }}", value: "{{ inventory_hostname }}" }\n',
    };
    const r = yamlRun(files, ['web1', 'web2']);
    expect(await r.run()).to.equal(0);
    expect([...kv(r, 'web1').keys()]).to.deep.equal(['imported']);
    expect([...kv(r, 'web2').keys()]).to.deep.equal(['imported', 'included']);
    const tagged = yamlRun(files, ['web2'], { options: { tags: ['setup'] } });
    expect(await tagged.run()).to.equal(0);
    expect([...kv(tagged, 'web2').keys()]).to.deep.equal(['imported']);
  });

  describe('values that are never templated', () => {
    it('!unsafe text, registered output, set_fact copies and loop items holding {{ stay as written', async () => {
      const r = yamlRun({
        'site.yml': `
- hosts: all
  gather_facts: false
  vars:
    literal: !unsafe "{{ not_a_var }}"
    wrapped: "[{{ literal }}]"
  tasks:
    - kv: { key: a, value: "{{ literal }}" }
      register: stored
    - kv: { key: b, value: "{{ wrapped }}" }
    - kv: { key: c, value: !unsafe "{{ written }}" }
    - kv: { key: d, value: "{{ stored.value }}" }
    - set_fact:
        copied: "{{ literal }}"
    - kv: { key: e, value: "{{ copied }}" }
    - kv: { key: "f{{ item_index }}", value: "{{ item }}" }
      loop: ["{{ literal }}"]
      vars: { item_index: 1 }
    - name: free form
      note: !unsafe "echo {{ braces }}"
    - name: an unrelated task still runs
      kv: { key: end, value: x }
`,
      }, ['web1']);
      expect(await r.run()).to.equal(0);
      const store = kv(r, 'web1');
      expect(results(r, 'free form')[0]!.msg).to.equal('echo {{ braces }}');
      expect(store.get('a')).to.equal('{{ not_a_var }}');
      expect(store.get('b')).to.equal('[{{ not_a_var }}]');
      expect(store.get('c')).to.equal('{{ written }}');
      expect(store.get('d')).to.equal('{{ not_a_var }}');
      expect(store.get('e')).to.equal('{{ not_a_var }}');
      expect(store.get('f1')).to.equal('{{ not_a_var }}');
      expect(store.get('end')).to.equal('x');
    });
  });
});
