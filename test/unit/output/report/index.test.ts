import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors.js';
import type { RunEvent } from '../../../../src/executor/events.js';
import { createHtmlReport, reportTitle } from '../../../../src/output/report/index.js';
import { SecretSet } from '../../../../src/secrets/mask.js';
import { counters } from './events.js';
import { readRecap } from './read-page.js';

/** Every character HTML, JSON, URLs and shells treat specially. */
const PW = `s3<cr>&t"pa'ss w%rd\\+=`;

/** The spellings a leak could take in a page: raw, URL-encoded, JSON-escaped, and each of them HTML-escaped. */
function leakForms(pw: string): string[] {
  const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  const base = [pw, encodeURIComponent(pw), new URLSearchParams({ v: pw }).toString().slice(2), JSON.stringify(pw).slice(1, -1), JSON.stringify({ p: pw })];
  return [...new Set(base.flatMap((f) => [f, html(f)]))];
}

function runEvents(secretLine: string): RunEvent[] {
  return [
    { type: 'play_start', play: 'p', hosts: ['web1'], check: false, atMs: 0 },
    { type: 'task_start', play: 'p', task: 'conf', loc: { file: 'a.yml', line: 1, col: 1 }, handler: false, atMs: 1 },
    {
      type: 'host_result', task: 'conf', handler: false, host: 'web1', status: 'changed', durationMs: 3, atMs: 4,
      msg: `raw ${PW} url ${encodeURIComponent(PW)} json ${JSON.stringify({ p: PW })}`,
      diffs: [{ path: '/etc/app.ini', before: 'password = old\n', after: `${secretLine}\n` }],
    },
    { type: 'recap', hosts: { web1: counters({ ok: 1, changed: 1 }) }, exitCode: 0, durationMs: 5, atMs: 6 },
  ];
}

describe('output/report (createHtmlReport)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-report-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the page only when the recap arrives, leaving no temporary file', () => {
    const file = join(dir, 'run.html');
    const sink = createHtmlReport({ file, secrets: new SecretSet(), title: 'run' });
    const events = runEvents('password = new');
    events.slice(0, -1).forEach(sink);
    expect(existsSync(file)).to.equal(false);
    sink(events.at(-1)!);
    const html = readFileSync(file, 'utf8');
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(readRecap(html)).to.deep.equal({ web1: counters({ ok: 1, changed: 1 }) });
    expect(readdirSync(dir)).to.deep.equal(['run.html']);
  });

  it('replaces an earlier report whole', () => {
    const file = join(dir, 'run.html');
    for (const title of ['first', 'second']) {
      const sink = createHtmlReport({ file, secrets: new SecretSet(), title });
      runEvents('x').forEach(sink);
    }
    expect(readFileSync(file, 'utf8')).to.include('<title>second</title>');
    expect(readdirSync(dir)).to.deep.equal(['run.html']);
  });

  it('masks a secret in a diff and in a message, raw, URL-encoded and JSON-escaped, and in their HTML spellings', () => {
    const secrets = new SecretSet();
    secrets.add(PW);
    const file = join(dir, 'run.html');
    const sink = createHtmlReport({ file, secrets, title: 'run' });
    runEvents(`password = ${PW}`).forEach(sink);
    const html = readFileSync(file, 'utf8');
    for (const [i, form] of leakForms(PW).entries()) expect(html.includes(form), `form #${i}`).to.equal(false);
    // The places that held it say so.
    expect(html).to.include('<span class="d-add">+password = ********</span>');
    expect(html).to.include('raw ******** url ******** json {&quot;p&quot;:&quot;********&quot;}');
  });

  it('masks a secret learnt only after the event that showed it (a no_log result later in the run)', () => {
    const secrets = new SecretSet();
    const file = join(dir, 'run.html');
    const sink = createHtmlReport({ file, secrets, title: 'run' });
    const events = runEvents(`password = ${PW}`);
    events.slice(0, -1).forEach(sink);
    secrets.add(PW);
    sink(events.at(-1)!);
    const html = readFileSync(file, 'utf8');
    for (const [i, form] of leakForms(PW).entries()) expect(html.includes(form), `form #${i}`).to.equal(false);
    expect(html).to.include('+password = ********');
  });

  it('titles the page with the playbook as typed from the current directory, or its absolute path', () => {
    expect(reportTitle('playbooks/site.yml', '/work/proj')).to.equal('runbook apply playbooks/site.yml');
    expect(reportTitle('/work/proj/playbooks/site.yml', '/work/proj')).to.equal('runbook apply playbooks/site.yml');
    expect(reportTitle('/elsewhere/site.yml', '/work/proj')).to.equal('runbook apply /elsewhere/site.yml');
  });

  it('refuses, before the run, a report in a missing directory or onto a directory', () => {
    expect(() => createHtmlReport({ file: join(dir, 'nope/run.html'), secrets: new SecretSet(), title: 't' })).to.throw(InputError, /directory .*nope does not exist/);
    mkdirSync(join(dir, 'sub'));
    expect(() => createHtmlReport({ file: join(dir, 'sub'), secrets: new SecretSet(), title: 't' })).to.throw(InputError, /is a directory/);
  });
});
