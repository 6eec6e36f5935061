import { expect } from 'chai';
import { ReportCollector } from '../../../../src/output/report/collect.js';
import { renderPage } from '../../../../src/output/report/page.js';
import type { RunEvent } from '../../../../src/executor/events.js';
import { sampleRun } from './events.js';
import { readBars, readRecap } from './read-page.js';

function page(events: RunEvent[]): string {
  const c = new ReportCollector();
  events.forEach((e) => c.add(e));
  return renderPage(c.report({ title: 'runbook apply site.yml', startedAt: '2025-01-01T00:00:00.000Z' }));
}

describe('output/report/page', () => {
  it('shows the recap event numbers per host in cells a program can read', () => {
    const events = sampleRun();
    const recap = events.at(-1)!;
    if (recap.type !== 'recap') throw new Error('sample ends with the recap');
    expect(readRecap(page(events))).to.deep.equal(recap.hosts);
  });

  it('draws one bar per host and task, coloured by result, named in its tooltip', () => {
    const html = page(sampleRun());
    const bars = readBars(html);
    expect(bars.map((b) => `${b.taskIndex}:${b.host}:${b.status}${b.ignored ? ':ignored' : ''}`)).to.deep.equal([
      '0:web1:changed', '1:web1:changed', '2:web1:failed:ignored', '3:web1:changed', '0:web2:ok', '1:web2:skipped', '2:web2:ok',
    ]);
    expect(bars.map((b) => b.classes.filter((c) => c.startsWith('s-'))[0])).to.deep.equal(bars.map((b) => `s-${b.status}`));
    expect(bars[0]!.title).to.equal('write config\nweb1: changed in 40 ms');
    expect(bars[1]!.title).to.equal('packages\nweb1: changed in 100 ms, 2 items');
    expect(bars[2]!.title).to.equal('may fail\nweb1: failed (ignored) in 10 ms\nexit 3');
    expect(bars[3]!.title).to.match(/^handler: write config\n/);
    expect(bars.map((b) => b.task)).to.include.members(['write config', 'packages', 'may fail']);
    // Rows are per host, in play order; the bars sit in their host's row.
    expect([...html.matchAll(/<div class="row" data-host="([^"]*)">/g)].map((m) => m[1])).to.deep.equal(['web1', 'web2']);
    const row2 = html.slice(html.indexOf('<div class="row" data-host="web2">'));
    expect(readBars(row2).map((b) => b.host)).to.deep.equal(['web2', 'web2', 'web2']);
  });

  it('places bars on the run\'s time scale', () => {
    const html = page(sampleRun());
    // write config on web1 ran from 1 to 41 ms of a 161 ms run.
    expect(html).to.include(`style="left:${((1 / 161) * 100).toFixed(3)}%;width:${((40 / 161) * 100).toFixed(3)}%"`);
  });

  it('lists the applied diffs as unified diffs', () => {
    const html = page(sampleRun());
    expect(html).to.match(/<details open class="diff" data-host="web1" data-path="\/etc\/app.conf" data-task-index="0">/);
    expect(html).to.include('<span class="d-del">-port = 1</span>\n<span class="d-add">+port = 2</span>');
    expect(html).to.include('<h2>Changes applied</h2>');
  });

  it('says when no diff was recorded, and names check mode', () => {
    const events: RunEvent[] = [
      { type: 'play_start', play: 'p', hosts: ['a'], check: true, atMs: 0 },
      { type: 'recap', hosts: {}, exitCode: 0, durationMs: 1, atMs: 1 },
    ];
    const html = page(events);
    expect(html).to.include('check mode: nothing was changed');
    expect(html).to.include('Changes that would be applied (check mode)');
    expect(html).to.include('No file diffs: no file changed, or the run was made without <code>--diff</code>');
  });

  it('is self-contained: no script, no external reference, and a CSP that forbids loading any', () => {
    const html = page(sampleRun());
    expect(html).to.not.match(/<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(|@import/i);
    expect(html).to.not.match(/https?:\/\//);
    expect(html).to.include(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });
});
