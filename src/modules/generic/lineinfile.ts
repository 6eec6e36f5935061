// lineinfile: makes sure one line is (or is not) in a text file, with Ansible's rules for regexp,
// insertafter/insertbefore and backrefs, so existing playbooks edit files the same way.
import { ArgReader } from '../lib/args.js';
import { lineAbsent, linePresent, type LinePresent } from '../lib/line-edit.js';
import { pyRegExp } from '../lib/pyregex.js';
import { editProbe, planEdit, readEditArgs, type EditArgs } from '../lib/text-edit.js';
import type { RemoteModule } from '../types.js';

/** The editing rules' own arguments, with `line` optional because `state: absent` needs none. */
export type LineinfileArgs = EditArgs & Omit<LinePresent, 'line'> & { state: 'present' | 'absent'; line?: string };

const aliases = { dest: 'path', destfile: 'path', name: 'path', regex: 'regexp', value: 'line' };

export const lineinfileModule: RemoteModule<LineinfileArgs> = {
  kind: 'remote',
  name: 'lineinfile',
  argNames: ['path', ...Object.keys(aliases), 'regexp', 'search_string', 'line', 'state', 'insertafter', 'insertbefore', 'backrefs', 'create', 'backup', 'firstmatch', 'validate', 'mode', 'owner', 'group', 'follow'],
  parse(raw, loc) {
    const args = new ArgReader('lineinfile', raw, loc, aliases);
    args.exclusive('insertbefore', 'insertafter');
    args.exclusive('regexp', 'search_string');
    args.exclusive('backrefs', 'search_string');
    const regex = (key: string, keep: string[] = []): RegExp | string | undefined => {
      const v = args.str(key);
      if (v === undefined || keep.includes(v)) return v;
      try {
        return pyRegExp(v);
      } catch (err) {
        throw args.error(`'${key}' is not a valid regular expression: ${(err as Error).message}`);
      }
    };
    const state = args.choice('state', ['present', 'absent'] as const, 'present');
    const line = args.str('line');
    const backrefs = args.bool('backrefs', false);
    const parsed: LineinfileArgs = {
      ...readEditArgs(args, false),
      state,
      line,
      regexp: regex('regexp') as RegExp | undefined,
      searchString: args.str('search_string'),
      insertafter: regex('insertafter', ['EOF', 'BOF']),
      insertbefore: regex('insertbefore', ['BOF']),
      backrefs,
      firstmatch: args.bool('firstmatch', false),
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
        'file not present',
      );
    }
    return planEdit(args, probe, ctx, (text) => linePresent(text, { ...args, line: args.line! }));
  },
};
