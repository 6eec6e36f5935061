import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { createJsonPrinter } from '../../../src/output/json.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { Capture } from './capture.js';
import { buildContext } from '../../../src/cli/wiring.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { harness, play, task } from '../executor/harness.js';

const PW = 'p"ss\\w&rd=+!@%\n';

describe('output/json', () => {
  it('writes one parseable JSON object per event, recap last', () => {
    const out = new Capture();
    const print = createJsonPrinter({ out, secrets: new SecretSet() });
    const events: RunEvent[] = [
      { type: 'task_start', play: 'p', task: 't', loc: { file: 'a.yml', line: 1, col: 1 }, handler: false },
      { type: 'host_result', task: 't', handler: false, host: 'web1', status: 'ok', durationMs: 3 },
      { type: 'recap', hosts: { web1: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 } }, exitCode: 0, durationMs: 5 },
    ];
    events.forEach(print);
    const lines = out.text.split('\n');
    expect(lines.pop()).to.equal('');
    expect(lines.map((l) => JSON.parse(l))).to.deep.equal(events);
  });

  it('masks secrets in every form, and the lines stay valid JSON', () => {
    const out = new Capture();
    const secrets = new SecretSet();
    secrets.add(PW);
    const print = createJsonPrinter({ out, secrets });
    print({ type: 'host_result', task: 't', handler: false, host: 'web1', status: 'failed', msg: `raw ${PW}`, stdout: `url ${encodeURIComponent(PW)}`, stderr: JSON.stringify({ inner: PW }), durationMs: 1 });
    print({ type: 'warning', msg: `${PW}${PW}` });
    for (const leak of [PW, JSON.stringify(PW).slice(1, -1), encodeURIComponent(PW), 'p\\"ss', 'w&rd']) expect(out.text, leak).to.not.contain(leak);
    const [first, second] = out.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(first.msg).to.equal('raw ********');
    expect(first.stdout).to.equal('url ********');
    expect(first.stderr).to.equal('{"inner":"********"}');
    expect(second.msg).to.equal('********');
  });

  it('carries timings: atMs on every line from one run clock, durationMs on host_result and recap', async () => {
    // A real executor run (fake transport) whose events go through the CLI's wiring and JSON printer.
    const plays = [play([task('kv', { key: 'a', value: '1' }), task('kv', { key: 'b', value: '2' }, { loop: ['x', 'y'] })])];
    const h = harness(plays, ['web1', 'web2']);
    const out = new Capture();
    const wired = buildContext({ options: h.ctx.options, inventory: h.ctx.inventory, playbook: h.ctx.playbook, json: true, out });
    h.ctx.emit = wired.emit;
    expect(await runPlaybook(h.ctx)).to.equal(0);
    const events = out.text.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    expect(events.map((e) => e.type)).to.include.members(['play_start', 'task_start', 'host_result', 'recap']);
    for (const e of events) expect(e.atMs, e.type).to.be.a('number').and.at.least(0);
    const at = events.map((e) => e.atMs!);
    expect(at, 'one clock: never goes back').to.deep.equal([...at].sort((a, b) => a - b));
    const results = events.filter((e) => e.type === 'host_result');
    expect(results).to.have.length(2 + 4);
    for (const r of results) expect(r.durationMs, 'host_result.durationMs').to.be.a('number').and.at.least(0);
    const recap = events.at(-1)!;
    expect(recap.type).to.equal('recap');
    expect(recap.type === 'recap' && recap.durationMs).to.be.a('number').and.at.least(0);
    // A result is stamped after its task started, and its duration fits in the time since.
    for (const r of results) {
      const start = events.slice(0, events.indexOf(r)).filter((e) => e.type === 'task_start').at(-1)!;
      expect(r.atMs!).to.be.at.least(start.atMs!);
      if (r.type === 'host_result') expect(r.atMs! - start.atMs!).to.be.at.least(r.durationMs);
    }
  });
});
