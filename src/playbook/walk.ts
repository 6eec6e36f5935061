// Walks a task tree in file order, into blocks' block, rescue and always lists.
import type { Task, TaskNode } from './types.js';

/** Every node, blocks included, each before what it contains. */
export function* nodesIn(nodes: TaskNode[]): Generator<TaskNode> {
  for (const n of nodes) {
    yield n;
    if (n.kind === 'block') {
      yield* nodesIn(n.block);
      yield* nodesIn(n.rescue);
      yield* nodesIn(n.always);
    }
  }
}

/** Every task, without the blocks that hold them. */
export function* tasksIn(nodes: TaskNode[]): Generator<Task> {
  for (const n of nodesIn(nodes)) if (n.kind === 'task') yield n;
}
