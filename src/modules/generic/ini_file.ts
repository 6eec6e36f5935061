// ini_file: sets one option of one section in an INI-style file (php.ini, my.cnf) in place.
import { attrArgs, backupArg, fileDiffText, followEditArg, validateArg } from '../lib/common-args.js';
import { iniEdit, type IniEdit } from '../lib/ini-edit.js';
import { editProbe, planEdit, readEditArgs, type EditArgs } from '../lib/text-edit.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

export type IniFileArgs = EditArgs & IniEdit;

export const iniFileSpec = defineSpec({
  description: 'Sets (or removes) one option of one section in an INI-style file such as php.ini, in place.',
  args: {
    path: { type: 'str', required: true, aliases: ['dest'], description: 'Path of the file on the host.' },
    section: { type: 'str', description: 'The [section] the option belongs to; empty or missing: before the first section.' },
    option: {
      type: 'str',
      description: "The option name. Setting it replaces its first line in the section, a commented-out `#option = x` or `;option` included, and removes the others, as Ansible 2.14 does; a missing one is added after the section's last setting.",
    },
    value: { type: 'str', description: 'The option value; needs option. Required with state=present unless allow_no_value.' },
    state: {
      type: 'str',
      choices: ['present', 'absent'],
      default: 'present',
      description: 'present: option = value is set; absent: the option (active lines only), or the whole section without option, is removed.',
    },
    no_extra_spaces: { type: 'bool', default: false, description: 'Write option=value instead of option = value.' },
    allow_no_value: { type: 'bool', default: false, description: 'Allow an option without = value.' },
    create: { type: 'bool', default: true, description: 'Create the file when it is missing.' },
    backup: backupArg,
    validate: validateArg,
    ...attrArgs,
    follow: followEditArg,
  },
  examples: `- name: Keep PHP sessions in Redis
  ini_file:
    path: /etc/php/8.2/fpm/php.ini
    section: Session
    option: session.save_handler
    value: redis`,
  diff: fileDiffText,
});

export const iniFileModule: RemoteModule<IniFileArgs> = {
  kind: 'remote',
  name: 'ini_file',
  ...specFields(iniFileSpec),
  parse(raw, loc) {
    const { args: p, reader: args } = parseSpec('ini_file', iniFileSpec, raw, loc);
    const { state, allow_no_value: allowNoValue, value } = p;
    const option = p.option || undefined;
    const section = p.section;
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
    return { ...readEditArgs(args, true), section, option, value, state, noExtraSpaces: p.no_extra_spaces, allowNoValue };
  },
  probe: (args) => editProbe(args),
  plan: (args, probe, ctx) => planEdit(args, probe, ctx, (text) => iniEdit(text, args), { missingOk: args.state === 'absent' ? 'file not present' : undefined }),
};
