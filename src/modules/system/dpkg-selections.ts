// dpkg_selections: a package's dpkg selection (install, hold, deinstall, purge), as Ansible 2.14's
// dpkg_selections does: read it with dpkg --get-selections, compare, set it with dpkg --set-selections.
import { shQuote } from '../../core/shell.js';
import type { SourceLoc } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields, type ArgsOf } from '../spec.js';
import type { Plan, RemoteModule } from '../types.js';

export const dpkgSelectionsSpec = defineSpec({
  description: "Sets a package's dpkg selection: hold keeps apt from upgrading it; install, deinstall and purge mark what the next dpkg run does.",
  args: {
    name: { type: 'str', required: true, description: 'The package, as dpkg names it.' },
    selection: {
      type: 'str',
      required: true,
      choices: ['install', 'hold', 'deinstall', 'purge'],
      description: 'The selection state to set.',
    },
  },
  examples: `- name: Keep redis-server at its installed version
  dpkg_selections:
    name: redis-server
    selection: hold

- name: Let it be upgraded again
  dpkg_selections:
    name: redis-server
    selection: install`,
  returns: { before: "The selection before ('not present' when dpkg lists none).", after: 'The selection asked for.' },
});

export type DpkgSelectionsArgs = ArgsOf<typeof dpkgSelectionsSpec>;

const NAME = /^[a-z0-9][a-z0-9+.-]*(?::[a-z0-9-]+)?$/;

export function parseDpkgSelectionsArgs(raw: Record<string, unknown>, loc: SourceLoc): DpkgSelectionsArgs {
  const { args, reader } = parseSpec('dpkg_selections', dpkgSelectionsSpec, raw, loc);
  if (!NAME.test(args.name)) throw reader.error(`'${args.name}' is not a Debian package name`, 'lower case letters, digits and + - . (an :arch suffix allowed)');
  return args;
}

export function dpkgSelectionsProbe(a: DpkgSelectionsArgs): string {
  // dpkg exits 1 and prints nothing on stdout for a package it does not know.
  return sectionsScript({ selection: `LC_ALL=C dpkg --get-selections ${shQuote(a.name)} 2>/dev/null | awk 'NR==1 { print "selection=" $2 }'` });
}

export function planDpkgSelections(a: DpkgSelectionsArgs, probe: ExecResult): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const current = keyValues(parsed.sections.selection).selection || 'not present';
  const data = { before: current, after: a.selection };
  if (current === a.selection) return { changes: [], steps: [], data };
  // A package dpkg does not know is neither installed nor held: deinstall and purge hold already.
  if (current === 'not present' && (a.selection === 'deinstall' || a.selection === 'purge')) return { changes: [], steps: [], data };
  if (current === 'not present') {
    // dpkg --set-selections ignores a package it does not know (a warning, exit 0): the task would
    // report a change on every run and hold nothing. An earlier task may install it (check mode).
    return {
      changes: [],
      steps: [],
      data,
      failure: { msg: `dpkg does not know the package ${a.name}: install it first (or check its name)`, needs: [{ kind: 'package', name: a.name }] },
    };
  }
  return {
    changes: [`set the dpkg selection of ${a.name} from ${current} to ${a.selection}`],
    steps: [{ script: 'LC_ALL=C dpkg --set-selections', stdin: `${a.name} ${a.selection}\n` }],
    data,
  };
}

export const dpkgSelectionsModule: RemoteModule<DpkgSelectionsArgs> = {
  kind: 'remote',
  name: 'dpkg_selections',
  ...specFields(dpkgSelectionsSpec),
  parse: parseDpkgSelectionsArgs,
  probe: (a) => ({ script: dpkgSelectionsProbe(a) }),
  plan: (a, probe) => planDpkgSelections(a, probe),
};
