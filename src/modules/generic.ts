// The generic modules (files, commands, control flow), one file each; the registry reads this list.
import { assembleModule } from './generic/assemble.js';
import { assertModule } from './generic/assert.js';
import { blockinfileModule } from './generic/blockinfile.js';
import { commandModule } from './generic/command.js';
import { copyModule } from './generic/copy.js';
import { debugModule } from './generic/debug.js';
import { fetchModule } from './generic/fetch.js';
import { fileModule } from './generic/file.js';
import { findModule } from './generic/find.js';
import { getUrlModule } from './generic/get_url.js';
import { gitModule } from './generic/git.js';
import { includeVarsModule } from './generic/include_vars.js';
import { iniFileModule } from './generic/ini_file.js';
import { lineinfileModule } from './generic/lineinfile.js';
import { setFactModule } from './generic/set_fact.js';
import { shellModule } from './generic/shell.js';
import { replaceModule } from './generic/replace.js';
import { slurpModule } from './generic/slurp.js';
import { synchronizeModule } from './generic/synchronize.js';
import { statModule } from './generic/stat.js';
import { tempfileModule } from './generic/tempfile.js';
import { templateModule } from './generic/template.js';
import { unarchiveModule } from './generic/unarchive.js';
import { waitForModule } from './generic/wait_for.js';
import type { Module } from './types.js';

export const genericModules: Module[] = [
  commandModule,
  shellModule,
  copyModule,
  templateModule,
  fileModule,
  lineinfileModule,
  iniFileModule,
  blockinfileModule,
  replaceModule,
  assembleModule,
  tempfileModule,
  statModule,
  slurpModule,
  findModule,
  fetchModule,
  synchronizeModule,
  waitForModule,
  assertModule,
  debugModule,
  setFactModule,
  includeVarsModule,
  getUrlModule,
  unarchiveModule,
  gitModule,
];
