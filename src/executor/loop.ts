// A task's loop: the list it renders to (with_items flattened as Ansible's `items` lookup does), the
// variables each item binds, and the keys each item's registered result carries.
import { RunbookError } from '../core/errors.js';
import type { Vars } from '../core/types.js';
import { protectData } from '../core/unsafe.js';
import type { Task } from '../playbook/types.js';
import { lookupItems, type LookupPlaces } from './loop-lookups.js';

/** The items of a rendered loop. Throws when it is not a list. */
export function loopItems(task: Task, rendered: unknown, places?: LookupPlaces): unknown[] {
  if (task.loopLookup) return lookupItems(task.loopLookup, rendered, places ?? { playbookDir: '.' }, task.loc);
  if (!Array.isArray(rendered)) throw new RunbookError(`loop must be a list, got ${typeof rendered}`, task.loc);
  return task.loopFlatten ? rendered.flatMap((x) => (Array.isArray(x) ? x : [x])) : rendered;
}

/** loop_control.extended: where the item stands in the loop, under Ansible 2.14's names. */
export function ansibleLoop(task: Task, items: readonly unknown[], index: number): Vars {
  const length = items.length;
  const loop: Vars = {
    index: index + 1,
    index0: index,
    revindex: length - index,
    revindex0: length - index - 1,
    first: index === 0,
    last: index === length - 1,
    length,
  };
  if (task.loopExtended === 'all') loop.allitems = items;
  // Ansible leaves previtem out on the first item and nextitem on the last.
  if (index > 0) loop.previtem = items[index - 1];
  if (index < length - 1) loop.nextitem = items[index + 1];
  return protectData(loop);
}

/** What one item binds while the task runs: the loop variable and, with index_var, its index; with extended, ansible_loop. */
export function itemVars(task: Task, item: unknown, index: number, items: readonly unknown[] = []): Vars {
  // The list was rendered already: an item holding `{{` is data, not a template to render again.
  return {
    [task.loopVar]: protectData(item),
    ...(task.loopIndexVar ? { [task.loopIndexVar]: index } : {}),
    ...(task.loopExtended ? { ansible_loop: ansibleLoop(task, items, index) } : {}),
  };
}

/** The keys an item's entry in `register: r` → r.results carries, as in Ansible (r.results[0].item, ansible_loop_var). */
export function itemResultKeys(task: Task, item: unknown, index: number, items: readonly unknown[] = []): Vars {
  return {
    [task.loopVar]: protectData(item),
    ansible_loop_var: task.loopVar,
    ...(task.loopIndexVar ? { [task.loopIndexVar]: index, ansible_index_var: task.loopIndexVar } : {}),
    ...(task.loopExtended ? { ansible_loop: ansibleLoop(task, items, index) } : {}),
  };
}
