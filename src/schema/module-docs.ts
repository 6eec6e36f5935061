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

export const MODULE_DOCS: Record<string, ModuleDoc> = {
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
      option: argStr('The option name. Setting it replaces its first line in the section, a commented-out `#option = x` or `;option` included, and removes the others, as Ansible 2.14 does; a missing one is added after the section\'s last setting.'),
      value: argStr('The option value; needs option. Required with state=present unless allow_no_value.'),
      state: argEnum(['present', 'absent'], 'present (default): option = value is set; absent: the option (active lines only), or the whole section without option, is removed.'),
      no_extra_spaces: argBool('Write option=value instead of option = value.'),
      allow_no_value: argBool('Allow an option without = value.'),
      create: argBool('Create the file when it is missing (default true).'),
      backup, validate, mode: argMode(), owner, group,
      follow: followEdit,
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
};
