// Custom modules shipped with content: where Ansible finds a task's module before its built-ins
// (the role's library/, the library/ of the roles the play uses, the playbook's library/, then the
// configured library path), so a project's own module loads and runs unchanged.
import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { ModuleInfo, TaskContext } from './context.js';

/**
 * Names Ansible runs as action plugins on the controller, found before any module path is searched:
 * a library/ file of that name never replaces them (for copy or template, Ansible's action plugin
 * would hand its own processed arguments to the library module, which runbook does not emulate).
 */
const ACTION_PLUGINS = new Set([
  'add_host', 'assemble', 'assert', 'async_status', 'command', 'copy', 'debug', 'fail', 'fetch', 'gather_facts', 'group_by',
  'include_vars', 'package', 'pause', 'raw', 'reboot', 'script', 'service', 'set_fact', 'set_stats', 'shell', 'template',
  'unarchive', 'uri', 'validate_argument_spec', 'wait_for_connection', 'yum', 'dnf', 'meta', 'setup',
  'include', 'include_tasks', 'import_tasks', 'include_role', 'import_role', 'import_playbook',
]);

/** Ansible's MODULE_IGNORE_EXTS, plus PowerShell modules (Windows only). */
const IGNORED = new Set(['.pyc', '.pyo', '.swp', '.bak', '.rpm', '.md', '.txt', '.rst', '.ps1', '.psm1', '.cs']);

/** The folders searched for a task's module, in order. */
export function libraryDirs(ctx: TaskContext): string[] {
  const dirs = [...(ctx.role ? [join(ctx.role.dir, 'library')] : []), ...ctx.play.libraryDirs, join(ctx.env.playbookDir, 'library'), ...(ctx.env.library ?? [])];
  return [...new Set(dirs)];
}

// A folder is listed again only when it changed (its mtime), so a long-lived worker sees new files.
const listings = new Map<string, { mtimeMs: number; names: string[] }>();

function filesIn(dir: string): string[] {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(dir).mtimeMs;
  } catch {
    return [];
  }
  const known = listings.get(dir);
  if (known && known.mtimeMs === mtimeMs) return known.names;
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => !n.startsWith('.') && n !== '__init__.py' && !IGNORED.has(extname(n)) && !n.endsWith('~'))
      .filter((n) => {
        try {
          return statSync(join(dir, n)).isFile();
        } catch {
          return false;
        }
      })
      .sort();
  } catch {
    names = [];
  }
  listings.set(dir, { mtimeMs, names });
  return names;
}

/** The module file `name` names in `dir`: the file of that exact name, else the first whose name without its extension is it. */
function fileFor(dir: string, name: string): string | undefined {
  const names = filesIn(dir);
  const hit = names.includes(name) ? name : names.find((n) => n.slice(0, n.length - extname(n).length) === name);
  return hit === undefined ? undefined : join(dir, hit);
}

/**
 * The custom module a task's key names, when a reachable library/ holds one: bare names and
 * ansible.legacy.NAME, as Ansible resolves them (library paths before its built-ins); never an
 * FQCN of a collection, nor a name Ansible runs as an action plugin.
 */
export function findCustomModule(key: string, ctx: TaskContext): ModuleInfo | undefined {
  const name = key.startsWith('ansible.legacy.') ? key.slice('ansible.legacy.'.length) : key;
  if (name.includes('.') || name === '' || ACTION_PLUGINS.has(name)) return undefined;
  for (const dir of libraryDirs(ctx)) {
    const file = fileFor(dir, name);
    if (file) return { name, argNames: ['*'], library: file };
  }
  return undefined;
}
