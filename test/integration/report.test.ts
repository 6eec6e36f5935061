// Issue 5's report, end to end: a real run on two lab hosts with --json --report, the page opened
// in Debian's chromium (headless, offline), its numbers read back and compared with the --json recap.
import { expect } from 'chai';
import { randomInt } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { HostStatus, RunEvent } from '../../src/executor/events.js';
import { readBars, readRecap } from '../unit/output/report/read-page.js';
import { getLab, type Lab } from './lab/fixture.js';
import { CHROMIUM, dumpDom } from './support/chromium.js';
import { REPO, describeRun, runbook, type CliRun } from './support/runbook.js';

const HOSTS = ['host1', 'host2'];

/** 24 characters with every one HTML, JSON, URLs and shells treat specially, the rest random. */
function awkwardToken(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const chars = [...`<>&"'%+= \\`];
  while (chars.length < 24) chars.push(alphabet[randomInt(alphabet.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

const html = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const jsonBody = (s: string): string => JSON.stringify(s).slice(1, -1);

/** Raw, URL-encoded (both flavours), JSON-escaped, and each of those as HTML text or attribute (either quote spelling). */
function leakForms(s: string): string[] {
  const uri = encodeURIComponent(s);
  const strict = uri.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const base = [s, uri, strict, new URLSearchParams({ v: s }).toString().slice(2), jsonBody(s), jsonBody(jsonBody(s))];
  return [...new Set(base.flatMap((f) => [f, html(f), html(f).replace(/&#39;/g, "'"), html(f).replace(/&quot;/g, '"')]))];
}

/** Per task (in task_start order) and host: the folded status the timeline should draw. */
function expectedBars(events: RunEvent[]): Map<string, { task: string; status: HostStatus }> {
  const rank: Record<HostStatus, number> = { skipped: 0, ok: 1, changed: 2, failed: 3, unreachable: 4 };
  const out = new Map<string, { task: string; status: HostStatus }>();
  let index = -1;
  let current = '';
  for (const e of events) {
    if (e.type === 'task_start') {
      index++;
      current = e.task;
    }
    if (e.type !== 'host_result') continue;
    expect(e.task, 'results follow their task_start').to.equal(current);
    const key = `${index}:${e.host}`;
    const seen = out.get(key);
    if (!seen || rank[e.status] > rank[seen.status]) out.set(key, { task: e.task, status: e.status });
  }
  return out;
}

describe('--report FILE.html, read back in chromium', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let token: string;
  let run: CliRun;
  let report: string;
  let dom: string;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
    lab = await getLab({ hosts: 2 });
    work = mkdtempSync(join(tmpdir(), 'runbook-report-'));
    cpSync(join(REPO, 'test/fixtures/report'), work, { recursive: true });
    token = awkwardToken();
    writeFileSync(join(work, 'secrets.yml'), stringify({ report_token: token }), { mode: 0o600 });
    report = join(work, 'out', 'run report.html');
    mkdirSync(join(work, 'out'));
    run = await runbook(['apply', join(work, 'site.yml'), '-i', lab.inventoryFile, '-e', `@${join(work, 'secrets.yml')}`, '--json', '--report', report]);
    expect(run.code, describeRun(run)).to.equal(0);
    dom = await dumpDom(report);
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ran every kind of result the page colours (the comparisons below are not vacuous)', () => {
    const statuses = new Set(run.events.flatMap((e) => (e.type === 'host_result' ? [e.status] : [])));
    expect([...statuses].sort()).to.deep.equal(['changed', 'failed', 'ok', 'skipped']);
    expect(run.recap.host1).to.include({ rescued: 1, failed: 0 });
    expect(run.recap.host2).to.include({ ignored: 1, failed: 0 });
    // --json carries the timings the timeline is drawn from.
    for (const e of run.events) expect(e.atMs, e.type).to.be.a('number');
    for (const e of run.events) if (e.type === 'host_result') expect(e.durationMs, e.task).to.be.a('number').and.at.least(0);
  });

  it('the rendered recap shows, per host, the same numbers as the --json recap of the same run', () => {
    expect(Object.keys(run.recap).sort()).to.deep.equal(HOSTS);
    expect(readRecap(dom)).to.deep.equal(run.recap);
  });

  it('the rendered timeline has one bar per host per task, coloured by its result, named in its tooltip', () => {
    const bars = readBars(dom);
    const expected = expectedBars(run.events);
    const taskCount = run.events.filter((e) => e.type === 'task_start').length;
    expect(taskCount).to.be.greaterThan(8);
    // Every task that ran on every host (handlers only where notified) has its bar, and nothing else does.
    expect(bars.map((b) => `${b.taskIndex}:${b.host}`).sort()).to.deep.equal([...expected.keys()].sort());
    for (const b of bars) {
      const want = expected.get(`${b.taskIndex}:${b.host}`)!;
      expect({ task: b.task, status: b.status }, `bar ${b.taskIndex} on ${b.host}`).to.deep.equal(want);
      expect(b.classes, `bar ${b.taskIndex} on ${b.host}`).to.include(`s-${want.status}`);
      expect(b.title.split('\n')[0]!.replace(/^handler: /, '')).to.equal(want.task);
    }
    // Both hosts have a bar for every task but the rescue, which ran where the block failed.
    const hostsOf = (task: string) => [...new Set(bars.filter((b) => b.task === task).map((b) => b.host))].sort();
    for (const t of new Set(bars.map((b) => b.task!))) expect(hostsOf(t), t).to.deep.equal(t.endsWith(' : recovered') ? ['host1'] : HOSTS);
    // A task name full of markup came through chromium's parser as text, not as elements.
    expect(bars.map((b) => b.task)).to.include(`reportapp : say <b>hi</b> & 'bye' "quoted"`);
    expect(dom).to.not.match(/<b>hi<\/b>/);
    expect(bars.find((b) => b.host === 'host2' && /ignored/.test(b.title))?.classes).to.include('ignored');
  });

  it('shows that a file that will hold the secret changed, without its text, and the secret nowhere in any form', () => {
    expect(dom).to.match(/<details[^>]*data-host="host1"[^>]*data-path="\/etc\/reportapp\/app\.conf"/);
    expect(dom).to.include('(the file changed; its content is not shown: the file will hold a secret)');
    expect(dom).to.not.include('+token = ');
    const places = { 'the rendered DOM': dom, 'the report file': readFileSync(report, 'utf8'), '--json stdout': run.stdout, stderr: run.stderr };
    const leaks = Object.entries(places).flatMap(([where, text]) =>
      leakForms(token).flatMap((f, i) => (text.includes(f) ? [`${where} holds form #${i}`] : [])),
    );
    // Names the place and the form, never the token.
    expect(leaks).to.deep.equal([]);
    // The debug message that held the token raw and JSON-escaped is there, masked.
    expect(readBars(dom).find((b) => b.host === 'host1' && b.task?.includes(' : say '))?.title).to.include('token ******** as JSON "********"');
  });

  it('is written whole: only the report in its directory, no temporary file left', () => {
    expect(readdirSync(join(work, 'out'))).to.deep.equal(['run report.html']);
  });
});
