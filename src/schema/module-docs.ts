// What each module and argument means and which values it takes, for editors' hover and checks.
// Which arguments exist comes from the registry (argNames); an argument missing here is still
// accepted, only without a description. A test checks every entry names a real argument.
import { argAny, argBool, argEnum, argInt, argList, argMapping, argMode, argStr, type JsonSchema } from './values.js';

export interface ModuleDoc {
  description: string;
  /** Schema of the free-form string (`command: ls -l`, `meta: flush_handlers`); default: any text. */
  freeForm?: JsonSchema;
  args: Record<string, JsonSchema>;
}

/** follow on the modules that write a file's content (host-path.ts, docs/security.md). */
const followWrite = argBool('Write the file a symbolic link at dest points to, keeping the link (default false); without it the link is replaced by the file. Only a link owned by root, the task\'s user or the owner of its target is followed; any other fails the task.');
const followEdit = argBool('Edit the file a symbolic link at path points to, keeping the link (default false); without it the link is replaced by a new file, edited from empty. Only a link owned by root, the task\'s user or the owner of its target is followed; any other fails the task.');
const owner = argStr('Owner of the file (a user name or uid); the user must exist on the host.');
const group = argStr('Group of the file (a group name or gid).');
const backup = argBool('Keep a timestamped copy of the old file beside it before changing it.');
const validate = argStr('A command that checks the new file before it replaces the old one; %s is the candidate file. A non-zero exit refuses the change.');
const path = argStr('Path of the file on the host.');
const commandArgs: Record<string, JsonSchema> = {
  cmd: argStr('The command line (the same as the free-form text).'),
  chdir: argStr('Change into this directory first ($VAR and a leading ~ are expanded on the host).'),
  creates: argStr('Skip the command when this path (or glob) already exists (the command then reports ok, not changed); $VAR and a leading ~ are expanded on the host, so ~/.profile is the remote user\'s.'),
  removes: argStr('Run the command only when this path (or glob) exists; $VAR and a leading ~ are expanded on the host.'),
  stdin: argStr('Text given to the command on its standard input (the place for secrets).'),
  stdin_add_newline: argBool('End stdin with a newline (default true).'),
  strip_empty_ends: argBool('Strip empty lines at the end of stdout and stderr in the result (default true).'),
};
const port = (what: string) => argInt(what, 1);

export const MODULE_DOCS: Record<string, ModuleDoc> = {
  command: {
    description: 'Runs a program with its arguments and no shell: pipes, ; and globs stay literal, while $VAR, ${VAR} and a leading ~ in each argument are expanded on the host from its environment, as in Ansible 2.14 (quotes do not stop it; an unset variable stays as written). Reports changed unless changed_when: says otherwise; not run in check mode.',
    args: { ...commandArgs, argv: argList('The command as a list of words, instead of cmd (no quoting needed).') },
  },
  shell: {
    description: 'Runs a script through /bin/sh (or executable), for pipes, redirections and variables. Reports changed unless changed_when: says otherwise; not run in check mode.',
    args: { ...commandArgs, executable: argStr('The shell to run the script with, instead of /bin/sh.') },
  },
  copy: {
    description: "Puts a file from the controller (src, looked up in the role's files/) or inline content on the host, atomically.",
    args: {
      src: argStr("The file to copy, in the role's files/ folder or beside the playbook."),
      content: argAny('The file content, instead of src (a mapping or list is written as JSON).'),
      dest: argStr('Where to write the file on the host.'),
      mode: argMode(), owner, group, backup, validate,
      force: argBool('Replace the file when its content differs (default true); false only creates it when missing.'),
      follow: followWrite,
    },
  },
  template: {
    description: "Renders a Handlebars template (from the role's templates/) with the host's variables and writes it like copy does.",
    args: {
      src: argStr("The template, in the role's templates/ folder or beside the playbook."),
      dest: argStr('Where to write the rendered file on the host.'),
      mode: argMode(), owner, group, backup, validate,
      force: argBool('Replace the file when its content differs (default true).'),
      follow: followWrite,
    },
  },
  ini_file: {
    description: 'Sets (or removes) one option of one section in an INI-style file such as php.ini, in place.',
    args: {
      path, dest: argStr('Alias of path.'),
      section: argStr('The [section] the option belongs to; empty or missing: before the first section.'),
      option: argStr('The option name.'),
      value: argStr('The option value.'),
      state: argEnum(['present', 'absent'], 'present (default): option = value is set; absent: the option (or the whole section) is removed.'),
      no_extra_spaces: argBool('Write option=value instead of option = value.'),
      allow_no_value: argBool('Allow an option without = value.'),
      create: argBool('Create the file when it is missing (default true).'),
      backup, validate, mode: argMode(), owner, group,
      follow: followEdit,
    },
  },
  set_fact: {
    description: 'Sets host variables for the rest of the run: each key is a variable name. cacheable is accepted and ignored.',
    args: {},
  },
  include_vars: {
    description: "Loads variables from a YAML or JSON file (or a folder of them) on the controller while the play runs, e.g. vars/{{ansible_os_family}}.yml after the facts are known.",
    freeForm: { type: ['string', 'number'], description: "Free-form: the file, as file: finds it." },
    args: {
      file: argStr("The file: in the role's vars/, the role, vars/ beside the playbook, or the playbook's folder."),
      dir: argStr('A folder whose files are all read (sorted by name), instead of file.'),
      name: argStr('Put the variables under this one variable instead of at the top level.'),
      depth: argInt('With dir: how deep to read subfolders (default 0: no limit).'),
      files_matching: argStr('With dir: only files whose names match this regular expression.'),
      ignore_files: argList('With dir: file names to skip.'),
      extensions: argList('With dir: file extensions read (default yaml, yml, json).'),
    },
  },
  meta: {
    description: 'A word to the executor rather than a module: flush_handlers runs the notified handlers now.',
    freeForm: { description: 'flush_handlers: run the notified handlers now; noop: nothing; refresh_inventory: accepted, nothing to refresh.', enum: ['flush_handlers', 'noop', 'refresh_inventory'] },
    args: { action: { enum: ['flush_handlers', 'noop', 'refresh_inventory'], description: 'The meta action.' } },
  },
  apt: {
    description: "Installs, upgrades or removes Debian packages in one apt-get call, planning from dpkg's status.",
    args: {
      name: argList('Package name(s): a list, or a comma-separated string; name=version pins a version.'),
      pkg: argList('Alias of name.'),
      package: argList('Alias of name.'),
      state: argEnum(['present', 'installed', 'absent', 'removed', 'latest'], 'present (default), absent, or latest (upgrade to the newest candidate).'),
      update_cache: argBool('Run apt-get update first (only when the lists are older than cache_valid_time, if given).'),
      'update-cache': argBool('Alias of update_cache.'),
      cache_valid_time: argInt('Seconds the package lists stay fresh; older lists are updated first.'),
      install_recommends: argBool("Install recommended packages too (default: apt's configuration)."),
      'install-recommends': argBool('Alias of install_recommends.'),
      purge: argBool('With state: absent, remove configuration files too.'),
      lock_timeout: argInt('Seconds to wait for the dpkg/apt lock held by another program before failing (default 300).', 1),
    },
  },
  service: {
    description: 'Starts, stops, restarts or reloads a service and sets whether it starts at boot, through systemctl (or init scripts without systemd). Also known as systemd.',
    args: {
      name: argStr('The service (unit) name.'),
      service: argStr('Alias of name.'),
      unit: argStr('Alias of name.'),
      state: argEnum(['started', 'stopped', 'restarted', 'reloaded'], 'started/stopped change only when needed; restarted/reloaded always act.'),
      enabled: argBool('Start the service at boot.'),
      daemon_reload: argBool("Reload systemd's unit files first, every time the task runs (not in check mode); as in Ansible, the reload alone reports ok."),
      'daemon-reload': argBool('Alias of daemon_reload.'),
    },
  },
  setup: {
    description: "Reads the host's facts again (ansible_os_family, ansible_default_ipv4, php_version ...), e.g. after installing something.",
    args: {
      filter: argList('Only the facts whose names match these patterns.'),
      gather_subset: argAny('Accepted for Ansible playbooks and ignored: runbook gathers one fixed set.'),
      gather_timeout: argAny('Accepted for Ansible playbooks and ignored.'),
      fact_path: argAny('Accepted for Ansible playbooks and ignored.'),
    },
  },
  ufw: {
    description: "Firewall rules, default policies, logging and enablement with ufw. Never locks out the SSH connection in use: enabling without a rule for its port is refused.",
    args: {
      state: argEnum(['enabled', 'disabled', 'reloaded', 'reset'], 'Turn the firewall on or off, reload it, or reset it.'),
      default: argEnum(['allow', 'deny', 'reject'], 'The default policy for direction (incoming by default).'),
      policy: argEnum(['allow', 'deny', 'reject'], 'Alias of default.'),
      direction: argEnum(['in', 'incoming', 'out', 'outgoing', 'routed'], 'Which traffic a rule or the default policy is about.'),
      logging: argEnum(['on', 'off', 'low', 'medium', 'high', 'full'], 'The logging level.'),
      rule: argEnum(['allow', 'deny', 'limit', 'reject'], 'Add (or with delete: remove) a rule of this kind.'),
      log: argBool('Log packets matching the rule.'),
      delete: argBool('Remove the rule instead of adding it.'),
      interface: argStr('Network interface the rule is about.'),
      if: argStr('Alias of interface.'),
      from_ip: argStr("Source address or network (10.0.0.0/8); default any."),
      from: argStr('Alias of from_ip.'),
      src: argStr('Alias of from_ip.'),
      from_port: argStr('Source port, range (60000:61000) or list (80,443).'),
      to_ip: argStr('Destination address or network; default any.'),
      to: argStr('Alias of to_ip.'),
      dest: argStr('Alias of to_ip.'),
      to_port: argStr('Destination port, range (60000:61000) or list (80,443); numbers only, no service names.'),
      port: argStr('Alias of to_port.'),
      proto: argEnum(['tcp', 'udp', 'any'], 'Protocol (default any); a port range or list needs tcp or udp.'),
      protocol: argEnum(['tcp', 'udp', 'any'], 'Alias of proto.'),
      comment: argStr('A comment stored with the rule.'),
    },
  },
  uri: {
    description: "An HTTP request checked from the controller through an SSH tunnel to the host (or via another host), so a web server is tested without opening it to the controller.",
    args: {
      url: argStr('The full URL, as seen from the host (http://127.0.0.1/test.php).'),
      method: argStr('HTTP method (default GET).'),
      status_code: { description: 'Status code(s) that count as success (default 200).', type: ['integer', 'string', 'array', 'null'] },
      return_content: argBool("Put the response body in the result's content."),
      headers: argMapping('Request headers.'),
      body: argAny('Request body: text, or a mapping sent as JSON or form data (see body_format).'),
      body_format: argEnum(['raw', 'json', 'form-urlencoded'], 'How to send a mapping body (default json for a mapping, raw for text).'),
      via: argStr('Send the request through this inventory host instead of the task\'s host.'),
      tunnel: argBool('Send the request through the SSH connection (default true); false: straight from the controller.'),
      timeout: argInt('Seconds before giving up (default 30).', 1),
      follow_redirects: { description: 'Follow redirects: none, safe (GET and HEAD only; the default) or all; yes/no mean safe/none.', anyOf: [argEnum(['none', 'safe', 'all']), argBool()] },
      validate_certs: argBool('Check the server\'s TLS certificate (default true).'),
      expect_content: argList('Text(s) the body must contain.'),
      expect_cookies: argList('Cookie name(s) the response must set.'),
    },
  },
  redis: {
    description: 'Read-only checks of a Redis server from the controller through the host\'s SSH tunnel: authenticated PING, GET, a bounded SCAN, NOAUTH without the password. Never changes anything.',
    args: {
      host: argStr('Redis address as seen from the host (default 127.0.0.1).'),
      port: port('Redis port (default 6379).'),
      password: argStr('Redis password (AUTH); masked in every output.'),
      db: argInt('Database number.'),
      ping: argBool('Check that PING answers PONG.'),
      get: argStr('Read this key into the result.'),
      scan: argStr('Find keys matching this pattern (SCAN MATCH), at most scan_limit.'),
      scan_limit: argInt('The most keys scan: returns (default 1000).', 1),
      expect_noauth: argBool('Check that a client without the password is refused (NOAUTH).'),
      expect: argMapping('Keys and the values they must hold.'),
      timeout: argInt('Seconds before giving up (default 10).', 1),
      login_host: argStr('Alias of host.'),
      login_port: port('Alias of port.'),
      login_password: argStr('Alias of password.'),
    },
  },
  session_check: {
    description: 'The proof that PHP sessions live in Redis: one client with one cookie visits every web host in turn, as a load balancer would, then the session is read back from Redis.',
    args: {
      web_hosts: argList('Inventory hosts to visit (default: the hosts of the play batch).'),
      url_path: argStr('The counter page (default /test.php).'),
      address: argStr('Address of the web server as seen from each host (default 127.0.0.1).'),
      port: port('HTTP port (default 80).'),
      rounds: argInt('How many times to go round all the hosts (default 2).', 1),
      cookie_name: argStr('The session cookie (default PHPSESSID).'),
      key_prefix: argStr('Prefix of session keys in Redis (default PHPREDIS_SESSION:).'),
      redis_host: argStr('Inventory host to reach Redis through.'),
      redis_address: argStr('Redis address as seen from redis_host (default 127.0.0.1).'),
      redis_port: port('Redis port (default 6379).'),
      redis_password: argStr('The Redis password (required); masked in every output.'),
      timeout: argInt('Seconds each request may take (default 10).', 1),
    },
  },
};
