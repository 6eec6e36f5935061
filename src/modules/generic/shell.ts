// shell: runs a script through /bin/sh (or `executable`), for pipes, redirections and variables.
import { commandCheckMode, commandProbe, commandReturns, cmdArg, commandSpecArgs, parseCommandArgs, planCommand, type CommandArgs } from '../lib/run-command.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

export const shellSpec = defineSpec({
  description: 'Runs a script through /bin/sh (or executable), for pipes, redirections and variables. Reports changed unless changed_when: says otherwise; not run in check mode.',
  args: {
    cmd: cmdArg,
    ...commandSpecArgs,
    executable: { type: 'str', description: 'The shell to run the script with, instead of /bin/sh.' },
  },
  freeForm: { arg: 'cmd', description: 'The script, optionally with chdir=, creates=, removes=, executable= words, which are taken out as Ansible does.' },
  examples: `- name: Count the PHP sessions kept on disk
  shell: ls /var/lib/php/sessions | wc -l
  register: sessions
  changed_when: false`,
  returns: commandReturns,
  checkMode: commandCheckMode,
});

export const shellModule: RemoteModule<CommandArgs> = {
  kind: 'remote',
  name: 'shell',
  ...specFields(shellSpec),
  parse: (raw, loc) => parseCommandArgs('shell', shellSpec, raw, loc),
  probe: (args) => commandProbe(args),
  plan: (args, probe) => planCommand(args, probe),
};
