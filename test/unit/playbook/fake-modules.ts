// A fixed module table for the loader tests, so they do not depend on the real registry's contents.
import type { LoadPlaybookOptions, ModuleInfo } from '../../../src/playbook/load.js';

const table: ModuleInfo[] = [
  { name: 'command', argNames: ['cmd', 'creates', 'removes', 'chdir'], freeForm: 'cmd' },
  { name: 'shell', argNames: ['cmd', 'creates', 'removes', 'chdir'], freeForm: 'cmd' },
  { name: 'copy', argNames: ['src', 'dest', 'content', 'mode', 'owner', 'group', 'backup'] },
  { name: 'file', argNames: ['path', 'state', 'mode', 'owner', 'group', 'src'] },
  { name: 'template', argNames: ['src', 'dest', 'mode'] },
  { name: 'debug', argNames: ['msg', 'var'] },
  { name: 'service', argNames: ['name', 'state', 'enabled'] },
  { name: 'apt', argNames: ['name', 'state', 'update_cache'] },
  { name: 'set_fact', argNames: ['*'] },
  { name: 'meta', argNames: ['action'], freeForm: 'action' },
];

export const fakeModules: Required<Pick<LoadPlaybookOptions, 'modules' | 'moduleNames'>> = {
  modules: (name) => table.find((m) => m.name === name.replace(/^(ansible\.builtin|community\.general)\./, '')),
  moduleNames: table.map((m) => m.name),
};
