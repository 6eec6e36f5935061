import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildContext } from '../../../src/cli/wiring.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { harness, play, task } from '../executor/harness.js';
import { Capture } from '../output/capture.js';
import { readBars, readRecap } from '../output/report/read-page.js';

describe('cli/wiring: --report', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-wiring-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the HTML report beside the printer: same events, same recap, secrets masked', async () => {
    const secret = 'hunter2-<&>-secret';
    const plays = [play([task('kv', { key: 'token', value: secret }), task('kv', { key: 'b', value: '2' }, { when: ['never_set'] })])];
    const h = harness(plays, ['web1', 'web2'], { diff: true });
    const secrets = new SecretSet();
    secrets.add(secret);
    const out = new Capture();
    const file = join(dir, 'report.html');
    const wired = buildContext({ options: h.ctx.options, inventory: h.ctx.inventory, playbook: h.ctx.playbook, json: true, out, secrets, reportFile: file });
    h.ctx.emit = wired.emit;
    expect(await runPlaybook(h.ctx)).to.equal(0);

    const html = readFileSync(file, 'utf8');
    const recap = JSON.parse(out.text.trim().split('\n').at(-1)!) as { type: string; hosts: unknown };
    expect(recap.type).to.equal('recap');
    expect(readRecap(html)).to.deep.equal(recap.hosts);
    expect(readBars(html).map((b) => `${b.taskIndex}:${b.host}:${b.status}`).sort()).to.deep.equal(['0:web1:changed', '0:web2:changed', '1:web1:skipped', '1:web2:skipped']);
    expect(html).to.not.include('hunter2');
    expect(html).to.include('<span class="d-add">+********</span>');
    expect(html).to.include('<title>runbook apply play.yml</title>');
  });
});
