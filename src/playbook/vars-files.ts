// A play's vars_files. A literal name is read with the playbook; a name that needs a variable
// (vars/{{ ansible_os_family }}.yml) is kept as written and read per host while running, once its
// variables are known (src/executor/vars-files.ts), as Ansible templates each entry per host.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { expectList } from '../yaml/expect.js';
import { locAt } from '../yaml/locs.js';
import { loadVarsFile } from '../yaml/vars-file.js';
import type { TaskContext } from './context.js';
import { filesNamedBy } from './include-probe.js';
import type { VarsFileEntry } from './types.js';
import { toStringList } from './values.js';

const isTemplated = (name: string): boolean => name.includes('{{') || name.includes('{%');

/**
 * Where Ansible looks for a vars_files name (its path_dwim_relative_stack with 'vars'): `vars/NAME`,
 * then `NAME`, beside the playbook holding the play (`vars/` is not doubled); absolute and `~` names as written.
 */
export function varsFileCandidates(dir: string, name: string): string[] {
  if (name === '~' || name.startsWith('~/')) return [join(homedir(), name.slice(1))];
  if (isAbsolute(name)) return [name];
  return name.split('/')[0] === 'vars' ? [resolve(dir, name)] : [resolve(dir, 'vars', name), resolve(dir, name)];
}

/** vars_files in order; a nested list means "the first of these that exists". */
export function parseVarsFiles(value: unknown, loc: SourceLoc, ctx: TaskContext): VarsFileEntry[] {
  if (value === undefined || value === null) return [];
  const { env } = ctx;
  const list = expectList(value, 'vars_files', loc);
  return list.map((entry, i): VarsFileEntry => {
    const where = locAt(list, i, loc);
    const names = toStringList(entry, 'vars_files entry', where);
    if (names.some(isTemplated)) {
      if (env.notice && !names.some((n) => mayExist(n, env.playbookDir, ctx))) {
        env.notice(new InputError(`vars_files: no file can match ${names.map((n) => `'${n}'`).join(' or ')}`, where, `looked in ${env.playbookDir}/vars and ${env.playbookDir}; a host fails at its first task unless one of them exists`));
      }
      return { kind: 'per-host', names, dir: env.playbookDir, loc: where };
    }
    const tried = names.flatMap((n) => varsFileCandidates(env.playbookDir, n));
    const found = tried.find((p) => existsSync(p));
    if (!found) throw new InputError(`vars file not found: ${names.join(' or ')}`, where, `looked for ${tried.join(', ')}`);
    return { kind: 'loaded', vars: loadVarsFile(found, where, env.vault) };
  });
}

/**
 * --syntax-check and compat: whether some file could be what `name` renders to, its `{{ }}` parts
 * standing for any text within one path segment. A name that starts with a variable
 * (`{{ inventory_dir }}/x.yml`, `{{ file }}`) may be anything: assumed to exist.
 */
function mayExist(name: string, dir: string, ctx: TaskContext): boolean {
  if (!isTemplated(name)) return varsFileCandidates(dir, name).some((p) => existsSync(p));
  const known = name.replace(/\{\{\s*playbook_dir\s*\}\}/g, dir);
  if (/^\s*\{[{%]/.test(known) || known.includes('{%')) return true;
  const bases = isAbsolute(known) || known.split('/')[0] === 'vars' ? [dir] : [join(dir, 'vars'), dir];
  return filesNamedBy(known, ctx, bases).length > 0;
}
