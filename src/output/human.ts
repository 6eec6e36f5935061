// The terminal printer: Ansible's familiar layout (PLAY / TASK banners, one line per host, PLAY
// RECAP), diffs for --diff, and every byte masked for secrets before it is written.
import { seeLine } from '../core/errors.js';
import type { EventSink, RunEvent } from '../executor/events.js';
import type { SecretSet } from '../secrets/mask.js';
import { banner } from './banner.js';
import { palette } from './colors.js';
import { diffText } from './diff-text.js';
import { inert, inertResult } from './inert.js';
import { LiveView, type Scheduler } from './live-view.js';
import { TimingSummary } from './timing-summary.js';
import type { TermStream } from './tty.js';
import { recapLine } from './recap-line.js';
import { resultLines } from './result-lines.js';
import { resumeLines } from './resume-lines.js';

export interface HumanPrinterOptions {
  out: NodeJS.WritableStream;
  color: boolean;
  verbose: number;
  diff: boolean;
  secrets: SecretSet;
  check: boolean;
  /** On a terminal that can redraw (tty.ts): a live block for the running task. Absent: plain lines only. */
  live?: { term: Pick<TermStream, 'columns' | 'rows'>; signal?: AbortSignal; scheduler?: Scheduler; intervalMs?: number };
  /** After the recap: the slowest tasks and the time per host (timing-summary.ts). */
  timings?: boolean;
}

function hostList(hosts: string[]): string {
  return hosts.length > 10 ? `${hosts.slice(0, 10).join(', ')}, ... (${hosts.length - 10} more)` : hosts.join(', ');
}

export function createHumanPrinter(opts: HumanPrinterOptions): EventSink {
  const p = palette(opts.color);
  const style = { verbose: opts.verbose, check: opts.check, p };
  const write = (text: string): void => {
    opts.out.write(opts.secrets.mask(text));
  };
  const section = (title: string): void => write(`\n${banner(title)}\n`);
  const live = opts.live ? new LiveView({ term: opts.live.term, write, p, scheduler: opts.live.scheduler, intervalMs: opts.live.intervalMs }) : undefined;
  // Ctrl-C: the block goes at once, before the CLI says it is finishing the recap.
  opts.live?.signal?.addEventListener('abort', () => live?.close(), { once: true });
  const timings = opts.timings ? new TimingSummary() : undefined;
  /** Hosts an abort left untouched, named again under the recap. */
  let notRun: string[] = [];

  return (raw: RunEvent) => {
    // Mask the values first: once coloured or diffed, a secret may no longer be one contiguous string.
    const event = opts.secrets.maskDeep(raw);
    timings?.add(event);
    // Anything but a host's news ends the live task: its results go out before the next section.
    if (live && !['host_start', 'host_progress', 'host_retry', 'host_result', 'warning'].includes(event.type)) live.finish();
    switch (event.type) {
      case 'play_start':
        section(`PLAY [${event.play}]${event.check ? ' [CHECK MODE]' : ''}`);
        break;
      case 'batch_start':
        section(`BATCH [${event.batch}/${event.batches}: ${hostList(event.hosts)}]`);
        break;
      case 'task_start':
        section(`${event.handler ? 'RUNNING HANDLER' : 'TASK'} [${event.task}]`);
        if (opts.verbose >= 2) write(p.dim(`task path: ${event.loc.file}:${event.loc.line}:${event.loc.col}\n`));
        live?.begin(event.task, event.handler, event.hosts ?? []);
        break;
      case 'host_start':
        live?.hostStart(event.host);
        break;
      case 'host_progress':
        live?.hostProgress(event.host);
        break;
      case 'host_result': {
        // What the host printed is shown, never obeyed: its escape sequences reach the terminal as text.
        const shown = inertResult(event);
        const lines = resultLines(shown, style);
        if (opts.diff && shown.diffs) for (const d of shown.diffs) lines.push(diffText(d, p).replace(/\n$/, ''));
        const text = `${lines.join('\n')}\n`;
        // Held while the task is live, so they land together where the block was.
        if (!live?.hostResult(event.host, event.status, event.durationMs, text)) write(text);
        break;
      }
      case 'host_retry': {
        // Ansible's words, so people who grep their logs for them find them.
        const text = p.failed(`FAILED - RETRYING: [${event.host}]: ${inert(event.task)} (${event.left} retries left).`) + '\n';
        if (live) live.writeAbove(text);
        else write(text);
        break;
      }
      case 'warning': {
        const text = p.warning(`[WARNING]: ${event.host ? `[${event.host}] ` : ''}${inert(event.msg)}`) + '\n';
        if (live) live.writeAbove(text);
        else write(text);
        break;
      }
      case 'run_error':
        live?.close();
        break;
      case 'aborted':
        section('RUN ABORTED');
        write(p.failed(event.reason) + '\n');
        write(`  ${seeLine('rollout-aborted')}\n`);
        if (event.notRun.length > 0) write(p.failed(`not run: ${hostList(event.notRun)}`) + '\n');
        notRun = event.notRun;
        break;
      case 'recap': {
        live?.close();
        section('PLAY RECAP');
        const hosts = Object.keys(event.hosts).sort();
        write(hosts.map((h) => recapLine(h, event.hosts[h]!, p)).join('\n') + (hosts.length > 0 ? '\n' : ''));
        if (event.interrupted) write(p.failed(`RUN INTERRUPTED: ${inert(event.interrupted)}`) + '\n');
        write('\n');
        const summary = timings?.lines(event.durationMs, p) ?? [];
        if (summary.length > 0) write(`${summary.join('\n')}\n\n`);
        const resume = resumeLines(notRun, event.resume, p);
        if (resume.length > 0) write(`${resume.join('\n')}\n\n`);
        break;
      }
    }
  };
}
