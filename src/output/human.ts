// The terminal printer: Ansible's familiar layout (PLAY / TASK banners, one line per host, PLAY
// RECAP), diffs for --diff, and every byte masked for secrets before it is written.
import type { EventSink, RunEvent } from '../executor/events.js';
import type { SecretSet } from '../secrets/mask.js';
import { banner } from './banner.js';
import { palette } from './colors.js';
import { diffText } from './diff-text.js';
import { recapLine } from './recap-line.js';
import { resultLines } from './result-lines.js';

export interface HumanPrinterOptions {
  out: NodeJS.WritableStream;
  color: boolean;
  verbose: number;
  diff: boolean;
  secrets: SecretSet;
  check: boolean;
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

  return (raw: RunEvent) => {
    // Mask the values first: once coloured or diffed, a secret may no longer be one contiguous string.
    const event = opts.secrets.maskDeep(raw);
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
        break;
      case 'host_result': {
        const lines = resultLines(event, style);
        if (opts.diff && event.diffs) for (const d of event.diffs) lines.push(diffText(d, p).replace(/\n$/, ''));
        write(`${lines.join('\n')}\n`);
        break;
      }
      case 'warning':
        write(p.warning(`[WARNING]: ${event.host ? `[${event.host}] ` : ''}${event.msg}`) + '\n');
        break;
      case 'aborted':
        section('RUN ABORTED');
        write(p.failed(event.reason) + '\n');
        if (event.notRun.length > 0) write(p.failed(`not run: ${hostList(event.notRun)}`) + '\n');
        break;
      case 'recap': {
        section('PLAY RECAP');
        const hosts = Object.keys(event.hosts).sort();
        write(hosts.map((h) => recapLine(h, event.hosts[h]!, p)).join('\n') + (hosts.length > 0 ? '\n' : ''));
        write('\n');
        break;
      }
    }
  };
}
