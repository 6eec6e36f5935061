// include_vars: loads variables from a YAML/JSON file (or a folder of them) on the controller while
// the play runs, so a role can pick `vars/{{ ansible_os_family }}.yml` after facts are gathered.
import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { SourceLoc, Vars } from '../../core/types.js';
import { parseSpec } from '../lib/spec-parse.js';
import { defineSpec, specFields } from '../spec.js';
import type { ActionContext, ActionModule } from '../types.js';

export const includeVarsSpec = defineSpec({
  description: 'Loads variables from a YAML or JSON file (or a folder of them) on the controller while the play runs, e.g. vars/{{ansible_os_family}}.yml after the facts are known.',
  args: {
    file: { type: 'str', description: "The file: in the role's vars/, the role, vars/ beside the playbook, or the playbook's folder." },
    dir: { type: 'str', description: 'A folder whose files are all read (sorted by name), instead of file.' },
    name: { type: 'str', description: 'Put the variables under this one variable instead of at the top level.' },
    depth: { type: 'int', default: 0, description: 'With dir: how deep to read subfolders (0: no limit).' },
    files_matching: { type: 'str', description: 'With dir: only files whose names match this regular expression.' },
    ignore_files: { type: 'list', default: [], description: 'With dir: file names to skip.' },
    extensions: { type: 'list', default: ['yaml', 'yml', 'json'], description: 'With dir: file extensions read.' },
  },
  freeForm: { arg: '_raw_params', description: 'The file, as file: finds it.' },
  mutuallyExclusive: [['file', 'dir']],
  examples: `- name: Variables for this OS family
  include_vars: "vars/{{ansible_os_family}}.yml"

- include_vars:
    dir: vars/extra
    name: extra`,
  returns: { ansible_facts: 'The variables read.', ansible_included_var_files: 'The files that were read.' },
});

export interface IncludeVarsArgs {
  /** A file, or with `dir` unset, what the free form names. */
  file?: string;
  dir?: string;
  /** Put everything under this one variable instead of at the top level. */
  name?: string;
  /** Folder depth to read (0: no limit), as Ansible's `depth`. */
  depth: number;
  filesMatching?: RegExp;
  ignoreFiles: string[];
  extensions: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function parseIncludeVarsArgs(raw: Record<string, unknown>, loc: SourceLoc): IncludeVarsArgs {
  // The free form is the file, as Ansible reads it.
  const { _raw_params: freeForm, ...named } = raw;
  if (freeForm !== undefined && named.file !== undefined) throw new InputError(`include_vars: '_raw_params' and 'file' name the same argument; give only one`, loc);
  const { args: p, reader: args } = parseSpec('include_vars', includeVarsSpec, freeForm === undefined ? named : { ...named, file: freeForm }, loc);
  const { file, dir } = p;
  if ((file === undefined || file === '') && (dir === undefined || dir === '')) {
    throw args.error('needs a file (include_vars: FILE, or file:) or a dir:', 'write include_vars: vars/main.yml');
  }
  const name = p.name;
  if (name !== undefined && !NAME.test(name)) throw args.error(`name: '${name}' is not a valid variable name`, 'use letters, digits and _, starting with a letter');
  const pattern = p.files_matching;
  let filesMatching: RegExp | undefined;
  if (pattern !== undefined) {
    try {
      filesMatching = new RegExp(pattern);
    } catch (err) {
      throw args.error(`files_matching: ${(err as Error).message}`);
    }
  }
  const extensions = p.extensions.map((e) => e.replace(/^\./, ''));
  const out: IncludeVarsArgs = { depth: p.depth, ignoreFiles: p.ignore_files, extensions };
  if (file) out.file = file;
  if (dir) out.dir = dir;
  if (name) out.name = name;
  if (filesMatching) out.filesMatching = filesMatching;
  return out;
}

/** The files of a folder in Ansible's order: sorted by name, a folder's files before its subfolders'. */
function filesOf(root: string, a: IncludeVarsArgs): string[] {
  const out: string[] = [];
  const walk = (dir: string, level: number): void => {
    const entries = readdirSync(dir).sort();
    const subdirs: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) {
        subdirs.push(path);
        continue;
      }
      if (!a.extensions.includes(extname(entry).slice(1))) continue;
      if (a.ignoreFiles.includes(entry) || a.ignoreFiles.includes(relative(root, path))) continue;
      if (a.filesMatching && !a.filesMatching.test(basename(entry))) continue;
      out.push(path);
    }
    if (a.depth === 0 || level < a.depth) for (const sub of subdirs) walk(sub, level + 1);
  };
  walk(root, 1);
  return out;
}

export function includeVars(a: IncludeVarsArgs, ctx: ActionContext): { vars: Vars; files: string[] } {
  if (!ctx.findVars || !ctx.loadVars) throw new Error('include_vars needs the executor\'s vars lookup');
  const found = ctx.findVars(a.file ?? a.dir!);
  const isDir = statSync(found).isDirectory();
  if (isDir !== (a.dir !== undefined)) {
    throw new InputError(`include_vars: ${found} is ${isDir ? 'a folder' : 'a file'}`, ctx.loc, isDir ? `write dir: ${a.file}` : `write file: ${a.dir}`);
  }
  const files = isDir ? filesOf(found, a) : [found];
  const vars: Vars = {};
  // A later file's top-level keys replace an earlier one's, as Ansible's default hash_behaviour does.
  for (const f of files) Object.assign(vars, ctx.loadVars(f));
  return { vars, files };
}

export const includeVarsModule: ActionModule<IncludeVarsArgs> = {
  kind: 'action',
  touchesNoHost: true,
  name: 'include_vars',
  checkMode: 'run',
  ...specFields(includeVarsSpec),
  parse: parseIncludeVarsArgs,
  async run(a, ctx) {
    const { vars, files } = includeVars(a, ctx);
    // Playbook content, not host data: templates inside the file render when the variables are used, as with vars_files.
    const included = a.name ? { [a.name]: vars } : vars;
    return { changed: false, vars: included, data: { ansible_facts: included, ansible_included_var_files: files } };
  },
};
