// The one place that decides which template dialect a file, or a value written in a file, uses.
// Handlebars is runbook's own; Jinja2 is for Ansible content, which arrives as whole roles and
// projects, so the decision is made per role (or project), never guessed from a string's syntax.
//
// The rule, first match wins (docs/templates.md, "Which dialect"):
//   1. the file's extension: `.j2` is Jinja2, `.hbs` Handlebars;
//   2. the role the file is in (a directory with tasks/main.yml): `template_dialect:` in its
//      meta/main.yml forces it;
//   3. the project (the nearest directory above with runbook.cfg or ansible.cfg): `template_dialect`
//      in runbook.cfg's [defaults] forces it;
//   4. the role's templates: a `.j2` file under templates/ makes it Jinja2, else a `.hbs` file
//      Handlebars (runbook init role writes .hbs templates beside Galaxy-style metadata);
//   5. the role's Galaxy metadata (`galaxy_info:` in meta/main.yml): Jinja2;
//   6. the project again: an ansible.cfg makes it Jinja2;
//   7. otherwise Handlebars.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parseIni } from '../config/ini.js';
import { InputError } from '../core/errors.js';

export type Dialect = 'handlebars' | 'jinja2';

export const DIALECTS: readonly Dialect[] = ['handlebars', 'jinja2'];

/** Why a dialect was chosen, for `-v` and `--syntax-check`. */
export interface DialectChoice {
  dialect: Dialect;
  because: string;
}

const cache = new Map<string, DialectChoice>();

function parseDialect(value: unknown, where: string): Dialect {
  const v = String(value).trim().toLowerCase();
  if (v === 'jinja2' || v === 'jinja' || v === 'j2') return 'jinja2';
  if (v === 'handlebars' || v === 'hbs') return 'handlebars';
  throw new InputError(`template_dialect must be jinja2 or handlebars, found '${String(value)}'`, { file: where, line: 1, col: 1 });
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function metaText(roleDir: string): { text: string; file: string } | undefined {
  for (const name of ['main.yml', 'main.yaml']) {
    const file = join(roleDir, 'meta', name);
    if (isFile(file)) return { text: readFileSync(file, 'utf8'), file };
  }
  return undefined;
}

/** A top-level `template_dialect:` key, read by its line so an unrelated YAML problem is left to the loader. */
function metaKey(text: string): string | undefined {
  return /^template_dialect:\s*["']?([A-Za-z0-9]+)["']?\s*(#.*)?$/m.exec(text)?.[1];
}

function templatesHint(roleDir: string): Dialect | undefined {
  const dir = join(roleDir, 'templates');
  if (!existsSync(dir)) return undefined;
  let hbs = false;
  const walk = (d: string, depth: number): boolean => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory() && depth < 4) {
        if (walk(join(d, entry.name), depth + 1)) return true;
      } else if (entry.name.endsWith('.j2')) return true;
      else if (entry.name.endsWith('.hbs')) hbs = true;
    }
    return false;
  };
  if (walk(dir, 0)) return 'jinja2';
  return hbs ? 'handlebars' : undefined;
}

function isRoleDir(d: string): boolean {
  return isFile(join(d, 'tasks', 'main.yml')) || isFile(join(d, 'tasks', 'main.yaml'));
}

function isProjectDir(d: string): boolean {
  return isFile(join(d, 'runbook.cfg')) || isFile(join(d, 'ansible.cfg'));
}

function projectKey(projectDir: string): Dialect | undefined {
  const file = join(projectDir, 'runbook.cfg');
  if (!isFile(file)) return undefined;
  const entry = parseIni(readFileSync(file, 'utf8'), file).get('defaults')?.entries.get('template_dialect');
  if (!entry) return undefined;
  try {
    return parseDialect(entry.value, file);
  } catch (err) {
    throw new InputError((err as Error).message, entry.valueLoc, 'write template_dialect = jinja2 or template_dialect = handlebars');
  }
}

function decideForDir(start: string): DialectChoice {
  let role: string | undefined;
  let project: string | undefined;
  for (let d = start; ; d = dirname(d)) {
    if (!role && isRoleDir(d)) role = d;
    if (isProjectDir(d)) {
      project = d;
      break;
    }
    if (dirname(d) === d) break;
  }
  const meta = role ? metaText(role) : undefined;
  const forced = meta && metaKey(meta.text);
  if (forced) return { dialect: parseDialect(forced, meta.file), because: `template_dialect in ${meta.file}` };
  const configured = project && projectKey(project);
  if (configured) return { dialect: configured, because: `template_dialect in ${join(project!, 'runbook.cfg')}` };
  const hint = role ? templatesHint(role) : undefined;
  if (hint) return { dialect: hint, because: `${hint === 'jinja2' ? '.j2' : '.hbs'} templates in ${join(role!, 'templates')}` };
  if (meta && /^galaxy_info:/m.test(meta.text)) return { dialect: 'jinja2', because: `Galaxy metadata (galaxy_info) in ${meta.file}` };
  if (project && isFile(join(project, 'ansible.cfg'))) return { dialect: 'jinja2', because: `an ansible.cfg in ${project}` };
  return { dialect: 'handlebars', because: 'runbook’s default (no .j2 templates, Galaxy metadata or ansible.cfg found)' };
}

/** The dialect `file` is written in (a template file, or a YAML file whose `{{ }}` values are rendered). */
export function dialectChoice(file: string): DialectChoice {
  const ext = extname(file);
  if (ext === '.j2') return { dialect: 'jinja2', because: 'the .j2 extension' };
  if (ext === '.hbs') return { dialect: 'handlebars', because: 'the .hbs extension' };
  const dir = dirname(resolve(file));
  let choice = cache.get(dir);
  if (!choice) {
    choice = decideForDir(dir);
    cache.set(dir, choice);
  }
  return choice;
}

/** The dialect of `file`; values without a file (the command line, built-in defaults) are Handlebars. */
export function dialectOf(file: string | undefined): Dialect {
  return file === undefined || file === '' || file.startsWith('<') ? 'handlebars' : dialectChoice(file).dialect;
}

/** For tests that create and remove projects: the decisions are cached per directory. */
export function forgetDialects(): void {
  cache.clear();
}
