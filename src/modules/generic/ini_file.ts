// ini_file: sets one option of one section in an INI-style file (php.ini, my.cnf) in place.
import { ArgReader } from '../lib/args.js';
import { iniEdit, type IniEdit } from '../lib/ini-edit.js';
import { editProbe, planEdit, readEditArgs, type EditArgs } from '../lib/text-edit.js';
import type { RemoteModule } from '../types.js';

export type IniFileArgs = EditArgs & IniEdit;

export const iniFileModule: RemoteModule<IniFileArgs> = {
  kind: 'remote',
  name: 'ini_file',
  argNames: ['path', 'dest', 'section', 'option', 'value', 'state', 'no_extra_spaces', 'allow_no_value', 'create', 'backup', 'validate', 'mode', 'owner', 'group', 'follow'],
  parse(raw, loc) {
    const args = new ArgReader('ini_file', raw, loc, { dest: 'path' });
    const state = args.choice('state', ['present', 'absent'] as const, 'present');
    const allowNoValue = args.bool('allow_no_value', false);
    const option = args.str('option') || undefined;
    const value = args.str('value');
    const section = args.str('section');
    // Ansible refuses a missing value too; a value without option makes its module crash with a
    // Python TypeError (or, for a section not in the file yet, add only the section), and state=absent
    // with neither option nor section removes the lines before the first header and that header.
    if (state === 'present' && value === undefined && !allowNoValue) {
      throw args.error(`'value' must be given with state=present (or set allow_no_value: true)`);
    }
    if (state === 'present' && value !== undefined && option === undefined) {
      throw args.error(`'value' needs 'option': name the option to set to '${value}'${section ? ` in section '${section}'` : ''}`);
    }
    if (state === 'absent' && option === undefined && !section) {
      throw args.error(`state=absent needs 'option' (to remove it) or 'section' (to remove the whole section)`);
    }
    if (section !== undefined && /[\]\n]/.test(section)) throw args.error(`section '${section}' may not contain ']' or a newline`);
    return { ...readEditArgs(args, true), section, option, value, state, noExtraSpaces: args.bool('no_extra_spaces', false), allowNoValue };
  },
  probe: (args) => editProbe(args),
  plan: (args, probe, ctx) => planEdit(args, probe, ctx, (text) => iniEdit(text, args), args.state === 'absent' ? 'file not present' : undefined),
};
