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

const fileDiff = "The file's text before and after, as a unified diff (secrets masked). A symbolic link being replaced shows as the link, never as its target's text.";

export const MODULE_USAGE: Record<string, ModuleUsage> = {
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
};
