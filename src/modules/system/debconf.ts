// debconf: pre-seeds (or reads) a package's debconf answers, as Ansible 2.14's debconf does: the
// current answers from debconf-show, a change with debconf-set-selections. The value always goes on
// stdin; a password is compared by its hash, computed on the host, so it never travels back.
import { createHash } from 'node:crypto';
import { shQuote } from '../../core/shell.js';
import type { SourceLoc, Vars } from '../../core/types.js';
import type { ExecResult } from '../../transport/types.js';
import { keyValues, parseSections, sectionsScript } from '../lib/sections.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ModuleContext, Plan, RemoteModule } from '../types.js';

export const debconfSpec = defineSpec({
  description: "Sets a package's debconf answer (debconf-set-selections) before or after it is installed, or reads its current answers.",
  args: {
    name: { type: 'str', required: true, aliases: ['pkg'], description: 'The package whose questions these are.' },
    question: { type: 'str', aliases: ['selection', 'setting'], description: 'The debconf question (tzdata/Areas); without it the task only reads the current answers.' },
    vtype: {
      type: 'str',
      choices: ['boolean', 'error', 'multiselect', 'note', 'password', 'seen', 'select', 'string', 'text', 'title'],
      description: "The type of the value. A password's value is masked in every output, as no_log would.",
    },
    value: { type: 'str', aliases: ['answer'], description: 'The answer. multiselect: the choices separated by ", ".' },
    unseen: { type: 'bool', default: false, description: "Do not mark the question as seen (debconf-set-selections -u): the package's installer still asks it." },
  },
  requiredTogether: [['question', 'vtype', 'value']],
  examples: `- name: The default locale
  debconf:
    name: locales
    question: locales/default_environment_locale
    value: fr_FR.UTF-8
    vtype: select

- name: MariaDB's root password, before the package is installed
  debconf:
    name: mariadb-server
    question: mysql-server/root_password
    value: "{{ db_root_password }}"
    vtype: password

- name: What tzdata was told
  debconf:
    name: tzdata
  register: tz`,
  returns: {
    current: 'The answers after the task: every question of the package (no question given), or the one set.',
    previous: 'The answer before, when it changed.',
  },
  diff: 'The question and its answer before and after (a password masked).',
});

export interface DebconfArgs {
  name: string;
  question?: string;
  vtype?: string;
  value?: string;
  unseen: boolean;
}

export function parseDebconfArgs(raw: Record<string, unknown>, loc: SourceLoc): DebconfArgs {
  const { args, reader } = parseSpec('debconf', debconfSpec, raw, loc);
  for (const [key, v] of [['name', args.name], ['question', args.question]] as const) {
    if (v !== undefined && /\s/.test(v)) throw reader.error(`'${key}' must not contain whitespace, got '${v}'`);
  }
  if (args.value !== undefined && /\n/.test(args.value)) throw reader.error(`'value' must be one line: debconf-set-selections reads one answer a line`);
  return { name: args.name, question: args.question, vtype: args.vtype, value: args.value, unseen: args.unseen };
}

/** A boolean answer the way debconf stores it (Ansible's True and yes become true). */
function normalize(vtype: string, value: string): string {
  if (vtype === 'boolean') return ['true', 'yes', 'on', '1'].includes(value.toLowerCase()) ? 'true' : ['false', 'no', 'off', '0'].includes(value.toLowerCase()) ? 'false' : value;
  return value;
}

/** multiselect answers in any order are the same answer. */
function same(vtype: string, want: string, have: string): boolean {
  if (vtype === 'multiselect') return want.split(',').map((s) => s.trim()).sort().join(', ') === have.split(',').map((s) => s.trim()).sort().join(', ');
  if (vtype === 'boolean') return want.toLowerCase() === have.toLowerCase();
  return want === have;
}

export function debconfProbe(a: DebconfArgs): string {
  const parts: Record<string, string> = {
    show: `command -v debconf-show >/dev/null 2>&1 || { echo 'debconf-show is not installed: the debconf module needs the debconf package' >&2; exit 1; }\nLC_ALL=C debconf-show ${shQuote(a.name)}`,
  };
  if (a.vtype === 'password' && a.question !== undefined) {
    // debconf-show prints "(password omitted)": hash the stored password on the host instead.
    parts.password = [
      `v=$(q=${shQuote(a.question)} awk 'BEGIN { q = ENVIRON["q"] } /^Name: / { n = substr($0, 7) } n == q && /^Value: / { printf "%s", substr($0, 8); found = 1 } END { exit !found }' /var/cache/debconf/passwords.dat 2>/dev/null) &&`,
      `  printf 'sha256=%s\\n' "$(printf '%s' "$v" | sha256sum | cut -d' ' -f1)"; :`,
    ].join('\n');
  }
  return sectionsScript(parts);
}

/** debconf-show's lines: "* tzdata/Areas: Europe" (the * marks a seen question). */
export function parseDebconfShow(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).replace(/^[\s*]+/, '').trim();
    if (key !== '') out[key] = line.slice(colon + 1).trim();
  }
  return out;
}

export function planDebconf(a: DebconfArgs, probe: ExecResult, ctx: Pick<ModuleContext, 'addSecret' | 'diff'>): Plan {
  const parsed = parseSections(probe);
  if ('error' in parsed) return { changes: [], steps: [], failure: { msg: parsed.error } };
  const prev = parseDebconfShow(parsed.sections.show ?? '');
  if (a.question === undefined || a.vtype === undefined || a.value === undefined) return { changes: [], steps: [], data: { current: prev } };
  const secret = a.vtype === 'password';
  if (secret && a.value !== '') ctx.addSecret(a.value);
  const value = normalize(a.vtype, a.value);
  const have = prev[a.question];
  let unchanged: boolean;
  if (secret) {
    const stored = keyValues(parsed.sections.password).sha256;
    unchanged = stored !== undefined && stored === createHash('sha256').update(value).digest('hex');
  } else {
    unchanged = have !== undefined && same(a.vtype, value, have);
  }
  if (unchanged) return { changes: [], steps: [], data: { current: { [a.question]: secret ? value : have } } };
  const previous: Vars = { [a.question]: have ?? '' };
  const current: Vars = { [a.question]: value };
  const shown = (v: string) => (secret ? '********' : v);
  return {
    changes: [`set ${a.question} (${a.vtype}) to ${secret ? 'a new password' : `'${value}'`}${have === undefined ? '' : secret ? '' : `, was '${have}'`}`],
    steps: [{ script: `debconf-set-selections${a.unseen ? ' -u' : ''}`, stdin: `${a.name} ${a.question} ${a.vtype} ${value}\n` }],
    diffs: ctx.diff ? [{ path: `debconf ${a.name}`, before: `${a.question}: ${shown(have ?? '')}\n`, after: `${a.question}: ${shown(value)}\n` }] : undefined,
    data: { current, previous },
  };
}

export const debconfModule: RemoteModule<DebconfArgs> = {
  kind: 'remote',
  name: 'debconf',
  ...specFields(debconfSpec),
  parse: parseDebconfArgs,
  probe: (a) => ({ script: debconfProbe(a) }),
  plan: (a, probe, ctx) => planDebconf(a, probe, ctx),
};
