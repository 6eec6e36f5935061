import { expect } from 'chai';
import { attrs, escapeHtml } from '../../../../src/output/report/escape.js';
import { ReportCollector } from '../../../../src/output/report/collect.js';
import { renderPage } from '../../../../src/output/report/page.js';
import type { RunEvent } from '../../../../src/executor/events.js';
import { counters } from './events.js';

const EVIL = `</title><script>alert("x")</script><b onmouseover='1'>&amp;`;

describe('output/report/escape', () => {
  it('escapes the five characters that end text or attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).to.equal('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(attrs({ 'data-host': 'a"b', title: "it's", skip: undefined, n: 3 })).to.equal(' data-host="a&quot;b" title="it&#39;s" n="3"');
  });

  it('lets no run data become markup: title, play, host, task, message, diff path and content', () => {
    const events: RunEvent[] = [
      { type: 'play_start', play: EVIL, hosts: [EVIL], check: false, atMs: 0 },
      { type: 'task_start', play: EVIL, task: EVIL, loc: { file: EVIL, line: 1, col: 1 }, handler: false, atMs: 0 },
      {
        type: 'host_result', task: EVIL, handler: false, host: EVIL, status: 'changed', msg: EVIL, durationMs: 1, atMs: 1,
        diffs: [{ path: EVIL, before: `${EVIL}\n`, after: '</pre></details><script>\n' }],
      },
      { type: 'warning', msg: EVIL, atMs: 1 },
      { type: 'aborted', reason: EVIL, notRun: [EVIL], atMs: 1 },
      { type: 'recap', hosts: { [EVIL]: counters({ ok: 1, changed: 1 }) }, exitCode: 8, durationMs: 2, atMs: 2 },
    ];
    const c = new ReportCollector();
    events.forEach((e) => c.add(e));
    const html = renderPage(c.report({ title: EVIL }));
    // Every tag in the page is one the renderer wrote.
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].filter((t) => !['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'h1', 'h2', 'p', 'span', 'div', 'br', 'strong', 'main', 'section', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'pre', 'code'].includes(t))).to.deep.equal([]);
    expect(html).to.not.include('<script');
    expect(html).to.not.include("onmouseover='");
    expect(html).to.include('&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // The entity in the data stays text (&amp;amp;), not a decoded &.
    expect(html).to.include('&#39;1&#39;&gt;&amp;amp;');
    expect(html.match(/<\/pre>/g)).to.have.length(1);
  });
});
