// One frame of the live view, as plain data in and lines out: which hosts of the current task are
// waiting, running (for how long, and whether their command still prints) or done, cut to fit the
// terminal. Pure, so its layout is tested without a terminal or a clock.
import type { HostStatus } from '../executor/events.js';
import type { Palette, Paint } from './colors.js';
import { elapsed } from './duration.js';

export type LiveState = 'waiting' | 'running' | HostStatus;

export interface LiveHost {
  name: string;
  state: LiveState;
  /** Clock time the host started the task. */
  startedAt?: number;
  /** Clock time its command last printed something. */
  lastOutputAt?: number;
  /** The task's duration on this host, once it is done. */
  durationMs?: number;
}

export interface LiveTask {
  title: string;
  handler: boolean;
  startedAt: number;
  /** In the order the task names them; a Map so results update in place. */
  hosts: Map<string, LiveHost>;
}

/** Never taller than this many host lines, however tall the terminal: the rest is one count line. */
export const MAX_HOST_LINES = 20;

const SPINNER = ['|', '/', '-', '\\'];
/** Which hosts are worth a line when they do not all fit: the ones still running (longest first), then failures. */
const PRIORITY: Record<LiveState, number> = { running: 0, failed: 1, unreachable: 1, waiting: 2, changed: 3, ok: 4, skipped: 5 };
const COUNT_ORDER: LiveState[] = ['running', 'waiting', 'failed', 'unreachable', 'changed', 'ok', 'skipped'];

function paintFor(state: LiveState, p: Palette): Paint {
  switch (state) {
    case 'running':
    case 'waiting':
      return (t) => t;
    default:
      return p[state];
  }
}

/** Cut to the terminal's width: a wrapped line would make the block taller than the lines it counts. */
function fit(text: string, columns: number): string {
  const max = Math.max(10, columns - 1);
  return text.length <= max ? text : `${text.slice(0, max - 1)}~`;
}

function hostNote(h: LiveHost, now: number): string {
  if (h.state !== 'running' || h.lastOutputAt === undefined) return '';
  return `  alive, last output ${Math.max(0, Math.floor((now - h.lastOutputAt) / 1000))}s ago`;
}

function hostTime(h: LiveHost, now: number): string {
  if (h.state === 'waiting') return '';
  if (h.state === 'running') return elapsed(now - (h.startedAt ?? now));
  return h.durationMs !== undefined ? elapsed(h.durationMs) : '';
}

function counts(hosts: LiveHost[]): string {
  const n = new Map<LiveState, number>();
  for (const h of hosts) n.set(h.state, (n.get(h.state) ?? 0) + 1);
  return COUNT_ORDER.filter((s) => n.get(s)).map((s) => `${n.get(s)} ${s}`).join(', ');
}

/** Hosts in the order worth showing: running longest first, failures, waiting, then the done ones. */
function ordered(hosts: LiveHost[]): LiveHost[] {
  return hosts
    .map((h, i) => ({ h, i }))
    .sort((a, b) => PRIORITY[a.h.state] - PRIORITY[b.h.state] || (a.h.startedAt ?? 0) - (b.h.startedAt ?? 0) || a.i - b.i)
    .map(({ h }) => h);
}

export interface FrameInput {
  task: LiveTask;
  now: number;
  columns: number;
  rows: number;
  /** Advances once per redraw, turning the spinners. */
  tick: number;
  p: Palette;
}

/**
 * The block's lines: a header with the task and its elapsed time, one line per shown host, and a
 * count line for the hosts that do not fit. At most rows - 1 lines, so the cursor can always climb
 * back to the block's first line.
 */
export function liveFrame({ task, now, columns, rows, tick, p }: FrameInput): string[] {
  const all = [...task.hosts.values()];
  const spin = SPINNER[tick % SPINNER.length]!;
  const head = `${spin} ${task.handler ? 'RUNNING HANDLER' : 'TASK'} [${task.title}] ${elapsed(now - task.startedAt)}  (${counts(all)})`;
  const lines = [p.bold(fit(head, columns))];

  // Header and count line around the hosts, and the line the cursor sits on below the block.
  const room = Math.max(1, Math.min(MAX_HOST_LINES, rows - 3));
  const shown = all.length <= room ? all : ordered(all).slice(0, room);
  const rest = all.length <= room ? [] : ordered(all).slice(room);
  const shownSet = new Set(shown);
  const width = Math.min(30, Math.max(...shown.map((h) => h.name.length), 4));
  // Keep the task's own host order among the shown ones: lines do not jump around between frames.
  for (const h of all.filter((x) => shownSet.has(x))) {
    const mark = h.state === 'running' ? spin : ' ';
    const text = `  ${mark} ${h.name.padEnd(width)}  ${h.state.padEnd(11)} ${hostTime(h, now).padStart(6)}${hostNote(h, now)}`;
    lines.push(paintFor(h.state, p)(fit(text.trimEnd(), columns)));
  }
  if (rest.length > 0) lines.push(p.dim(fit(`    ... ${rest.length} more: ${counts(rest)}`, columns)));
  return lines;
}
