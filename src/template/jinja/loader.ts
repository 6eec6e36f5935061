// Finds the templates an `{% include %}`, `{% import %}`, `{% from %}` or `{% extends %}` names,
// as Ansible's template action sets up Jinja2's FileSystemLoader: the role's templates/ and the
// role, the playbook's templates/ and the playbook's directory, then the template's own directory.
// A name is a path relative to one of those: `..` never leaves them (as in Jinja2), so a name that
// came from a host can only ever pick one of the project's own templates.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { didYouMean } from '../../core/suggest.js';
import { dirname, join, resolve } from 'node:path';
import { locate } from '../problem.js';
import { templateSourceText } from '../source-text.js';
import type { ParsedTemplate } from './parse.js';

export interface LoadedTemplate {
  file: string;
  text: string;
  tree: ParsedTemplate;
}

export interface Loader {
  /** The directories searched, in order (named in a "not found" error). */
  readonly searchPath: readonly string[];
  /** The template `name` names, parsed; undefined when no directory has it. */
  load(name: string): LoadedTemplate | undefined;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The role holding `file`: the nearest directory above with tasks/main.yml. */
function roleOf(file: string): string | undefined {
  for (let d = dirname(resolve(file)); ; d = dirname(d)) {
    if (isFile(join(d, 'tasks', 'main.yml')) || isFile(join(d, 'tasks', 'main.yaml'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

/** Ansible's template search path for `file` (each directory's templates/ first, then itself). */
export function templateSearchPath(file: string, where: { roleDir?: string; playbookDir?: string } = {}): string[] {
  const bases = [where.roleDir ?? roleOf(file), where.playbookDir, dirname(resolve(file))].filter((d): d is string => d !== undefined);
  const out: string[] = [];
  for (const b of bases) for (const d of [join(b, 'templates'), b]) if (!out.includes(d)) out.push(d);
  return out;
}

/** Jinja2's split_template_path: '/'-separated pieces, `..` refused. */
function pieces(name: string): string[] | undefined {
  const out: string[] = [];
  for (const p of name.split('/')) {
    if (p === '..') return undefined;
    if (p !== '' && p !== '.') out.push(p);
  }
  return out.length > 0 ? out : undefined;
}

export function fileLoader(searchPath: readonly string[], parse: (text: string) => ParsedTemplate): Loader {
  return {
    searchPath,
    load(name) {
      const parts = pieces(name);
      if (!parts) return undefined;
      for (const dir of searchPath) {
        const file = join(dir, ...parts);
        if (!isFile(file)) continue;
        const text = templateSourceText(readFileSync(file), file);
        try {
          return { file, text, tree: parse(text) };
        } catch (err) {
          throw locate(err, file);
        }
      }
      return undefined;
    },
  };
}

/** Jinja2's TemplateNotFound, naming where runbook looked, with a did-you-mean among the templates there. */
export function missingTemplate(names: string[], loader: Loader): { message: string; hint?: string } {
  const known: string[] = [];
  for (const dir of loader.searchPath) {
    try {
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isFile()) known.push(e.name);
    } catch {
      // A directory of the path that does not exist has nothing to suggest.
    }
  }
  const what = names.length === 1 ? `template '${names[0]}' not found` : `none of the templates '${names.join("', '")}' found`;
  const hint = didYouMean(names[0]!.split('/').at(-1)!, known);
  return { message: `${what} (searched ${loader.searchPath.join(', ')})`, ...(hint ? { hint } : {}) };
}
