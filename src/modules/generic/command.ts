// command: runs a program with its arguments and no shell, so `;` or `|` in it stay literal; `$VAR` and `~` are expanded as Ansible 2.14 does.
import { commandProbe, parseCommandArgs, planCommand, type CommandArgs } from '../lib/run-command.js';
import type { RemoteModule } from '../types.js';

export const commandModule: RemoteModule<CommandArgs> = {
  kind: 'remote',
  name: 'command',
  freeForm: 'cmd',
  argNames: ['cmd', 'argv', 'chdir', 'creates', 'removes', 'stdin', 'stdin_add_newline', 'strip_empty_ends'],
  parse: (raw, loc) => parseCommandArgs('command', raw, loc),
  probe: (args) => commandProbe(args),
  plan: (args, probe) => planCommand(args, probe),
};
