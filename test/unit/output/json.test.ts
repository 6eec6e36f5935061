import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { createJsonPrinter } from '../../../src/output/json.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { Capture } from './capture.js';

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
});
