import { expect } from 'chai';
import { palette } from '../../../src/output/colors.js';
import { liveFrame, MAX_HOST_LINES, type LiveHost, type LiveTask } from '../../../src/output/live-frame.js';

const p = palette(false);
const T0 = 50_000;

function task(hosts: LiveHost[], title = 'php_web : install packages'): LiveTask {
  return { title, handler: false, startedAt: T0, hosts: new Map(hosts.map((h) => [h.name, h])) };
}

describe('output/live-frame', () => {
  it('shows per host its state and elapsed time, and that a long command is alive', () => {
    const lines = liveFrame({
      task: task([
        { name: 'web1', state: 'running', startedAt: T0, lastOutputAt: T0 + 40_000 },
        { name: 'web2', state: 'running', startedAt: T0 + 1000 },
        { name: 'web3', state: 'changed', startedAt: T0, durationMs: 3200 },
        { name: 'web4', state: 'waiting' },
        { name: 'web5', state: 'failed', startedAt: T0, durationMs: 800 },
      ]),
      now: T0 + 43_500,
      columns: 100,
      rows: 24,
      tick: 1,
      p,
    });
    expect(lines).to.deep.equal([
      '/ TASK [php_web : install packages] 43s  (2 running, 1 waiting, 1 failed, 1 changed)',
      '  / web1  running        43s  alive, last output 3s ago',
      '  / web2  running        42s',
      '    web3  changed       3.2s',
      '    web4  waiting',
      '    web5  failed        0.8s',
    ]);
  });

  it('turns the spinner with each redraw and counts minutes past a minute', () => {
    const t = task([{ name: 'db', state: 'running', startedAt: T0 }]);
    const spins = [0, 1, 2, 3, 4].map((tick) => liveFrame({ task: t, now: T0 + 125_000, columns: 80, rows: 24, tick, p })[1]!.slice(2, 3));
    expect(spins).to.deep.equal(['|', '/', '-', '\\', '|']);
    expect(liveFrame({ task: t, now: T0 + 125_000, columns: 80, rows: 24, tick: 0, p })[1]).to.contain('2m05s');
  });

  it('with 50 hosts fits the terminal: running hosts first, a count line for the rest', () => {
    const hosts: LiveHost[] = Array.from({ length: 50 }, (_, i) => {
      const name = `web${String(i + 1).padStart(2, '0')}`;
      if (i % 10 === 3) return { name, state: 'running', startedAt: T0 + i };
      if (i < 30) return { name, state: 'ok', startedAt: T0, durationMs: 1000 };
      return { name, state: 'waiting' };
    });
    const lines = liveFrame({ task: task(hosts), now: T0 + 5000, columns: 80, rows: 12, tick: 0, p });
    // rows - 1 at most: header, 9 hosts, the count line; the cursor's line below.
    expect(lines).to.have.length(11);
    const shown = lines.slice(1, -1).map((l) => l.trim().split(/\s+/));
    const running = shown.filter((w) => w.includes('running')).map((w) => w[1]);
    expect(running).to.deep.equal(['web04', 'web14', 'web24', 'web34', 'web44']);
    // After the running ones, the waiting hosts (work still to do) rather than the finished ones.
    expect(shown.filter((w) => w.includes('waiting'))).to.have.length(4);
    expect(lines.at(-1)).to.equal('    ... 41 more: 14 waiting, 27 ok');
    expect(lines[0]).to.contain('(5 running, 18 waiting, 27 ok)');
    // A tall terminal still gets a bounded block.
    expect(liveFrame({ task: task(hosts), now: T0, columns: 80, rows: 200, tick: 0, p })).to.have.length(MAX_HOST_LINES + 2);
    // A tiny one keeps a header, one host and the count line.
    expect(liveFrame({ task: task(hosts), now: T0, columns: 80, rows: 3, tick: 0, p })).to.have.length(3);
  });

  it('never writes a line as wide as the terminal, so nothing wraps', () => {
    const lines = liveFrame({
      task: task([{ name: 'a-very-long-host-name.example.com', state: 'running', startedAt: T0, lastOutputAt: T0 }], 'x'.repeat(200)),
      now: T0 + 1000,
      columns: 40,
      rows: 24,
      tick: 0,
      p,
    });
    for (const l of lines) expect(l.length, l).to.be.at.most(39);
    expect(lines[0]!.endsWith('~')).to.equal(true);
  });
});
