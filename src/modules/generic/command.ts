// command: runs a program with its arguments and no shell, so `;` or `|` in it stay literal; `$VAR` and `~` are expanded as Ansible 2.14 does.
import { commandCheckMode, commandProbe, commandReturns, cmdArg, commandSpecArgs, parseCommandArgs, planCommand, type CommandArgs } from '../lib/run-command.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

export const commandSpec = defineSpec({
  description:
    'Runs a program with its arguments and no shell: pipes, ; and globs stay literal, while $VAR, ${VAR} and a leading ~ in each argument are expanded on the host from its environment, as in Ansible 2.14 (quotes do not stop it; an unset variable stays as written). Reports changed unless changed_when: says otherwise; not run in check mode.',
  args: {
    cmd: cmdArg,
    argv: { type: 'list', description: 'The command as a list of words, instead of cmd (no quoting needed).' },
    ...commandSpecArgs,
  },
  freeForm: { arg: 'cmd', description: 'The command line, optionally with chdir=, creates=, removes= words, which are taken out as Ansible does.' },
  mutuallyExclusive: [['cmd', 'argv']],
  examples: `- name: Show the kernel version
  command: uname -r
  register: kernel
  changed_when: false

- name: Initialise the database once
  command:
    argv: [/usr/local/bin/app, init, --data, /srv/app]
    creates: /srv/app/initialised`,
  returns: commandReturns,
  checkMode: commandCheckMode,
});

export const commandModule: RemoteModule<CommandArgs> = {
  kind: 'remote',
  name: 'command',
  ...specFields(commandSpec),
  parse: (raw, loc) => parseCommandArgs('command', commandSpec, raw, loc),
  probe: (args) => commandProbe(args),
  plan: (args, probe) => planCommand(args, probe),
};
