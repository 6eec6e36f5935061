import { expect } from 'chai';
import type { HostCounters, HostStatus, RunEvent } from '../../../src/executor/events.js';
import { palette } from '../../../src/output/colors.js';
import { createHumanPrinter } from '../../../src/output/human.js';
import { TimingSummary } from '../../../src/output/timing-summary.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { Capture } from './capture.js';

const loc = { file: 'site.yml', line: 1, col: 1 };
const zero: HostCounters = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

function task(name: string, handler = false): RunEvent {
  return { type: 'task_start', play: 'p', task: name, loc, handler };
}
function res(taskName: string, host: string, durationMs: number, atMs: number, extra: { status?: HostStatus; item?: string; handler?: boolean } = {}): RunEvent {
  return { type: 'host_result', task: taskName, handler: extra.handler ?? false, host, status: extra.status ?? 'ok', durationMs, atMs, item: extra.item };
}

// Two hosts, seven task runs (one task runs twice, one loops, one is a handler).
const events: RunEvent[] = [
  task('Gathering Facts'), res('Gathering Facts', 'web1', 400, 400), res('Gathering Facts', 'web2', 500, 500),
  task('apt : install'), res('apt : install', 'web1', 30_000, 30_500), res('apt : install', 'web2', 41_000, 41_500, { status: 'changed' }),
  task('template'), res('template', 'web1', 200, 41_700), res('template', 'web2', 300, 41_800),
  // A loop: three items, each carrying the host's whole task time, counted once.
  task('packages'), res('packages', 'web1', 9000, 50_800, { item: 'a' }), res('packages', 'web1', 9000, 50_800, { item: 'b' }), res('packages', 'web1', 9000, 50_800, { item: 'c' }),
  task('template'), res('template', 'web2', 2000, 52_800),
  task('restart php', true), res('restart php', 'web2', 9000, 61_800, { handler: true }),
  task('debug'), res('debug', 'web1', 9000, 70_800),
];

describe('output/timing-summary', () => {
  it('lists the five slowest task runs, longest first, ties in run order, with the slowest host', () => {
    const t = new TimingSummary();
    events.forEach((e) => t.add(e));
    expect(t.slowest().map((s) => `${s.title}@${s.host}=${s.durationMs}`)).to.deep.equal([
      'apt : install@web2=41000',
      'packages@web1=9000',
      'restart php@web2=9000',
      'debug@web1=9000',
      'template@web2=2000',
    ]);
  });

  it('prints slowest tasks, busy time and span per host, and the run total', () => {
    const t = new TimingSummary();
    events.forEach((e) => t.add(e));
    const lines = t.lines(72_000, palette(false));
    expect(lines.slice(0, 7)).to.deep.equal([
      '',
      `SLOWEST TASKS ${'*'.repeat(79 - 'SLOWEST TASKS'.length)}`,
      `apt : install [web2] ${'-'.repeat(80 - 21 - 7)} 41.00s`,
      `packages [web1] ${'-'.repeat(80 - 16 - 6)} 9.00s`,
      `handler restart php [web2] ${'-'.repeat(80 - 27 - 6)} 9.00s`,
      `debug [web1] ${'-'.repeat(80 - 13 - 6)} 9.00s`,
      `template [web2] ${'-'.repeat(80 - 16 - 6)} 2.00s`,
    ]);
    for (const l of lines.slice(2, 7)) expect(l).to.have.length(80);
    // web1: 0.4 + 30 + 0.2 + 9 (loop once) + 9 = 48.6 s busy; first start 0, last end 70.8 s.
    // web2: 0.5 + 41 + 0.3 + 2 + 9 = 52.8 s busy; from 0 to 61.8 s.
    expect(lines.slice(8)).to.deep.equal([
      `TIME PER HOST ${'*'.repeat(79 - 'TIME PER HOST'.length)}`,
      'busy: sum of its task durations; span: first task start to last task end',
      'web1                       : busy    48.60s   span    70.80s',
      'web2                       : busy    52.80s   span    61.80s',
      '',
      'RUN TIME: 72.00s (start to recap)',
    ]);
  });

  it('is printed after the PLAY RECAP, as plain text without a terminal', () => {
    const out = new Capture();
    const print = createHumanPrinter({ out, color: false, verbose: 0, diff: false, check: false, secrets: new SecretSet(), timings: true });
    [...events, { type: 'recap', hosts: { web1: { ...zero, ok: 6 }, web2: { ...zero, ok: 6 } }, exitCode: 0, durationMs: 72_000 } as RunEvent].forEach(print);
    const text = out.text;
    expect(text.indexOf('PLAY RECAP')).to.be.lessThan(text.indexOf('SLOWEST TASKS'));
    expect(text.indexOf('SLOWEST TASKS')).to.be.lessThan(text.indexOf('TIME PER HOST'));
    expect(text).to.match(/RUN TIME: 72\.00s \(start to recap\)\n\n$/);
    expect(text).to.not.contain('\x1b');
  });

  it('says nothing when no task ran on any host', () => {
    const t = new TimingSummary();
    t.add(task('nothing'));
    expect(t.lines(10, palette(false))).to.deep.equal([]);
  });

  it('leaves the span out when events carry no clock', () => {
    const t = new TimingSummary();
    [task('a'), { type: 'host_result', task: 'a', handler: false, host: 'h', status: 'ok', durationMs: 1500 } as RunEvent].forEach((e) => t.add(e));
    expect(t.lines(2000, palette(false))).to.include('h                          : busy     1.50s');
  });
});
