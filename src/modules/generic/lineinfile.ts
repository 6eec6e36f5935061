// lineinfile: makes sure one line is (or is not) in a text file, with Ansible's rules for regexp,
// insertafter/insertbefore and backrefs, so existing playbooks edit files the same way.
import { attrArgs, backupArg, fileDiffText, followEditArg, validateArg } from '../lib/common-args.js';
import { lineAbsent, linePresent, type LinePresent } from '../lib/line-edit.js';
import { pyRegExp } from '../lib/pyregex.js';
import { editProbe, planEdit, readEditArgs, type EditArgs } from '../lib/text-edit.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { RemoteModule } from '../types.js';

/** The editing rules' own arguments, with `line` optional because `state: absent` needs none. */
export type LineinfileArgs = EditArgs & Omit<LinePresent, 'line'> & { state: 'present' | 'absent'; line?: string };

export const lineinfileSpec = defineSpec({
  description: "Makes sure one line is in a text file (or is not), replacing the line that regexp matches, with Ansible's rules for insertafter, insertbefore and backrefs.",
  args: {
    path: { type: 'str', required: true, aliases: ['dest', 'destfile', 'name'], description: 'Path of the file on the host.' },
    regexp: { type: 'str', aliases: ['regex'], description: 'A regular expression (Python syntax) for the line to replace or remove.' },
    search_string: { type: 'str', description: 'A literal string for the line to replace or remove, instead of regexp.' },
    line: { type: 'str', aliases: ['value'], description: 'The line that should be in the file.' },
    state: { type: 'str', choices: ['present', 'absent'], default: 'present', description: 'present: the line is there; absent: no line matches.' },
    insertafter: { type: 'str', description: 'Where to add the line when nothing matches: after the last line matching this regular expression, or EOF.' },
    insertbefore: { type: 'str', description: 'Where to add the line when nothing matches: before the last line matching this regular expression, or BOF.' },
    backrefs: { type: 'bool', default: false, description: 'Use \\1-style groups of regexp in line; when regexp matches nothing, leave the file alone.' },
    create: { type: 'bool', default: false, description: 'Create the file when it is missing.' },
    backup: backupArg,
    validate: validateArg,
    firstmatch: { type: 'bool', default: false, description: 'With insertafter/insertbefore: use the first matching line instead of the last.' },
    ...attrArgs,
    follow: followEditArg,
  },
  mutuallyExclusive: [['insertbefore', 'insertafter'], ['regexp', 'search_string'], ['backrefs', 'search_string']],
  examples: `- name: Listen on localhost only
  lineinfile:
    path: /etc/redis/redis.conf
    regexp: '^bind '
    line: bind 127.0.0.1`,
  diff: fileDiffText,
});

export const lineinfileModule: RemoteModule<LineinfileArgs> = {
  kind: 'remote',
  name: 'lineinfile',
  ...specFields(lineinfileSpec),
  parse(raw, loc) {
    const { args: p, reader: args } = parseSpec('lineinfile', lineinfileSpec, raw, loc);
    const regex = (key: string, keep: string[] = []): RegExp | string | undefined => {
      const v = args.str(key);
      if (v === undefined || keep.includes(v)) return v;
      try {
        return pyRegExp(v);
      } catch (err) {
        throw args.error(`'${key}' is not a valid regular expression: ${(err as Error).message}`);
      }
    };
    const { state, line, backrefs } = p;
    const parsed: LineinfileArgs = {
      ...readEditArgs(args, false),
      state,
      line,
      regexp: regex('regexp') as RegExp | undefined,
      searchString: p.search_string,
      insertafter: regex('insertafter', ['EOF', 'BOF']),
      insertbefore: regex('insertbefore', ['BOF']),
      backrefs,
      firstmatch: p.firstmatch,
    };
    if (state === 'present') {
      if (line === undefined) throw args.error(`'line' is required with state=present`);
      if (backrefs && !parsed.regexp) throw args.error('regexp is required with backrefs=true');
    } else if (line === undefined && !parsed.regexp && parsed.searchString === undefined) {
      throw args.error('one of line, search_string, or regexp is required with state=absent');
    }
    return parsed;
  },
  probe: (args) => editProbe(args),
  plan(args, probe, ctx) {
    if (args.state === 'absent') {
      return planEdit(
        args,
        probe,
        ctx,
        (text) => {
          const r = lineAbsent(text, { regexp: args.regexp, searchString: args.searchString, line: args.line });
          return { text: r.text, msg: r.found ? `${r.found} line(s) removed` : '' };
        },
        { missingOk: 'file not present' },
      );
    }
    return planEdit(args, probe, ctx, (text) => linePresent(text, { ...args, line: args.line! }));
  },
};
