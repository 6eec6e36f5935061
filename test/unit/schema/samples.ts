// Samples for the schema tests: Ansible shapes that must validate (and load), and mistakes the
// schema must catch at the right place, each also tried on runbook's real loader.
import type { Kind } from './support.js';

export interface GoodSample {
  what: string;
  kind: Kind;
  yaml: string;
  /** Other files the loader needs beside it (roles, imported task files). */
  files?: Record<string, string>;
}

export interface BadSample {
  what: string;
  kind: Kind;
  yaml: string;
  /** JSON pointer of the value the schema must report (what an editor underlines). */
  at: string;
  /** Text the error must mention (a property name, a keyword, a definition), to tell it from side errors. */
  about: string;
  /** true: runbook refuses it too, before touching a host. A string: why runbook accepts it at load time. */
  runbook: true | string;
  files?: Record<string, string>;
}

const role = { 'roles/web/tasks/main.yml': '- debug: msg=web\n', 'roles/web/handlers/main.yml': '- name: restart web\n  debug: msg=restart\n' };

export const GOOD: GoodSample[] = [
  { what: 'vars_files naming host facts (read per host)', kind: 'playbook', yaml: '- hosts: all\n  vars_files:\n    - "vars/{{ ansible_os_family }}.yml"\n    - ["vars/{{ ansible_distribution }}.yml", vars/defaults.yml]\n  tasks: []\n' },
  {
    what: 'a play using most of the language',
    kind: 'playbook',
    files: { ...role, 'other.yml': '- debug: msg=other\n', 'second.yml': '- hosts: db\n  tasks: []\n' },
    yaml: `
- name: web servers
  hosts: [web, db]
  become: yes
  become_user: root
  gather_facts: no
  serial: [1, 5, "25%", 0]
  max_fail_percentage: "10%"
  any_errors_fatal: false
  remote_user: deploy
  tags: site
  vars:
    http_port: 8080
    mode: "0644"
  roles:
    - web
    - role: web
      tags: [web]
      when: install_web
      web_param: 1
  pre_tasks:
    - name: free-form command
      command: ls -l /tmp
      changed_when: false
    - ansible.builtin.shell: echo $HOME | wc -c
      register: out
  tasks:
    - name: FQCN module with a mapping
      ansible.builtin.apt:
        name: [nginx, php-fpm]
        state: present
        update_cache: yes
        cache_valid_time: "{{ apt_cache_time }}"
    - name: templated numbers and booleans
      file:
        path: /srv/www
        state: directory
        mode: "{{ mode }}"
        recurse: "{{ recurse_it }}"
    - copy: src=a.conf dest=/etc/a.conf mode=0644 backup=yes
      notify: [restart web, web changed]
    - name: k=v with quotes and a template
      lineinfile: path=/etc/hosts line="127.0.0.1 {{ inventory_hostname }}" create=yes
    - name: guarded block
      block:
        - wait_for: {port: "{{ http_port }}", timeout: 30}
        - import_tasks: other.yml
          when: do_other
          tags: other
      rescue:
        - debug:
            msg: rescued
      always:
        - command: creates=/tmp/done touch /tmp/done
      when:
        - ansible_os_family == "Debian"
        - true
    - name: loop
      service: name={{ item }} state=started enabled=yes
      loop: [nginx, php8.2-fpm]
      loop_control:
        loop_var: item
        label: "{{ item }}"
    - name: older loop
      debug: var=item
      with_items: "{{ packages }}"
      tags: "a, b"
    - systemd: {name: nginx, state: reloaded, daemon_reload: true}
    - community.general.ufw: {rule: allow, port: "{{ http_port }}", proto: tcp}
    - ansible.legacy.copy: {content: "x", dest: /tmp/x}
    - uri: {url: "http://127.0.0.1/", status_code: [200, 302], follow_redirects: yes}
    - setup:
    - set_fact: {web_ready: true}
    - set_fact: a=1 b=two
    - action: copy content=x dest=/tmp/y
    - command: uptime
      args:
        chdir: /tmp
      retries: 3
      delay: "2"
      until: result is succeeded
      ignore_errors: yes
      no_log: true
      run_once: true
      throttle: 2
      check_mode: no
    - include_tasks:
        file: other.yml
    - include_role:
        name: web
        tasks_from: main
      vars:
        web_param: 2
    - meta: flush_handlers
  post_tasks:
    - assert: {that: [true], quiet: true}
  handlers:
    - name: restart nginx
      service: name=nginx state=restarted
      listen: web changed
  checks:
    - name: health
      uri: {url: "http://127.0.0.1/health"}
- import_playbook: second.yml
`,
  },
  {
    what: 'a task file with every entry kind',
    kind: 'tasks',
    files: { ...role, 'other.yml': '- debug: msg=other\n' },
    yaml: `
- name: a task
  debug: msg=hi
- block:
    - command: /bin/true
  rescue:
    - debug: msg=rescued
- ansible.builtin.import_tasks: other.yml
- import_role: {name: web}
`,
  },
  {
    what: 'a handler file with listen and an import',
    kind: 'handlers',
    files: { 'other.yml': '- name: other handler\n  debug: msg=other\n' },
    yaml: `
- name: restart php-fpm
  service:
    name: "php{{ php_version }}-fpm"
    state: restarted
  listen: [php changed]
- import_tasks: other.yml
`,
  },
  {
    what: 'an inventory with ranges, ports, children and typed connection variables',
    kind: 'inventory',
    yaml: `
all:
  vars:
    ansible_user: deploy
    ansible_python_interpreter: /usr/bin/python3
    ntp_enabled: yes
  hosts:
    bastion.example.com:2222:
  children:
    web:
      hosts:
        web[01:03].example.com:
          ansible_port: "2222"
          ansible_become: yes
        web04.example.com: {ansible_host: 10.0.0.4, ansible_connection: ssh}
      vars:
        http_port: 8080
    db:
`,
  },
  { what: 'a vars file', kind: 'vars', yaml: 'ansible_user: deploy\nansible_port: 22\nlist: [1, 2]\nnested: {a: b}\n' },
];

export const BAD: BadSample[] = [
  { what: 'an unknown keyword on a task', kind: 'playbook', yaml: '- hosts: all\n  tasks:\n    - command: ls\n      regsiter: out\n', at: '/0/tasks/0', about: 'regsiter', runbook: true },
  { what: 'two modules in one task', kind: 'playbook', yaml: '- hosts: all\n  tasks:\n    - copy: {src: a, dest: b}\n      file: {path: b}\n', at: '/0/tasks/0', about: 'propertyName', runbook: true },
  { what: 'serial: "abc"', kind: 'playbook', yaml: '- hosts: all\n  serial: "abc"\n  tasks: []\n', at: '/0/serial', about: 'pattern', runbook: true },
  { what: 'serial: -1', kind: 'playbook', yaml: '- hosts: all\n  serial: -1\n  tasks: []\n', at: '/0/serial', about: 'minimum', runbook: true },
  { what: 'a serial list with 0%', kind: 'playbook', yaml: '- hosts: all\n  serial: [1, "0%"]\n  tasks: []\n', at: '/0/serial/1', about: 'pattern', runbook: true },
  { what: 'a play without hosts', kind: 'playbook', yaml: '- name: web\n  tasks: []\n', at: '/0', about: 'hosts', runbook: true },
  { what: 'hosts: empty', kind: 'playbook', yaml: '- hosts: ""\n  tasks: []\n', at: '/0/hosts', about: 'pattern', runbook: true },
  { what: 'a module argument typo', kind: 'playbook', yaml: '- hosts: all\n  tasks:\n    - apt: {nmae: nginx}\n', at: '/0/tasks/0/apt', about: 'nmae', runbook: true },
  { what: 'an argument typo on a FQCN module', kind: 'tasks', yaml: '- ansible.builtin.apt: {nmae: nginx}\n', at: '/0/ansible.builtin.apt', about: 'nmae', runbook: true },
  { what: 'an argument typo on another collection\'s spelling', kind: 'tasks', yaml: '- community.general.ufw: {rul: allow}\n', at: '/0/community.general.ufw', about: 'rul', runbook: true },
  { what: 'an argument typo in key=value text', kind: 'tasks', yaml: '- apt: nmae=nginx\n', at: '/0/apt', about: 'pattern', runbook: true },
  { what: 'an argument typo under args:', kind: 'tasks', yaml: '- command: ls\n  args:\n    chdri: /tmp\n', at: '/0/args', about: 'chdri', runbook: true },
  { what: 'become: "maybe"', kind: 'playbook', yaml: '- hosts: all\n  become: maybe\n  tasks: []\n', at: '/0/become', about: 'pattern', runbook: true },
  { what: 'become as a template (read when the playbook loads)', kind: 'tasks', yaml: '- command: ls\n  become: "{{ use_sudo }}"\n', at: '/0/become', about: 'pattern', runbook: true },
  { what: 'become as a list', kind: 'tasks', yaml: '- command: ls\n  become: [yes]\n', at: '/0/become', about: 'type', runbook: true },
  { what: 'gather_facts as a template', kind: 'playbook', yaml: '- hosts: all\n  gather_facts: "{{ x }}"\n', at: '/0/gather_facts', about: 'pattern', runbook: true },
  { what: 'a task without a module', kind: 'tasks', yaml: '- name: nothing\n  when: x\n', at: '/0', about: 'taskNeedsModule', runbook: true },
  { what: 'an unknown module', kind: 'tasks', yaml: '- copyy: {src: a, dest: b}\n', at: '/0', about: 'copyy', runbook: true },
  { what: 'listen on a task that is not a handler', kind: 'tasks', yaml: '- command: ls\n  listen: topic\n', at: '/0', about: 'listen', runbook: true },
  { what: 'loop and with_items together', kind: 'tasks', yaml: '- debug: msg=x\n  loop: [1]\n  with_items: [2]\n', at: '/0/with_items', about: 'false schema', runbook: true },
  { what: 'loop: with nothing', kind: 'tasks', yaml: '- debug: msg=x\n  loop:\n', at: '/0/loop', about: 'type', runbook: true },
  { what: 'loop over a mapping', kind: 'tasks', yaml: '- debug: msg=x\n  loop: {a: 1}\n', at: '/0/loop', about: 'type', runbook: 'the loader keeps any loop value; the executor refuses a mapping when the task runs' },
  { what: 'when as a mapping', kind: 'tasks', yaml: '- command: ls\n  when: {a: 1}\n', at: '/0/when', about: 'type', runbook: true },
  { what: 'tags as a mapping', kind: 'tasks', yaml: '- command: ls\n  tags: {a: 1}\n', at: '/0/tags', about: 'type', runbook: true },
  { what: 'notify as a mapping', kind: 'tasks', yaml: '- command: ls\n  notify: {a: 1}\n', at: '/0/notify', about: 'type', runbook: true },
  { what: 'register with a dash', kind: 'tasks', yaml: '- command: ls\n  register: my-result\n', at: '/0/register', about: 'pattern', runbook: true },
  { what: 'retries as a template', kind: 'tasks', yaml: '- command: ls\n  retries: "{{ n }}"\n  until: x\n', at: '/0/retries', about: 'pattern', runbook: true },
  { what: 'throttle: 0', kind: 'tasks', yaml: '- command: ls\n  throttle: 0\n', at: '/0/throttle', about: 'minimum', runbook: true },
  { what: 'an unknown loop_control key', kind: 'tasks', yaml: '- debug: msg=x\n  loop: [1]\n  loop_control: {extnded: true}\n', at: '/0/loop_control', about: 'extnded', runbook: true },
  { what: 'a loop pause that is not a number', kind: 'tasks', yaml: '- debug: msg=x\n  loop: [1]\n  loop_control: {pause: soon}\n', at: '/0/loop_control/pause', about: 'pattern', runbook: true },
  { what: 'an Ansible keyword runbook does not support', kind: 'tasks', yaml: '- command: env\n  debugger: always\n', at: '/0', about: 'debugger', runbook: true },
  { what: 'an environment variable name with a dash', kind: 'tasks', yaml: '- command: env\n  environment: {MY-VAR: b}\n', at: '/0/environment', about: 'propertyNames', runbook: true },
  { what: 'environment as plain text', kind: 'tasks', yaml: '- command: env\n  environment: http_proxy=x\n', at: '/0/environment', about: 'pattern', runbook: true },
  { what: 'an environment value that is a list', kind: 'tasks', yaml: '- command: env\n  environment: {PATHS: [a, b]}\n', at: '/0/environment/PATHS', about: 'type', runbook: true },
  { what: 'action: and local_action: together', kind: 'tasks', yaml: '- action: command ls\n  local_action: command ls\n', at: '/0/local_action', about: 'false schema', runbook: true },
  { what: 'a module key beside action:', kind: 'tasks', yaml: '- action: command ls\n  shell: ls\n', at: '/0', about: 'propertyName', runbook: true },
  { what: 'a state that is not a choice', kind: 'tasks', yaml: '- service: {name: nginx, state: restart}\n', at: '/0/service/state', about: 'enum', runbook: true },
  { what: 'a ufw rule typo', kind: 'tasks', yaml: '- ufw: {rule: alow, port: "22"}\n', at: '/0/ufw/rule', about: 'enum', runbook: true },
  { what: 'a boolean argument that is not one', kind: 'tasks', yaml: '- apt: {name: nginx, update_cache: maybe}\n', at: '/0/apt/update_cache', about: 'pattern', runbook: true },
  { what: 'a port that is not a number', kind: 'tasks', yaml: '- wait_for: {port: http}\n', at: '/0/wait_for/port', about: 'pattern', runbook: true },
  { what: 'mode 0644 unquoted (a number to YAML)', kind: 'tasks', yaml: '- file: {path: /srv, mode: 0644}\n', at: '/0/file/mode', about: 'type', runbook: 'runbook reads the leading zero as YAML 1.1 octal, as Ansible does; a schema sees only the number, so it asks for quotes' },
  { what: 'mode 644 unquoted (no leading zero)', kind: 'tasks', yaml: '- file: {path: /srv, mode: 644}\n', at: '/0/file/mode', about: 'type', runbook: true },
  { what: 'mode as a plain number', kind: 'tasks', yaml: '- file: {path: /srv, mode: 644}\n', at: '/0/file/mode', about: 'type', runbook: true },
  { what: 'a meta action that does not exist', kind: 'tasks', yaml: '- meta: flush\n', at: '/0/meta', about: 'enum', runbook: true },
  { what: 'a set_fact name that is not a variable name', kind: 'tasks', yaml: '- set_fact: {my-var: 1}\n', at: '/0/set_fact', about: 'propertyName', runbook: true },
  { what: 'a follow_redirects value that is not a choice', kind: 'tasks', yaml: '- uri: {url: "http://x/", follow_redirects: sometimes}\n', at: '/0/uri/follow_redirects', about: 'enum', runbook: true },
  { what: 'free text for a module that takes key=value', kind: 'tasks', yaml: '- copy: hello world\n', at: '/0/copy', about: 'pattern', runbook: true },
  { what: 'rescue: without block:', kind: 'tasks', yaml: '- rescue:\n    - debug: msg=x\n', at: '/0', about: 'block', runbook: true },
  { what: 'a loop on import_tasks', kind: 'tasks', yaml: '- import_tasks: other.yml\n  loop: [1, 2]\n', at: '/0', about: 'loop', runbook: true, files: { 'other.yml': '- debug: msg=x\n' } },
  { what: 'a templated import_tasks file', kind: 'tasks', yaml: '- import_tasks: "{{ env }}.yml"\n', at: '/0/import_tasks', about: 'pattern', runbook: true },
  { what: 'an import_role argument typo', kind: 'tasks', yaml: '- import_role: {name: web, tasks_form: x}\n', at: '/0/import_role', about: 'tasks_form', runbook: true },
  { what: 'a task that is a string', kind: 'tasks', yaml: '- command ls\n', at: '/0', about: 'type', runbook: true },
  { what: 'a block in handlers', kind: 'handlers', yaml: '- block:\n    - debug: msg=x\n', at: '/0', about: 'block', runbook: true },
  { what: 'when: on an import in handlers', kind: 'handlers', yaml: '- import_tasks: other.yml\n  when: x\n', at: '/0', about: 'when', runbook: true, files: { 'other.yml': '- name: h\n  debug: msg=x\n' } },
  { what: 'max_fail_percentage: 150', kind: 'playbook', yaml: '- hosts: all\n  max_fail_percentage: 150\n', at: '/0/max_fail_percentage', about: 'maximum', runbook: true },
  { what: 'vars as a list', kind: 'playbook', yaml: '- hosts: all\n  vars: [a]\n', at: '/0/vars', about: 'type', runbook: true },
  { what: 'a role reference without a name', kind: 'playbook', yaml: '- hosts: all\n  roles:\n    - tags: web\n', at: '/0/roles/0', about: 'role', runbook: true },
  { what: 'a templated import_playbook', kind: 'playbook', yaml: '- import_playbook: "{{ which }}.yml"\n', at: '/0/import_playbook', about: 'pattern', runbook: true },
  { what: 'a module at the top of a playbook', kind: 'playbook', yaml: '- name: a task at the top\n  command: ls\n', at: '/0', about: 'command', runbook: true },
  { what: 'a playbook that is not a list', kind: 'playbook', yaml: 'hosts: all\ntasks: []\n', at: '', about: 'type', runbook: true },
  { what: 'an inventory host given as a list', kind: 'inventory', yaml: 'all:\n  children:\n    web:\n      hosts:\n        - web1\n        - web2\n', at: '/all/children/web/hosts', about: 'type', runbook: true },
  { what: "a host's variables given as a string", kind: 'inventory', yaml: 'all:\n  hosts:\n    web1: 10.0.0.1\n', at: '/all/hosts/web1', about: 'type', runbook: true },
  { what: 'an unknown key in a group', kind: 'inventory', yaml: 'all:\n  children:\n    web:\n      host:\n        web1:\n', at: '/all/children/web', about: 'host', runbook: true },
  { what: 'group vars as a list', kind: 'inventory', yaml: 'all:\n  vars: [a]\n', at: '/all/vars', about: 'type', runbook: true },
  { what: 'ansible_port that is not a number', kind: 'inventory', yaml: 'all:\n  hosts:\n    web1: {ansible_port: ssh}\n', at: '/all/hosts/web1/ansible_port', about: 'pattern', runbook: true },
  { what: 'ansible_port out of range', kind: 'inventory', yaml: 'all:\n  hosts:\n    web1: {ansible_port: 70000}\n', at: '/all/hosts/web1/ansible_port', about: 'maximum', runbook: true },
  { what: 'a connection runbook does not have', kind: 'inventory', yaml: 'all:\n  hosts:\n    web1: {ansible_connection: winrm}\n', at: '/all/hosts/web1/ansible_connection', about: 'enum', runbook: true },
  { what: 'a become method other than sudo or su', kind: 'inventory', yaml: 'all:\n  hosts:\n    web1: {ansible_become_method: doas}\n', at: '/all/hosts/web1/ansible_become_method', about: 'enum', runbook: true },
  { what: 'an inventory that is a list', kind: 'inventory', yaml: '- all\n- web\n', at: '', about: 'type', runbook: true },
  { what: 'a vars file that is a list', kind: 'vars', yaml: '- a\n- b\n', at: '', about: 'type', runbook: true },
];
