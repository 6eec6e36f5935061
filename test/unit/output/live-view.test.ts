import { expect } from 'chai';
import type { HostCounters, HostStatus, RunEvent } from '../../../src/executor/events.js';
import { createHumanPrinter } from '../../../src/output/human.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { Capture } from './capture.js';
import { FakeClock, FakeTty, screen } from './fake-terminal.js';

const loc = { file: 'site.yml', line: 3, col: 7 };
const zero: HostCounters = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };
const ESC = '\x1b';

function result(host: string, status: HostStatus, durationMs = 100, extra: Record<string, unknown> = {}): RunEvent {
  return { type: 'host_result', task: 'install', handler: false, host, status, durationMs, ...extra } as RunEvent;
}

function livePrinter(opts: { columns?: number; rows?: number; signal?: AbortSignal; color?: boolean } = {}) {
  const tty = new FakeTty(opts.columns ?? 80, opts.rows ?? 24);
  const clock = new FakeClock();
  const print = createHumanPrinter({
    out: tty, color: opts.color ?? false, verbose: 0, diff: false, check: false, secrets: new SecretSet(),
    live: { term: tty, scheduler: clock, intervalMs: 250, signal: opts.signal },
  });
  return { tty, clock, print };
}

function plain(events: RunEvent[]): string {
  const out = new Capture();
  const print = createHumanPrinter({ out, color: false, verbose: 0, diff: false, check: false, secrets: new SecretSet() });
  events.forEach(print);
  return out.text;
}

const play: RunEvent = { type: 'play_start', play: 'web', hosts: ['web1', 'web2'], check: false };
const start: RunEvent = { type: 'task_start', play: 'web', task: 'install', loc, handler: false, hosts: ['web1', 'web2'] };
const recap: RunEvent = { type: 'recap', hosts: { web1: { ...zero, ok: 1, changed: 1 }, web2: { ...zero, ok: 1 } }, exitCode: 0, durationMs: 9000 };

describe('output/live-view (through the human printer, on a fake terminal)', () => {
  it('draws nothing for a task that ends before the first redraw', () => {
    const { tty, clock, print } = livePrinter();
    const events = [play, start, { type: 'host_start', task: 'install', handler: false, host: 'web1' } as RunEvent, result('web1', 'ok'), result('web2', 'ok')];
    events.forEach(print);
    clock.runSoon();
    expect(tty.text).to.equal(plain(events));
    expect(clock.running).to.equal(0);
  });

  it('redraws a block in place while hosts run, then leaves the ordinary lines behind', () => {
    const { tty, clock, print } = livePrinter();
    [play, start].forEach(print);
    print({ type: 'host_start', task: 'install', handler: false, host: 'web1' });
    clock.advance(250);
    const first = tty.text;
    expect(first).to.contain(`${ESC}[2K`);
    expect(screen(first).slice(-4)).to.deep.equal([
      '| TASK [install] 0.3s  (1 running, 1 waiting)',
      '  | web1  running       0.3s',
      '    web2  waiting',
      '',
    ]);

    print({ type: 'host_start', task: 'install', handler: false, host: 'web2' });
    clock.advance(9_000);
    print({ type: 'host_progress', task: 'install', host: 'web2' });
    clock.advance(2_250);
    print(result('web1', 'changed', 11_000));
    clock.advance(250);
    const before = tty.text.length;
    clock.advance(250);
    // A redraw climbs back over the 3 lines drawn last, and rewrites each one.
    expect(tty.text.slice(before)).to.match(new RegExp(`^\\x1b\\[3A\\x1b\\[2K`));
    expect(screen(tty.text).slice(-4)).to.deep.equal([
      '\\ TASK [install] 12s  (1 running, 1 changed)',
      '    web1  changed        11s',
      '  \\ web2  running        11s  alive, last output 2s ago',
      '',
    ]);
    // Results wait under the block until the task is done.
    expect(screen(tty.text).join('\n')).to.not.contain('changed: [web1]');

    print(result('web2', 'ok', 12_000));
    clock.runSoon();
    expect(clock.running, 'timer stopped once every host is done').to.equal(0);
    print(recap);
    const all = [play, start, result('web1', 'changed', 11_000), result('web2', 'ok', 12_000), recap];
    expect(screen(tty.text)).to.deep.equal(screen(plain(all)));
  });

  it('holds a looping host\'s item results together and shows its worst item', () => {
    const { tty, clock, print } = livePrinter();
    [play, { ...start, hosts: ['web1'] } as RunEvent, { type: 'host_start', task: 'install', handler: false, host: 'web1' } as RunEvent].forEach(print);
    clock.advance(500);
    // A loop's items all arrive in one go: the first completes the host, the block waits for the rest.
    print(result('web1', 'ok', 500, { item: 'a' }));
    print(result('web1', 'failed', 500, { item: 'b', msg: 'no candidate' }));
    clock.runSoon();
    const text = screen(tty.text).join('\n');
    expect(text).to.contain('ok: [web1] => (item=a)\nfailed: [web1] (item=b) => no candidate');
    expect(text).to.not.contain('TASK [install] 0.');
  });

  it('stops its timer at the recap even when hosts never reported (interrupted run)', () => {
    const { tty, clock, print } = livePrinter();
    [play, start, { type: 'host_start', task: 'install', handler: false, host: 'web1' } as RunEvent].forEach(print);
    clock.advance(1000);
    expect(clock.running).to.equal(1);
    print(recap);
    expect(clock.running).to.equal(0);
    const shown = screen(tty.text).join('\n');
    expect(shown).to.not.contain('running');
    expect(shown).to.contain('PLAY RECAP');
    // Closed for good: nothing redraws after the recap.
    const after = tty.text;
    clock.advance(5000);
    expect(tty.text).to.equal(after);
  });

  it('clears the block at once on Ctrl-C (the signal), and at a run error', () => {
    const ac = new AbortController();
    const a = livePrinter({ signal: ac.signal });
    [play, start, { type: 'host_start', task: 'install', handler: false, host: 'web1' } as RunEvent].forEach(a.print);
    a.clock.advance(500);
    a.print(result('web2', 'ok'));
    ac.abort();
    expect(a.clock.running).to.equal(0);
    // The held result is written where the block was, nothing of the block stays.
    expect(screen(a.tty.text).slice(-2)).to.deep.equal(['ok: [web2]', '']);
    // From now on, plain lines only.
    [start, result('web1', 'ok')].forEach(a.print);
    a.clock.advance(1000);
    expect(a.tty.text.endsWith('ok: [web1]\n')).to.equal(true);

    const b = livePrinter();
    [play, start, { type: 'host_start', task: 'install', handler: false, host: 'web1' } as RunEvent].forEach(b.print);
    b.clock.advance(500);
    b.print({ type: 'run_error', msg: 'boom' });
    expect(b.clock.running).to.equal(0);
    expect(screen(b.tty.text).join('\n')).to.not.contain('running');
  });

  it('prints a warning above the block, which comes back at the next redraw', () => {
    const { tty, clock, print } = livePrinter();
    [play, start, { type: 'host_start', task: 'install', handler: false, host: 'web1' } as RunEvent].forEach(print);
    clock.advance(250);
    print({ type: 'warning', msg: 'slow mirror', host: 'web1' });
    expect(screen(tty.text).slice(-2)).to.deep.equal(['[WARNING]: [web1] slow mirror', '']);
    clock.advance(250);
    expect(screen(tty.text).slice(-5, -3)).to.deep.equal(['[WARNING]: [web1] slow mirror', '/ TASK [install] 0.5s  (1 running, 1 waiting)']);
  });

  it('with 50 hosts keeps the block within the terminal\'s rows', () => {
    const hosts = Array.from({ length: 50 }, (_, i) => `web${i + 1}`);
    const { tty, clock, print } = livePrinter({ rows: 15 });
    print({ ...start, hosts } as RunEvent);
    hosts.slice(0, 20).forEach((host) => print({ type: 'host_start', task: 'install', handler: false, host }));
    hosts.slice(0, 5).forEach((h) => print(result(h, 'ok')));
    clock.advance(250);
    const block = screen(tty.text).slice(2, -1);
    expect(block.length).to.be.at.most(14);
    expect(block.at(-1)).to.match(/^ {4}\.\.\. \d+ more: /);
    expect(block[0]).to.contain('(15 running, 30 waiting, 5 ok)');
    expect(block.filter((l) => /^ {2}\S web\d+ +running/.test(l))).to.have.length(12);
  });

  it('colours the block\'s states when colour is on, and only then', () => {
    const coloured = livePrinter({ color: true });
    [start, { type: 'host_start', task: 'install', handler: false, host: 'web1' } as RunEvent, result('web2', 'failed')].forEach(coloured.print);
    coloured.clock.advance(250);
    expect(coloured.tty.text).to.contain(`${ESC}[31m    web2  failed`);
  });
});
