// shell: runs a script through /bin/sh (or `executable`), for pipes, redirections and variables.
import { commandProbe, parseCommandArgs, planCommand, type CommandArgs } from '../lib/run-command.js';
import type { RemoteModule } from '../types.js';

export const shellModule: RemoteModule<CommandArgs> = {
  kind: 'remote',
  name: 'shell',
  freeForm: 'cmd',
  argNames: ['cmd', 'chdir', 'creates', 'removes', 'stdin', 'stdin_add_newline', 'strip_empty_ends', 'executable'],
  parse: (raw, loc) => parseCommandArgs('shell', raw, loc),
  probe: (args) => commandProbe(args),
  plan: (args, probe) => planCommand(args, probe),
};
