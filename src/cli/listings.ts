// --list-hosts, --list-tasks and --list-tags: what a run would touch, printed without connecting.
import type { RunOptions } from '../executor/options.js';
import type { Inventory } from '../inventory/types.js';
import type { Playbook, TaskNode } from '../playbook/types.js';
import { selectedByTags } from '../executor/tags.js';

export function listHosts(playbook: Playbook, inventory: Inventory, options: RunOptions): number {
  const limited = options.limit ? new Set(inventory.match(options.limit)) : undefined;
  for (const play of playbook.plays) {
    const hosts = inventory.match(play.hosts).filter((h) => !limited || limited.has(h));
    process.stdout.write(`\n  play: ${play.name} (${hosts.length} hosts)\n`);
    for (const h of hosts) process.stdout.write(`    ${h}\n`);
  }
  return 0;
}

function lines(nodes: TaskNode[], options: RunOptions, indent: string, out: string[]): void {
  for (const n of nodes) {
    if (n.kind === 'block') {
      lines(n.block, options, indent, out);
      lines(n.rescue, options, indent, out);
      lines(n.always, options, indent, out);
    } else if (selectedByTags(n.tags, options.tags, options.skipTags)) {
      const name = n.name ?? n.module;
      out.push(`${indent}${n.role ? `${n.role.name} : ` : ''}${name}${n.tags.length ? `\tTAGS: [${n.tags.join(', ')}]` : ''}`);
    }
  }
}

/** Each play's tasks (roles, pre_tasks and post_tasks included, in run order), then its `checks:` under their own heading. */
export function listTasks(playbook: Playbook, options: RunOptions, out: NodeJS.WritableStream = process.stdout): number {
  for (const play of playbook.plays) {
    const listed: string[] = [];
    lines(play.tasks, options, '    ', listed);
    const checks: string[] = [];
    lines(play.checks ?? [], options, '      ', checks);
    // The checks run on each batch after its handlers: listed apart so they are not read as the play's last tasks.
    if (checks.length) listed.push('    checks (after each batch\'s handlers):', ...checks);
    out.write(`\n  play: ${play.name}\n${listed.join('\n')}\n`);
  }
  return 0;
}

/** Every tag of the selected tasks (tags inherited from roles and blocks included), sorted, per play. */
export function tagsOfPlay(nodes: TaskNode[], options: Pick<RunOptions, 'tags' | 'skipTags'>): string[] {
  const tags = new Set<string>();
  const walk = (list: TaskNode[]): void => {
    for (const n of list) {
      if (n.kind === 'block') {
        walk(n.block);
        walk(n.rescue);
        walk(n.always);
      } else if (selectedByTags(n.tags, options.tags, options.skipTags)) {
        n.tags.forEach((t) => tags.add(t));
      }
    }
  };
  walk(nodes);
  return [...tags].sort();
}

export function listTags(playbook: Playbook, options: RunOptions, out: NodeJS.WritableStream = process.stdout): number {
  for (const play of playbook.plays) {
    out.write(`\n  play: ${play.name}\n      TASK TAGS: [${tagsOfPlay(play.tasks, options).join(', ')}]\n`);
  }
  return 0;
}
