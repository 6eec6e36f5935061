// `runbook compat`: reads every role, playbook, task file and template of a tree on its own, as the
// loader would, and collects every task, template, play or role runbook cannot run, with why and
// where, instead of stopping at the first. Nothing is run and no host is needed.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
import { bareModule, familyOf, playFamily, moduleOfEntry, type Family } from './families.js';
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

/** Tasks of one module of an excluded family (src/compat/families.ts) in a unit. */
export interface Excluded {
  family: Family;
  module: string;
  tasks: number;
  loadable: number;
}

/** One role, playbook or loose task file, with its own figures. */
export interface Unit {
  kind: 'role' | 'playbook' | 'tasks';
  path: string;
  tasks: number;
  loadable: number;
  templates: number;
  templatesOk: number;
  /** Of `tasks`, the ones calling a module of another OS family or a cloud API, by module. */
  excluded: Excluded[];
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

/** The tasks (not blocks) an entry stands for, as written. */
function leafEntries(entry: unknown): unknown[] {
  if (!isMapping(entry) || !LISTS.some((k) => k in entry)) return [entry];
  return LISTS.flatMap((k) => (Array.isArray(entry[k]) ? (entry[k] as unknown[]).flatMap(leafEntries) : []));
}

/**
 * Counts, per excluded family and module, the tasks of one file or play and how many of them fail,
 * so the figure outside those families can be told apart from the whole.
 */
class FamilyTally {
  private readonly all = new Map<string, number>();
  private readonly failed = new Map<string, number>();
  constructor(private readonly scope: Family | undefined) {}

  private key(module: string | undefined): string | undefined {
    const family = (module !== undefined ? familyOf(module) : undefined) ?? this.scope;
    return family === undefined ? undefined : `${family}\0${module === undefined ? '(none)' : bareModule(module)}`;
  }

  private add(into: Map<string, number>, module: string | undefined): void {
    const k = this.key(module);
    if (k !== undefined) into.set(k, (into.get(k) ?? 0) + 1);
  }

  /** Every task of the file or play, as written. */
  count(entries: unknown[]): void {
    for (const leaf of entries.flatMap(leafEntries)) this.add(this.all, moduleOfEntry(leaf));
  }

  /** Tasks that do not load: raw entries the loader refused, or a loaded task's module. */
  fail(entry: unknown): void {
    for (const leaf of leafEntries(entry)) this.add(this.failed, moduleOfEntry(leaf));
  }

  failModule(module: string): void {
    this.add(this.failed, module);
  }

  /** The whole file or play failed: none of its tasks load. */
  failAll(): void {
    this.failed.clear();
    for (const [k, n] of this.all) this.failed.set(k, n);
  }

  into(excluded: Excluded[]): void {
    mergeExcluded(
      excluded,
      [...this.all].map(([k, n]) => {
        const [family, module] = k.split('\0') as [Family, string];
        return { family, module, tasks: n, loadable: n - Math.min(n, this.failed.get(k) ?? 0) };
      }),
    );
  }
}

function* tasksOf(nodes: TaskNode[]): Generator<Task> {
  for (const n of nodes) {
    if (n.kind === 'task') yield n;
    else for (const l of [n.block, n.rescue, n.always]) yield* tasksOf(l);
  }
}

/** Adds `more` into `into`, one row per family and module. */
export function mergeExcluded(into: Excluded[], more: readonly Excluded[]): Excluded[] {
  for (const m of more) {
    const row = into.find((e) => e.family === m.family && e.module === m.module);
    if (row) {
      row.tasks += m.tasks;
      row.loadable += m.loadable;
    } else into.push({ ...m });
  }
  return into;
}

class Checker {
  readonly problems: Problem[] = [];
  /**
   * The library/ folders beside the tree's playbooks: a role read on its own is used by those
   * playbooks, whose custom modules its tasks can call, as under Ansible.
   */
  library: string[] = [];
  private readonly jinja: Templater = jinjaChecker();
  private readonly engines = { jinja2: createJinjaEngine(), handlebars: createHandlebarsEngine() };

  problem(kind: ProblemKind, err: InputError, tasks: number, fallback: SourceLoc): void {
    this.problems.push({ kind, loc: err.loc ?? fallback, message: err.message, ...(err.hint ? { hint: err.hint } : {}), tasks });
  }

  /** `library`: a task file read on its own (a role's, a project's tasks/) also sees the playbooks' library/ folders; a playbook sees its own. */
  env(file: string, rolesPath: string[], onTask: (err: InputError, entry: unknown) => void, library = false): LoaderEnv {
    return { playbookFile: file, playbookDir: dirname(file), rolesPath, modules: getModule, moduleNames: moduleNames(), ...(library ? { library: this.library } : {}), shallow: true, collect: onTask };
  }

  /** What the loader accepts but a run would still refuse: conditions, `{{ }}` values, literal module arguments. */
  loadedTask(task: Task): InputError | undefined {
    try {
      for (const c of [...task.when, ...(task.changedWhen ?? []), ...(task.failedWhen ?? []), ...(task.until ? [task.until] : [])]) compileExpr(c, task.loc);
      checkTask(this.jinja, task);
      // A custom module (task.library) checks its own arguments when it runs.
      const module = task.include || task.library ? undefined : getModule(task.module);
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
  checkLoaded(nodes: TaskNode[], tally: FamilyTally): number {
    let failing = 0;
    for (const task of tasksOf(nodes)) {
      const err = this.loadedTask(task);
      if (err) {
        failing++;
        tally.failModule(task.module);
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
  taskFile(file: string, ctx: (env: LoaderEnv) => TaskContext, rolesPath: string[], handlers: boolean): { tasks: number; loadable: number; excluded: Excluded[] } {
    const top: SourceLoc = { file, line: 1, col: 1 };
    const data = this.read(file, top);
    if (data === UNREADABLE) return { tasks: 0, loadable: 0, excluded: [] };
    if (data === null || data === undefined) return { tasks: 0, loadable: 0, excluded: [] };
    if (!Array.isArray(data)) {
      this.problem('file', new InputError('a task file must be a list of tasks', top), 0, top);
      return { tasks: 0, loadable: 0, excluded: [] };
    }
    const tasks = data.reduce((n: number, e) => n + leaves(e), 0);
    const tally = new FamilyTally(undefined);
    tally.count(data);
    let failing = 0;
    const env = this.env(file, rolesPath, (err, entry) => {
      failing += leaves(entry);
      tally.fail(entry);
      this.problem('task', err, leaves(entry), top);
    }, true);
    try {
      const c = ctx(env);
      const nodes = handlers ? parseHandlerList(data, top, c) : parseTaskList(data, `tasks in ${file}`, top, c);
      failing += this.checkLoaded(nodes, tally);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      this.problem('file', err, tasks - failing, top);
      failing = tasks;
      tally.failAll();
    }
    const excluded: Excluded[] = [];
    tally.into(excluded);
    return { tasks, loadable: Math.max(0, tasks - failing), excluded };
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
    const unit: Unit = { kind: 'role', path: dir, tasks: 0, loadable: 0, templates: 0, templatesOk: 0, excluded: [] };
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
        mergeExcluded(unit.excluded, r.excluded);
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
    if (data === UNREADABLE) return { kind: 'playbook', path: file, tasks: 0, loadable: 0, templates: 0, templatesOk: 0, excluded: [] };
    if (!Array.isArray(data) || data.length === 0 || !data.every(isMapping)) return undefined;
    const isPlay = (e: Record<string, unknown>): boolean => 'hosts' in e || Object.keys(e).some((k) => k.endsWith('import_playbook'));
    if (!data.some(isPlay)) {
      const ctx = (env: LoaderEnv): TaskContext => ({ env, file, tags: [], handlers: false, importStack: [file], roleStack: [], play: newPlayRoles() });
      return { kind: 'tasks', path: file, ...this.taskFile(file, ctx, rolesPath, false), templates: 0, templatesOk: 0 };
    }
    const unit: Unit = { kind: 'playbook', path: file, tasks: 0, loadable: 0, templates: 0, templatesOk: 0, excluded: [] };
    data.forEach((entry, i) => {
      const loc = locAt(data as unknown[], i, top);
      if (Object.keys(entry).some((k) => k.endsWith('import_playbook'))) return;
      const lists = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'].flatMap((k) => (Array.isArray(entry[k]) ? (entry[k] as unknown[]) : []));
      const playTasks = lists.reduce((n: number, e) => n + leaves(e), 0);
      const tally = new FamilyTally(playFamily(entry));
      tally.count(lists);
      let failing = 0;
      const env = this.env(file, rolesPath, (err, e) => {
        failing += leaves(e);
        tally.fail(e);
        this.problem('task', err, leaves(e), loc);
      });
      // Loads, but a host may fail on it when it runs: listed, counting no task.
      env.notice = (err) => this.problem('play', err, 0, loc);
      try {
        const play = parsePlay(entry, loc, env);
        failing += this.checkLoaded([...play.tasks, ...play.handlers], tally);
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        this.problem('play', err, playTasks - failing, loc);
        failing = playTasks;
        tally.failAll();
      }
      unit.tasks += playTasks;
      unit.loadable += Math.max(0, playTasks - failing);
      tally.into(unit.excluded);
    });
    return unit;
  }
}

export function checkTree(root: string): CompatReport {
  const tree = scanTree(root);
  const c = new Checker();
  c.library = [...new Set(tree.playbooks.map((p) => join(dirname(p), 'library')))];
  const units: Unit[] = [];
  for (const dir of tree.roles) units.push(c.role(dir));
  const rolesPath = [...new Set(tree.roles.map((r) => dirname(r)))];
  for (const file of [...tree.playbooks, ...tree.taskFiles]) {
    const u = c.playbook(file, rolesPath);
    if (u) units.push(u);
  }
  if (tree.templates.length) {
    const loose: Unit = { kind: 'tasks', path: `${root}/templates`, tasks: 0, loadable: 0, templates: 0, templatesOk: 0, excluded: [] };
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
