// --step answers: no (the default), yes, continue (stop asking); end of input is no.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { createStepPrompt } from '../../../src/cli/step.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { harness, play, task } from '../executor/harness.js';

describe('--step', () => {
  it('asks before each task and runs only the ones answered yes, until continue', async () => {
    const input = new PassThrough();
    input.end('n\ny\n\nc\n');
    const out = new PassThrough();
    let asked = '';
    out.on('data', (d: Buffer) => (asked += d.toString()));
    const tasks = ['a', 'b', 'c', 'd', 'e'].map((k) => task('kv', { key: k, value: '1' }, { name: `set ${k}` }));
    const h = harness([play(tasks)], ['web1'], { step: createStepPrompt(input, out) });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    // a: n, b: y, c: empty line = no, d: continue, e: not asked, run.
    expect([...h.hosts.get('web1')!.kv.keys()]).to.deep.equal(['b', 'd', 'e']);
    expect(asked.match(/Perform task: set \w \(N\)o\/\(y\)es\/\(c\)ontinue: /g)).to.have.length(4);
  });

  it('end of input answers no: an unconfirmed task does not run', async () => {
    const input = new PassThrough();
    input.end('y\n');
    const step = createStepPrompt(input, new PassThrough());
    expect(await step('x')).to.equal(true);
    expect(await step('y')).to.equal(false);
    expect(await step('z')).to.equal(false);
  });
});
