// How to pick up a run that stopped: the hosts that did not finish, the task they can all start
// at when that is safe, and (spelt by the CLI, which knows its own argv) the command that does it.
import type { Play, Playbook, Task, TaskNode } from '../playbook/types.js';
import type { RunContext } from './context.js';
import type { ResumeHint } from './events.js';
import { playbookHasTask, startsHere } from './start-at.js';
import { nodesIn } from '../playbook/walk.js';

export interface ResumeRequest {
  /** The hosts to resume, in inventory order: the new --limit. */
  hosts: string[];
  /** The new --start-at-task, when there is one. */
  startAtTask?: string;
  /** Whether a piece of the command line holds something the run knows is secret. */
  isSecret: (text: string) => boolean;
}

export interface ResumeCommand {
  command: string;
  cwd: string;
  notes: string[];
}

export type ResumeCommandBuilder = (request: ResumeRequest) => ResumeCommand;

/** Where an abort left the run: the play it stopped in, its batches never run, and the hosts it cut short. */
export interface StopInfo {
  playIndex: number;
  notRun: string[];
  cut: string[];
}

/**
 * The hosts with work left: failed and unreachable ones, and after an abort the stopped batch's
 * other hosts, the later batches, and every host of the later plays. Undefined when none.
 */
export function resumeHint(ctx: RunContext, hostsPerPlay: string[][], stop?: StopInfo): ResumeHint | undefined {
  const left = new Set<string>();
  for (const [name, st] of ctx.states) if (st.failed || st.unreachable) left.add(name);
  if (stop) [...stop.cut, ...stop.notRun, ...hostsPerPlay.slice(stop.playIndex + 1).flat()].forEach((h) => left.add(h));
  if (left.size === 0) return undefined;
  const inventoryOrder = ctx.inventory.hosts.filter((h) => left.has(h));
  const hosts = [...inventoryOrder, ...[...left].filter((h) => !inventoryOrder.includes(h))];
  const startAtTask = commonStartTask(ctx, hosts);
  const hint: ResumeHint = { hosts };
  if (startAtTask !== undefined) hint.startAtTask = startAtTask;
  const build = ctx.options.resumeCommand;
  if (build) Object.assign(hint, build({ hosts, startAtTask, isSecret: (text) => ctx.secrets.mask(text) !== text }));
  return hint;
}

/**
 * The task every host to resume stopped at, when starting there skips nothing they still need:
 * each stopped at that same named task of a play's task list, none has a handler still pending
 * (a skipped change would never notify it again), and nothing from that task on reads a variable
 * that a task before it registers or sets (it would be undefined).
 */
function commonStartTask(ctx: RunContext, hosts: string[]): string | undefined {
  const points = hosts.map((h) => ctx.states.get(h));
  const title = points[0]?.stoppedAt?.title;
  if (title === undefined) return undefined;
  for (const st of points) {
    if (!st?.stoppedAt?.startable || st.stoppedAt.title !== title || st.notified.size > 0) return undefined;
  }
  if (!playbookHasTask(ctx.playbook, title) || readsEarlierResults(ctx.playbook, title)) return undefined;
  return title;
}

/** Names a task defines for later tasks: its register, and the keys a set_fact sets. */
function definedBy(task: Task): string[] {
  const names = task.register ? [task.register] : [];
  if (task.module === 'set_fact') {
    if (typeof task.args === 'string') names.push(...[...task.args.matchAll(/(\w+)=/g)].map((m) => m[1]!));
    else names.push(...Object.keys(task.args));
  }
  return names;
}

/** The text a node renders or evaluates, where a variable name would show. */
function textOf(node: TaskNode): string {
  if (node.kind === 'block') return JSON.stringify([node.when, node.vars]);
  return JSON.stringify([node.name, node.args, node.when, node.loop, node.loopLabel, node.changedWhen, node.failedWhen, node.until, node.vars, node.delegateTo]);
}

function playText(play: Play): string {
  return JSON.stringify([play.vars, play.varsFiles, play.roles.map((r) => [r.defaults, r.vars, r.params])]);
}

/** Whether a task from `title` on (or a variable of its play or a later one) reads what a task before it defines. */
export function readsEarlierResults(playbook: Playbook, title: string): boolean {
  const defined = new Set<string>();
  const later: string[] = [];
  let found = false;
  for (const play of playbook.plays) {
    for (const node of nodesIn(play.tasks)) {
      if (!found && node.kind === 'task' && startsHere(title, node)) found = true;
      if (found) later.push(textOf(node));
      else if (node.kind === 'task') definedBy(node).forEach((n) => defined.add(n));
    }
    if (found) {
      later.push(playText(play));
      for (const node of [...play.handlers, ...nodesIn(play.checks ?? [])]) later.push(textOf(node));
    } else {
      for (const node of [...play.handlers, ...nodesIn(play.checks ?? [])]) if (node.kind === 'task') definedBy(node).forEach((n) => defined.add(n));
    }
  }
  const text = later.join('\n');
  return [...defined].some((name) => new RegExp(`\\b${name}\\b`).test(text));
}
