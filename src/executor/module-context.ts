// Builds what a module may read while planning: files and templates searched the Ansible way
// (role first, then beside the playbook), conditions, and the secret register.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import type { ActionContext, ModuleContext } from '../modules/types.js';
import { findControllerFile } from '../playbook/controller-file.js';
import type { Task } from '../playbook/types.js';
import type { BecomeOptions, ConnectionSpec, Transport } from '../transport/types.js';
import { templateSearchPath } from '../template/jinja/loader.js';
import { templateSourceText } from '../template/source-text.js';
import { loadVarsFile } from '../yaml/vars-file.js';
import { RuntimeInventory } from '../inventory/runtime.js';
import { HostState } from './host-state.js';
import { hidesOutput } from './no-log.js';
import type { PlayRun } from './play-run.js';
import { rootScope } from './scope.js';

function findFile(run: PlayRun, task: Task, kind: 'files' | 'templates', path: string): string {
  return findControllerFile(run.ctx.playbook.dir, task, kind, path);
}

/** A controller file's bytes; a directory is refused with what to do (not Node's bare EISDIR). */
function readControllerFile(file: string, asked: string, task: Task): Buffer {
  if (statSync(file).isDirectory()) {
    throw new InputError(`src '${asked}' is a directory (${file}): copy sends single files only`, task.loc, 'copy each file (a loop over their names), or pack the directory and unpack it with a command');
  }
  return readFileSync(file);
}

/** A controller directory's regular files (links followed, as Python's os.path.isfile), by name. */
function readControllerDir(dir: string, task: Task): { dir: string; files: Array<{ name: string; content: Buffer }> } {
  if (!statSync(dir).isDirectory()) throw new InputError(`Source (${dir}) is not a directory`, task.loc);
  const isFile = (name: string) => {
    try {
      return statSync(join(dir, name)).isFile();
    } catch {
      return false;
    }
  };
  const names = readdirSync(dir).sort().filter(isFile);
  return { dir, files: names.map((name) => ({ name, content: readFileSync(join(dir, name)) })) };
}

export function moduleContext(run: PlayRun, task: Task, host: string, vars: Vars, check: boolean): ModuleContext {
  const { ctx } = run;
  return {
    host,
    vars,
    check,
    diff: ctx.options.diff || Boolean(ctx.options.collectDiffs),
    loc: task.loc,
    readFile: (path) => readControllerFile(findFile(run, task, 'files', path), path, task),
    readDirectory: (path) => readControllerDir(findFile(run, task, 'files', path), task),
    renderTemplate: (path) => {
      const file = findFile(run, task, 'templates', path);
      const searchPath = templateSearchPath(file, { ...(task.role ? { roleDir: task.role.dir } : {}), playbookDir: ctx.playbook.dir });
      return ctx.templating.renderText(templateSourceText(readFileSync(file), file), vars, file, searchPath);
    },
    evaluate: (expression) => ctx.conditions.value(expression, vars, task.loc),
    addSecret: (value) => ctx.secrets.add(value),
    keepPrevious: task.notify.length > 0,
    noLog: hidesOutput(task, ctx.templating, vars),
  };
}

export function actionContext(run: PlayRun, task: Task, host: string, vars: Vars, check: boolean, transport: Transport, how: { become?: BecomeOptions; connection?: ConnectionSpec; reconnect?: ActionContext['reconnect'] } = {}): ActionContext {
  const { ctx } = run;
  return {
    ...moduleContext(run, task, host, vars, check),
    transport,
    ...(how.reconnect ? { reconnect: how.reconnect } : {}),
    playHosts: run.batch.filter((h) => ctx.states.get(h)?.active),
    hostVars: (other) => run.varsFor(other, undefined, rootScope),
    connect: (other) => ctx.connections.get(other, ctx.resolver.spec(other, run.varsFor(other, undefined, rootScope), { remoteUser: run.play.remoteUser, connection: run.play.connection })),
    findVars: (path) => findControllerFile(ctx.playbook.dir, task, 'vars', path),
    loadVars: (file) => loadVarsFile(file, task.loc, ctx.vault),
    signal: ctx.options.signal,
    ...(how.become ? { become: how.become } : {}),
    ...(how.connection ? { connection: how.connection } : {}),
    playbookDir: ctx.playbook.dir,
    warn: (msg) => ctx.emit({ type: 'warning', msg, host }),
    findFile: (path) => findFile(run, task, 'files', path),
    ...(ctx.inventory instanceof RuntimeInventory ? { inventory: inventoryEditor(run, ctx.inventory) } : {}),
  };
}

/** add_host / group_by: the run's inventory, and a state for each host it gains. */
function inventoryEditor(run: PlayRun, inventory: RuntimeInventory): NonNullable<ActionContext['inventory']> {
  const { states } = run.ctx;
  return {
    addHost(host, groups, vars) {
      const changed = inventory.addHost(host, groups, vars);
      if (!states.has(host)) states.set(host, new HostState(host));
      return changed;
    },
    addToGroup: (host, group, parents) => inventory.addToGroup(host, group, parents),
  };
}
