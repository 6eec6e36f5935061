// How each module is used and what it gives back: examples, return values, and its check-mode and
// diff behaviour where the module's kind does not already say it. With module-docs.ts (what the
// arguments mean) and the registry (which arguments exist, how they are validated), this is what
// `runbook doc` and docs/modules/ print; nothing here repeats an argument.

export interface ModuleUsage {
  /** Tasks in YAML, as a user would paste them into a role. */
  examples: string;
  /** Keys of the registered result (register:), beyond changed/failed/msg that every task has. */
  returns?: Record<string, string>;
  /** Check mode, when the module's kind does not tell it (a remote module that runs commands). */
  checkMode?: string;
  /** What --diff shows; absent: the module shows no diff. */
  diff?: string;
}

const commandReturns = {
  cmd: 'The command that ran (a string, or the argv list).',
  rc: 'Exit code.',
  stdout: 'Standard output (empty ends stripped unless strip_empty_ends: false).',
  stderr: 'Standard error.',
  stdout_lines: 'stdout split into lines.',
  stderr_lines: 'stderr split into lines.',
};
const commandCheck = 'Not run in check mode (runbook cannot know what an arbitrary command would change): skipped, or changed when creates:/removes: say it would run, ok when they say it would not. Registers rc 0 and empty stdout/stderr when not run, as Ansible does.';
const fileDiff = "The file's text before and after, as a unified diff (secrets masked). A symbolic link being replaced shows as the link, never as its target's text.";

export const MODULE_USAGE: Record<string, ModuleUsage> = {
  command: {
    examples: `- name: Show the kernel version
  command: uname -r
  register: kernel
  changed_when: false

- name: Initialise the database once
  command:
    argv: [/usr/local/bin/app, init, --data, /srv/app]
    creates: /srv/app/initialised`,
    returns: commandReturns,
    checkMode: commandCheck,
  },
  shell: {
    examples: `- name: Count the PHP sessions kept on disk
  shell: ls /var/lib/php/sessions | wc -l
  register: sessions
  changed_when: false`,
    returns: commandReturns,
    checkMode: commandCheck,
  },
  copy: {
    examples: `- name: Install the MOTD
  copy:
    src: motd
    dest: /etc/motd
    mode: '0644'

- name: Write a small config inline
  copy:
    content: "listen = 127.0.0.1:9000\\n"
    dest: /etc/app/listen.conf
    owner: root
    group: root
    mode: '0640'
  notify: restart app`,
    returns: { dest: 'The destination path.', checksum: 'sha1 of the new content.', size: 'Its length in bytes.', backup_file: 'The copy kept by backup: yes, when the file changed.' },
    diff: fileDiff,
  },
  template: {
    examples: `- name: Configure Redis
  template:
    src: redis.conf.hbs
    dest: /etc/redis/redis.conf
    owner: redis
    mode: '0640'
    validate: redis-server %s --test-memory 0
  notify: restart redis`,
    returns: { dest: 'The destination path.', checksum: 'sha1 of the rendered content.', size: 'Its length in bytes.', backup_file: 'The copy kept by backup: yes, when the file changed.' },
    diff: fileDiff,
  },
  ini_file: {
    examples: `- name: Keep PHP sessions in Redis
  ini_file:
    path: /etc/php/8.2/fpm/php.ini
    section: Session
    option: session.save_handler
    value: redis`,
    diff: fileDiff,
  },
  set_fact: {
    examples: `- name: Pick the listen address
  set_fact:
    app_listen: "{{ansible_default_ipv4.address}}:8080"`,
  },
  include_vars: {
    examples: `- name: Variables for this OS family
  include_vars: "vars/{{ansible_os_family}}.yml"

- include_vars:
    dir: vars/extra
    name: extra`,
    returns: { ansible_facts: 'The variables read.', ansible_included_var_files: 'The files that were read.' },
  },
  meta: {
    examples: `- name: Restart what was notified before going on
  meta: flush_handlers`,
  },
  apt: {
    examples: `- name: Install Redis
  apt:
    name: redis-server
    state: present
    update_cache: yes
    cache_valid_time: 3600

- name: Remove old packages
  apt:
    name: [php7.4-fpm, php7.4-redis]
    state: absent
    purge: yes`,
    returns: {
      packages: 'Each package named, with its state before and after.',
      installed: 'Packages installed.',
      upgraded: 'Packages upgraded.',
      removed: 'Packages removed or purged.',
      cache_updated: 'Whether apt-get update ran.',
    },
  },
  service: {
    examples: `- name: Redis runs and starts at boot
  service:
    name: redis-server
    state: started
    enabled: yes

# in handlers:
- name: restart redis
  service:
    name: redis-server
    state: restarted`,
    returns: { name: 'The service.', state: 'Its state after the task.', enabled: 'Whether it starts at boot.', status: "systemd's LoadState, ActiveState, SubState and UnitFileState (or the init script's status)." },
  },
  setup: {
    examples: `- name: Read the facts again after installing PHP
  setup:
    filter: [php_*]`,
  },
  ufw: {
    examples: `- name: Allow SSH
  ufw:
    rule: allow
    to_port: '22'
    proto: tcp

- name: Allow Redis from the web network only
  ufw:
    rule: allow
    from_ip: 10.0.0.0/24
    to_port: '6379'
    proto: tcp

- name: Deny everything else and turn the firewall on
  ufw:
    state: enabled
    default: deny`,
  },
  uri: {
    examples: `- name: The PHP page answers
  uri:
    url: http://127.0.0.1/test.php
    return_content: yes
    expect_content: counter
  register: page`,
    returns: {
      status: 'HTTP status code (-1 when the request failed).',
      url: 'The URL requested.',
      headers: 'Response headers, by their lower-case names.',
      'content_type, content_length, …': "Each response header again as a top-level key, lower-cased with '_' for '-', as Ansible returns them (a relative location made absolute).",
      cookies: 'Cookies the response set.',
      content: 'The body (with return_content, or when a check failed).',
      json: 'The body parsed, when it is JSON.',
      elapsed: 'Seconds the request took.',
    },
  },
  redis: {
    examples: `- name: Redis answers with the password and refuses without it
  redis:
    password: "{{redis_password}}"
    ping: yes
    expect_noauth: yes`,
    returns: {
      ping: 'The answer to PING.',
      value: 'The value of get:, or null.',
      keys: 'Keys found by scan:.',
      truncated: 'Whether scan: stopped at scan_limit.',
      noauth: 'Whether a client without the password was refused.',
      values: 'The values of the keys in expect:.',
    },
  },
  session_check: {
    examples: `- name: Sessions are shared through Redis
  session_check:
    redis_host: redis1
    redis_password: "{{redis_password}}"
  run_once: true`,
    returns: {
      sequence: 'Each visit in order: the host and the counter it showed.',
      session_id: 'The session cookie shared by the visits.',
    },
  },
};
