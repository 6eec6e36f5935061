// `runbook compat`: reads every role, playbook, task file and template of a tree on its own, as the
// loader would, and collects every task, template, play or role runbook cannot run, with why and
// where, instead of stopping at the first. Nothing is run and no host is needed.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { readAnsibleCfg } from '../config/ansible-cfg.js';
import { checkTask, jinjaChecker, type Templater } from '../cli/syntax-templates.js';
import { compileExpr } from '../expr/index.js';
import { getModule, moduleNames } from '../modules/registry.js';
import { newPlayRoles, type LoaderEnv, type TaskContext } from '../playbook/context.js';
import { parseHandlerList, parseTaskList } from '../playbook/list.js';
import { parsePlay } from '../playbook/play.js';
import { readRoleFiles } from '../playbook/roles/files.js';
import type { Role, Task, TaskNode } from '../playbook/types.js';
import { dialectOf } from '../template/dialect.js';
import { createHandlebarsEngine } from '../template/handlebars-engine.js';
import { createJinjaEngine } from '../template/jinja/engine.js';
import { TemplateProblem } from '../template/problem.js';
import { isMapping } from '../yaml/expect.js';
import { loadYamlFile } from '../yaml/load.js';
import { locAt } from '../yaml/locs.js';
import { filesUnder, scanTree } from './scan.js';

const UNREADABLE = Symbol('unreadable');

export type ProblemKind = 'task' | 'template' | 'play' | 'role' | 'file' | 'config';

export interface Problem {
  kind: ProblemKind;
  loc: SourceLoc;
  message: string;
  hint?: string;
  /** Tasks this problem keeps from loading (a block's problem counts every task in it). */
  tasks: number;
}

/** One role, playbook or loose task file, with its own figures. */
export interface Unit {
  kind: 'role' | 'playbook' | 'tasks';
  path: string;
  tasks: number;
  loadable: number;
  templates: number;
  templatesOk: number;
}

export interface CompatReport {
  root: string;
  units: Unit[];
  problems: Problem[];
}

const LISTS = ['block', 'rescue', 'always'];

/** Tasks an entry stands for: 1, or for a block every task in its block, rescue and always. */
export function leaves(entry: unknown): number {
  if (!isMapping(entry) || !LISTS.some((k) => k in entry)) return 1;
  return LISTS.reduce((n, k) => n + (Array.isArray(entry[k]) ? (entry[k] as unknown[]).reduce((m: number, e) => m + leaves(e), 0) : 0), 0);
}

function* tasksOf(nodes: TaskNode[]): Generator<Task> {
  for (const n of nodes) {
    if (n.kind === 'task') yield n;
    else for (const l of [n.block, n.rescue, n.always]) yield* tasksOf(l);
  }
}

class Checker {
  readonly problems: Problem[] = [];
  private readonly jinja: Templater = jinjaChecker();
  private readonly engines = { jinja2: createJinjaEngine(), handlebars: createHandlebarsEngine() };

  problem(kind: ProblemKind, err: InputError, tasks: number, fallback: SourceLoc): void {
    this.problems.push({ kind, loc: err.loc ?? fallback, message: err.message, ...(err.hint ? { hint: err.hint } : {}), tasks });
  }

  env(file: string, rolesPath: string[], onTask: (err: InputError, entry: unknown) => void): LoaderEnv {
    return { playbookFile: file, playbookDir: dirname(file), rolesPath, modules: getModule, moduleNames: moduleNames(), shallow: true, collect: onTask };
  }

  /** What the loader accepts but a run would still refuse: conditions, `{{ }}` values, literal module arguments. */
  loadedTask(task: Task): InputError | undefined {
    try {
      for (const c of [...task.when, ...(task.changedWhen ?? []), ...(task.failedWhen ?? []), ...(task.until ? [task.until] : [])]) compileExpr(c, task.loc);
      checkTask(this.jinja, task);
      const module = task.include ? undefined : getModule(task.module);
      if (module && !JSON.stringify(task.args).includes('{{') && !JSON.stringify(task.args).includes('{%')) {
        const raw = typeof task.args === 'string' ? { [module.freeForm ?? '_raw_params']: task.args } : task.args;
        module.parse(raw, task.loc);
      }
      return undefined;
    } catch (err) {
      if (err instanceof InputError) return err;
      throw err;
    }
  }

  /** Loaded tasks: each one that a run would refuse is one more problem. */
  checkLoaded(nodes: TaskNode[]): number {
    let failing = 0;
    for (const task of tasksOf(nodes)) {
      const err = this.loadedTask(task);
      if (err) {
        failing++;
        this.problem('task', err, 1, task.loc);
      }
    }
    return failing;
  }

  /** The file's YAML, or UNREADABLE once its syntax error is recorded as a problem. */
  private read(file: string, top: SourceLoc): unknown {
    try {
      return loadYamlFile(file);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.problem('file', err, 0, top);
      return UNREADABLE;
    }
  }

  /** A task or handler file: every entry tried, every problem kept. */
  taskFile(file: string, ctx: (env: LoaderEnv) => TaskContext, rolesPath: string[], handlers: boolean): { tasks: number; loadable: number } {
    const top: SourceLoc = { file, line: 1, col: 1 };
    const data = this.read(file, top);
    if (data === UNREADABLE) return { tasks: 0, loadable: 0 };
    if (data === null || data === undefined) return { tasks: 0, loadable: 0 };
    if (!Array.isArray(data)) {
      this.problem('file', new InputError('a task file must be a list of tasks', top), 0, top);
      return { tasks: 0, loadable: 0 };
    }
    const tasks = data.reduce((n: number, e) => n + leaves(e), 0);
    let failing = 0;
    const env = this.env(file, rolesPath, (err, entry) => {
      failing += leaves(entry);
      this.problem('task', err, leaves(entry), top);
    });
    try {
      const c = ctx(env);
      const nodes = handlers ? parseHandlerList(data, top, c) : parseTaskList(data, `tasks in ${file}`, top, c);
      failing += this.checkLoaded(nodes);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.problem('file', err, tasks - failing, top);
      failing = tasks;
    }
    return { tasks, loadable: Math.max(0, tasks - failing) };
  }

  template(file: string): boolean {
    const dialect = dialectOf(file);
    try {
      this.engines[dialect].compile(readFileSync(file, 'utf8'), { kind: 'file', file });
      return true;
    } catch (err) {
      if (err instanceof TemplateProblem) {
        const loc = { file, line: err.line ?? 1, col: err.col ?? 1 };
        this.problem('template', new InputError(`${dialect} template: ${err.message}`, loc, err.hint), 0, loc);
        return false;
      }
      if (err instanceof InputError) {
        this.problem('template', err, 0, { file, line: 1, col: 1 });
        return false;
      }
      throw err;
    }
  }

  role(dir: string): Unit {
    const unit: Unit = { kind: 'role', path: dir, tasks: 0, loadable: 0, templates: 0, templatesOk: 0 };
    const loc: SourceLoc = { file: dir, line: 1, col: 1 };
    const role: Role = { name: basename(dir), dir, defaults: {}, vars: {}, params: {}, argumentSpecs: {}, loc };
    try {
      readRoleFiles(dir);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.problem('role', err, 0, loc);
    }
    const rolesPath = [dirname(dir)];
    for (const [sub, handlers] of [['tasks', false], ['handlers', true]] as const) {
      for (const file of filesUnder(`${dir}/${sub}`, (f) => /\.ya?ml$/.test(f))) {
        const ctx = (env: LoaderEnv): TaskContext => ({ env, file, role, tags: [], handlers, importStack: [file], roleStack: [{ name: role.name, loc }], play: newPlayRoles() });
        const r = this.taskFile(file, ctx, rolesPath, handlers);
        unit.tasks += r.tasks;
        unit.loadable += r.loadable;
      }
    }
    for (const file of filesUnder(`${dir}/templates`)) {
      unit.templates++;
      if (this.template(file)) unit.templatesOk++;
    }
    return unit;
  }

  /** A playbook: each play tried on its own; a play that does not load counts all its tasks as not loadable. */
  playbook(file: string, rolesPath: string[]): Unit | undefined {
    const top: SourceLoc = { file, line: 1, col: 1 };
    const data = this.read(file, top);
    if (data === UNREADABLE) return { kind: 'playbook', path: file, tasks: 0, loadable: 0, templates: 0, templatesOk: 0 };
    if (!Array.isArray(data) || data.length === 0 || !data.every(isMapping)) return undefined;
    const isPlay = (e: Record<string, unknown>): boolean => 'hosts' in e || Object.keys(e).some((k) => k.endsWith('import_playbook'));
    if (!data.some(isPlay)) {
      const ctx = (env: LoaderEnv): TaskContext => ({ env, file, tags: [], handlers: false, importStack: [file], roleStack: [], play: newPlayRoles() });
      return { kind: 'tasks', path: file, ...this.taskFile(file, ctx, rolesPath, false), templates: 0, templatesOk: 0 };
    }
    const unit: Unit = { kind: 'playbook', path: file, tasks: 0, loadable: 0, templates: 0, templatesOk: 0 };
    data.forEach((entry, i) => {
      const loc = locAt(data as unknown[], i, top);
      if (Object.keys(entry).some((k) => k.endsWith('import_playbook'))) return;
      const playTasks = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'].reduce((n, k) => n + (Array.isArray(entry[k]) ? (entry[k] as unknown[]).reduce((m: number, e) => m + leaves(e), 0) : 0), 0);
      let failing = 0;
      const env = this.env(file, rolesPath, (err, e) => {
        failing += leaves(e);
        this.problem('task', err, leaves(e), loc);
      });
      try {
        const play = parsePlay(entry, loc, env);
        failing += this.checkLoaded([...play.tasks, ...play.handlers]);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        this.problem('play', err, playTasks - failing, loc);
        failing = playTasks;
      }
      unit.tasks += playTasks;
      unit.loadable += Math.max(0, playTasks - failing);
    });
    return unit;
  }
}

export function checkTree(root: string): CompatReport {
  const tree = scanTree(root);
  const c = new Checker();
  const units: Unit[] = [];
  for (const dir of tree.roles) units.push(c.role(dir));
  const rolesPath = [...new Set(tree.roles.map((r) => dirname(r)))];
  for (const file of [...tree.playbooks, ...tree.taskFiles]) {
    const u = c.playbook(file, rolesPath);
    if (u) units.push(u);
  }
  if (tree.templates.length) {
    const loose: Unit = { kind: 'tasks', path: `${root}/templates`, tasks: 0, loadable: 0, templates: 0, templatesOk: 0 };
    for (const file of tree.templates) {
      loose.templates++;
      if (c.template(file)) loose.templatesOk++;
    }
    units.push(loose);
  }
  // An ansible.cfg's keys runbook does not use are problems too (they load nothing, so count no task).
  for (const cfg of filesUnder(root, (f) => basename(f) === 'ansible.cfg')) {
    try {
      const read = readAnsibleCfg(readFileSync(cfg, 'utf8'), cfg, process.env);
      for (const n of read.notices ?? []) c.problems.push({ kind: 'config', loc: n.loc, message: n.message, tasks: 0 });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      c.problems.push({ kind: 'config', loc: err.loc ?? { file: cfg, line: 1, col: 1 }, message: err.message, ...(err.hint ? { hint: err.hint } : {}), tasks: 0 });
    }
  }
  return { root, units, problems: c.problems };
}
