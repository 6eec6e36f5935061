// Builds what a module may read while planning: files and templates searched the Ansible way
// (role first, then beside the playbook), conditions, and the secret register.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import type { ActionContext, ModuleContext } from '../modules/types.js';
import type { Task } from '../playbook/types.js';
import type { Transport } from '../transport/types.js';
import { templateSourceText } from '../template/source-text.js';
import { loadVarsFile } from '../yaml/vars-file.js';
import type { PlayRun } from './play-run.js';
import { rootScope } from './scope.js';

function findFile(run: PlayRun, task: Task, kind: 'files' | 'templates', path: string): string {
  return findControllerFile(run.ctx.playbook.dir, task, kind, path);
}

/** Where a task's `src` is on the controller (role first, then beside the playbook); InputError if nowhere. Preflight uses it too. */
export function findControllerFile(dir: string, task: Pick<Task, 'role' | 'loc'>, kind: 'files' | 'templates' | 'vars', path: string): string {
  const what = kind === 'files' ? 'file' : kind === 'vars' ? 'vars file' : 'template';
  if (isAbsolute(path)) {
    if (existsSync(path)) return path;
    throw new InputError(`${what} '${path}' not found`, task.loc);
  }
  const candidates = [...(task.role ? [join(task.role.dir, kind, path), join(task.role.dir, path)] : []), join(dir, kind, path), join(dir, path)];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new InputError(`${what} '${path}' not found`, task.loc, `looked in: ${candidates.join(', ')}`);
  }
  return found;
}

export function moduleContext(run: PlayRun, task: Task, host: string, vars: Vars, check: boolean): ModuleContext {
  const { ctx } = run;
  return {
    host,
    vars,
    check,
    diff: ctx.options.diff || Boolean(ctx.options.collectDiffs),
    loc: task.loc,
    readFile: (path) => readFileSync(findFile(run, task, 'files', path)),
    renderTemplate: (path) => {
      const file = findFile(run, task, 'templates', path);
      return ctx.templating.renderText(templateSourceText(readFileSync(file), file), vars, file);
    },
    evaluate: (expression) => ctx.conditions.value(expression, vars, task.loc),
    addSecret: (value) => ctx.secrets.add(value),
    keepPrevious: task.notify.length > 0,
  };
}

export function actionContext(run: PlayRun, task: Task, host: string, vars: Vars, check: boolean, transport: Transport): ActionContext {
  const { ctx } = run;
  return {
    ...moduleContext(run, task, host, vars, check),
    transport,
    playHosts: run.batch.filter((h) => ctx.states.get(h)?.active),
    hostVars: (other) => run.varsFor(other, undefined, rootScope),
    connect: (other) => ctx.connections.get(other, ctx.resolver.spec(other, run.varsFor(other, undefined, rootScope), { remoteUser: run.play.remoteUser })),
    findVars: (path) => findControllerFile(ctx.playbook.dir, task, 'vars', path),
    loadVars: (file) => loadVarsFile(file, task.loc, ctx.vault),
    signal: ctx.options.signal,
  };
}
