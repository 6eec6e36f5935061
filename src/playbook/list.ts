// Reads task lists (tasks, pre_tasks, handlers, block bodies, imported files) entry by entry,
// sending each entry to the reader for what it is: a block, an import, or a task.
import { InputError } from '../core/errors.js';
import type { SourceLoc } from '../core/types.js';
import { describeValue, expectList, isMapping } from '../yaml/expect.js';
import { locAt } from '../yaml/locs.js';
import { parseBlock } from './block.js';
import type { TaskContext } from './context.js';
import { parseImportTasks } from './imports.js';
import { bareKeyword, ROLE_IMPORTS, TASK_IMPORTS } from './keywords.js';
import { parseImportRole } from './roles/expand.js';
import { parseTask } from './task.js';
import type { Task, TaskNode } from './types.js';

export function parseTaskList(value: unknown, what: string, loc: SourceLoc, ctx: TaskContext): TaskNode[] {
  if (value === null || value === undefined) return [];
  const list = expectList(value, what, loc, 'write a list of tasks, each starting with "- "');
  const collect = ctx.env.collect;
  if (!collect) return list.flatMap((entry, i) => parseTaskEntry(entry, locAt(list, i, loc), ctx));
  return list.flatMap((entry, i) => {
    try {
      return parseTaskEntry(entry, locAt(list, i, loc), ctx);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      collect(err, entry);
      return [];
    }
  });
}

export function parseTaskEntry(raw: unknown, loc: SourceLoc, ctx: TaskContext): TaskNode[] {
  if (!isMapping(raw)) {
    throw new InputError(`a task must be a mapping, found ${describeValue(raw)}`, loc, 'write each task as "- name: ..." followed by its module, e.g. "  command: ls"');
  }
  const keys = Object.keys(raw).map(bareKeyword);
  if (keys.some((k) => k === 'block' || k === 'rescue' || k === 'always')) return [parseBlock(raw, loc, ctx)];
  if (keys.some((k) => (TASK_IMPORTS as readonly string[]).includes(k))) return parseImportTasks(raw, loc, ctx);
  if (keys.some((k) => (ROLE_IMPORTS as readonly string[]).includes(k))) return parseImportRole(raw, loc, ctx);
  return [parseTask(raw, loc, ctx)];
}

/** Handlers are plain tasks (imports allowed); `listen` is accepted there. */
export function parseHandlerList(value: unknown, loc: SourceLoc, ctx: TaskContext): Task[] {
  const nodes = parseTaskList(value, 'handlers', loc, { ...ctx, handlers: true });
  return nodes.map((n) => {
    if (n.kind !== 'task') throw new InputError('blocks are not supported in handlers', n.loc, 'make each handler a single task');
    return n;
  });
}
