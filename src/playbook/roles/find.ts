// Finds a role's folder: roles/ beside the playbook, then the nearest ancestor folder with a
// roles/, then --roles-path and the config file's roles_path, in that order.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../../core/errors.js';
import type { SourceLoc } from '../../core/types.js';
import { suggest } from '../../core/suggest.js';
import type { LoaderEnv } from '../context.js';

/** The folders searched for roles, in order, each at most once. */
export function roleSearchDirs(env: LoaderEnv): string[] {
  const dirs = [join(env.playbookDir, 'roles')];
  for (let d = dirname(env.playbookDir); ; d = dirname(d)) {
    if (isDir(join(d, 'roles'))) {
      dirs.push(join(d, 'roles'));
      break;
    }
    if (dirname(d) === d) break;
  }
  dirs.push(...env.rolesPath);
  return [...new Set(dirs.map((d) => resolve(d)))];
}

/** The role's folder. A name with a slash is a path, relative to the playbook. */
export function findRole(name: string, env: LoaderEnv, loc: SourceLoc): string {
  if (name.includes('/')) {
    const dir = isAbsolute(name) ? name : resolve(env.playbookDir, name);
    if (isDir(dir)) return dir;
    throw new InputError(`role '${name}' not found: ${dir} is not a folder`, loc);
  }
  const dirs = roleSearchDirs(env);
  for (const d of dirs) if (isDir(join(d, name))) return join(d, name);
  const known = dirs.filter(isDir).flatMap((d) => readdirSync(d).filter((r) => isDir(join(d, r))));
  const close = suggest(name, known);
  const looked = `looked in ${dirs.join(', ')}`;
  throw new InputError(`role '${name}' not found`, loc, close ? `did you mean '${close}'? (${looked})` : `${looked}; add a folder with --roles-path or roles_path in runbook.cfg`);
}

export function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** A role file such as tasks/main.yml, accepting the names Ansible accepts; undefined if absent. */
export function roleFile(roleDir: string, sub: string, base = 'main'): string | undefined {
  for (const ext of ['.yml', '.yaml', '.json', '']) {
    const p = join(roleDir, sub, base + ext);
    if (existsSync(p) && statSync(p).isFile()) return p;
  }
  return undefined;
}
