// A custom module (a file in a role's or the playbook's library/) as a task runs it: the module,
// its arguments file and, for new-style Python, runbook's module_utils stand-in reach the host in
// one upload into a private folder, run there as Ansible runs them, and the folder is removed.
// The module decides everything, check mode included (it gets _ansible_check_mode, as in Ansible),
// so this is an action that also runs under --check.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { InputError } from '../../core/errors.js';
import { shQuote } from '../../core/shell.js';
import { tarArchive, type TarEntry } from '../lib/tar.js';
import type { ActionContext, ActionModule, ActionOutcome } from '../types.js';
import { argsFileText, internalArgs, pythonJson, type RunFlags } from './args-file.js';
import { interpreterFor, moduleKind, REPLACER_JSONARGS, type ModuleKind } from './kind.js';
import { moduleOutcome } from './result.js';
import { SHIM_FILES } from './shim.js';

/** Ansible's module_utils folders beside a library/ (a role's or the playbook's): their .py files join the shim. */
function adjacentModuleUtils(file: string): TarEntry[] {
  const root = join(dirname(dirname(file)), 'module_utils');
  const out: TarEntry[] = [];
  const walk = (dir: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory() && depth < 4 && !n.startsWith('.') && n !== '__pycache__') walk(p, depth + 1);
      else if (st?.isFile() && n.endsWith('.py')) out.push({ path: `lib/ansible/module_utils/${relative(root, p).split(sep).join('/')}`, content: readFileSync(p), mode: 0o600 });
    }
  };
  walk(root, 0);
  // A subfolder without __init__.py is still a package for Python 3 (namespace package).
  return out;
}

/** The upload: the module (0700), its arguments (0600) and, for Python, the shim. */
export function uploadEntries(kind: ModuleKind, file: string, data: Buffer, args: Record<string, unknown>, flags: RunFlags): TarEntry[] {
  const argsText = argsFileText(kind, args, flags);
  // jsonargs modules carry their arguments in their own text, as Ansible writes them in.
  const body = kind === 'jsonargs' ? Buffer.from(data.toString('utf8').split(REPLACER_JSONARGS).join(pythonJson({ ...args, ...internalArgs(flags) }))) : data;
  const entries: TarEntry[] = [{ path: `module/${basename(file)}`, content: body, mode: 0o700 }];
  if (argsText !== null) entries.push({ path: 'args', content: argsText, mode: 0o600 });
  if (kind === 'python') {
    for (const [path, text] of Object.entries(SHIM_FILES)) entries.push({ path: `lib/${path}`, content: text, mode: 0o600 });
    entries.push(...adjacentModuleUtils(file));
  }
  return entries;
}

/** The command: unpack into a fresh private folder, run the module with its arguments file, remove the folder. */
export function runScript(kind: ModuleKind, file: string, interpreter: string[] | undefined, hasArgs: boolean): string {
  const mod = `"$d"/module/${shQuote(basename(file))}`;
  const run = [...(interpreter ?? []).map(shQuote), mod, ...(hasArgs ? ['"$d"/args'] : [])].join(' ');
  const env = kind === 'python' ? 'PYTHONPATH="$d/lib${PYTHONPATH:+:$PYTHONPATH}" ' : '';
  return [
    'd=$(mktemp -d "${TMPDIR:-/tmp}/.runbook-module.XXXXXX") || exit 1',
    `tar -x -o -f - -C "$d" || { rm -rf -- "$d"; echo 'runbook: could not unpack the module on the host (tar)' >&2; exit 1; }`,
    `${env}${run} </dev/null`,
    'rc=$?',
    'rm -rf -- "$d"',
    'exit $rc',
  ].join('\n');
}

export async function runCustomModule(name: string, file: string, args: Record<string, unknown>, ctx: ActionContext): Promise<ActionOutcome> {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch (err) {
    throw new InputError(`custom module '${name}': cannot read ${file}: ${(err as Error).message}`, ctx.loc);
  }
  const kind = moduleKind(data);
  if (kind === 'powershell') return { changed: false, failed: `${file} is a PowerShell (Windows) module: runbook runs modules on POSIX hosts only` };
  const verbosity = Number(ctx.vars.ansible_verbosity ?? 0);
  const flags: RunFlags = { module: name, check: ctx.check, diff: ctx.diff, noLog: ctx.noLog ?? false, verbosity: Number.isFinite(verbosity) ? verbosity : 0 };
  const entries = uploadEntries(kind, file, data, args, flags);
  const interpreter = interpreterFor(kind, data, ctx.vars);
  const script = runScript(kind, file, interpreter, entries.some((e) => e.path === 'args'));
  const r = await ctx.transport.exec(script, { stdin: tarArchive(entries), become: ctx.become, signal: ctx.signal });
  // The shell's "not found" for the interpreter itself: say what the host lacks, as Ansible's interpreter discovery would.
  if (interpreter && r.code === 127 && r.stdout.trim() === '' && r.stderr.includes(`${interpreter[0]}: not found`)) {
    const python = kind === 'python' || /python/.test(interpreter[0]!);
    return {
      changed: false,
      failed: `${file} needs ${interpreter[0]} on the host, which is not there: ${python ? 'install python3 (as Ansible needs it too) or set ansible_python_interpreter' : `install it or set ansible_${interpreter[0]!.split('/').pop()}_interpreter`}`,
      data: { module_stdout: r.stdout, module_stderr: r.stderr, rc: r.code },
    };
  }
  const out = moduleOutcome(file, name, r, ctx.diff);
  // Ansible prints a module's warnings and deprecations after its result (not for a no_log task,
  // whose whole result is censored); they stay registered too.
  if (!ctx.noLog) for (const [key, label] of [['warnings', ''], ['deprecations', 'deprecation: ']] as const) {
    const list = out.data?.[key];
    if (!Array.isArray(list)) continue;
    for (const w of list) ctx.warn?.(`${name}: ${label}${typeof w === 'string' ? w : typeof w === 'object' && w && 'msg' in w ? String((w as { msg: unknown }).msg) : JSON.stringify(w)}`);
  }
  return out;
}

const cache = new Map<string, ActionModule<Record<string, unknown>>>();

/** The action that runs the custom module at `file` (one object per file and name). */
export function customModule(name: string, file: string): ActionModule<Record<string, unknown>> {
  const key = `${name}\0${file}`;
  let m = cache.get(key);
  if (!m) {
    m = {
      kind: 'action',
      name,
      argNames: ['*'],
      // The module itself honours _ansible_check_mode (or its shim skips it), as under Ansible.
      checkMode: 'run',
      parse: (raw) => raw,
      run: (args, ctx) => runCustomModule(name, file, args, ctx),
    };
    cache.set(key, m);
  }
  return m;
}
