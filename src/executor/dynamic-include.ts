// A dynamic include_tasks (or include_role) on one host: for each loop item (or once) its `when` is
// tested, the file (role) name rendered and found, and the file read (the role expanded). The runner then groups hosts by the file and item
// they chose, so each group runs the included tasks together, as Ansible's linear strategy does.
import { describeError, RunbookError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import { readIncludedFile, resolveTaskFile } from '../playbook/imports.js';
import { readIncludedRole } from '../playbook/roles/expand.js';
import type { Task, TaskNode } from '../playbook/types.js';
import { itemResultKeys, itemVars, loopItems } from './loop.js';
import { failed, skipped, type Outcome } from './outcome.js';
import type { PlayRun } from './play-run.js';
import type { Scope } from './scope.js';
import { VarsFileError } from './vars-files.js';

/** One file a host chose to include: with its loop item, the tasks to run (the item bound as the loop variable). */
export interface Chosen {
  /** Groups hosts: the same file with the same item runs once for all of them. */
  key: string;
  file: string;
  nodes: TaskNode[];
}

/** Files read during one include task, by key: every host choosing the same one shares the parse. */
export type IncludeCache = Map<string, TaskNode[]>;


const NO_ITEM = Symbol('no loop');

export function chooseIncludes(run: PlayRun, task: Task, scope: Scope, host: string, cache: IncludeCache): { items: Outcome[]; combined: Outcome; chosen: Chosen[] } {
  const include = task.include!;
  const { templating, conditions } = run.ctx;
  try {
    run.varsFor(host, task, scope);
  } catch (err) {
    // A vars_files entry this host cannot read: the host fails here, as at any task (run-task.ts).
    if (!(err instanceof VarsFileError)) throw err;
    const combined = failed(err.describe());
    return { items: [combined], combined, chosen: [] };
  }
  const items: Outcome[] = [];
  const chosen: Chosen[] = [];
  const one = (item: unknown, index = 0, all: readonly unknown[] = []): void => {
    const looped = item !== NO_ITEM;
    const bound: Vars = looped ? itemVars(task, item, index, all) : {};
    const vars = run.varsFor(host, task, scope, bound);
    let label = looped ? (typeof item === 'string' || typeof item === 'number' ? String(item) : JSON.stringify(item)) : undefined;
    const withItem = (o: Outcome): Outcome => (label === undefined ? o : { ...o, item: label, loopKeys: itemResultKeys(task, item, index, all) });
    try {
      if (looped && task.loopLabel) label = String(templating.render(task.loopLabel, vars, task.loc));
      const unmet = [...scope.when, ...task.when].find((c) => !conditions.test(c, vars, task.loc));
      if (unmet !== undefined) {
        items.push(withItem(skipped(`conditional result was False: ${unmet}`)));
        return;
      }
      const name = String(templating.render(include.file, vars, task.loc) ?? '').trim();
      if (name === '') throw new RunbookError(`${task.module}: the ${include.kind === 'role' ? 'role' : 'file'} name rendered empty (${include.file})`, task.loc);
      const file = include.kind === 'role' ? name : resolveTaskFile(name, include.ctx, task.loc, 'include_tasks');
      const key = JSON.stringify([include.kind, file, looped ? item : null, looped]);
      let nodes = cache.get(key);
      if (!nodes) {
        nodes = include.kind === 'role' ? readIncludedRole(include, name, task.loc, bound) : readIncludedFile(include, file, task.loc, bound);
        cache.set(key, nodes);
      }
      chosen.push({ key, file, nodes });
      const what = include.kind === 'role' ? `role ${name}` : file;
      items.push(withItem({ status: 'ok', msg: `included: ${what}`, data: { include: file } }));
    } catch (err) {
      items.push(withItem(failed(describeError(err))));
    }
  };

  if (task.loop === undefined) {
    one(NO_ITEM);
    return { items, combined: items[0]!, chosen };
  }
  let list: unknown[];
  try {
    list = loopItems(task, templating.render(task.loop, run.varsFor(host, task, scope), task.loc), { roleDir: task.role?.dir, playbookDir: run.ctx.playbook.dir });
  } catch (err) {
    const o = failed(describeError(err));
    return { items: [o], combined: o, chosen: [] };
  }
  list.forEach((item, i) => one(item, i, list));
  const worst = items.find((o) => o.status === 'failed');
  const combined: Outcome = worst
    ? { ...worst, item: undefined }
    : { status: items.every((o) => o.status === 'skipped') ? 'skipped' : 'ok', msg: items.length ? undefined : 'no items in loop', data: { results: items.map((o) => ({ ...o.data, ...o.loopKeys })) } };
  // A host that failed on one item runs none of the files it chose.
  return { items, combined, chosen: worst ? [] : chosen };
}
