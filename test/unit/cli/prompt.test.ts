// -k / -K prompts: no echo on a terminal, Backspace and Ctrl-C handled; one line per prompt from a pipe.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { InterruptedError } from '../../../src/core/errors.js';
import { promptSecret } from '../../../src/cli/prompt.js';

function fakeTty(): PassThrough & { isTTY: boolean; raw: boolean[]; setRawMode(r: boolean): void } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; raw: boolean[]; setRawMode(r: boolean): void };
  s.isTTY = true;
  s.raw = [];
  s.setRawMode = (r) => s.raw.push(r);
  return s;
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('promptSecret', () => {
  it('on a terminal: raw mode, nothing echoed, Backspace edits, Enter ends', async () => {
    const tty = fakeTty();
    const out = sink();
    const answer = promptSecret('SSH password: ', tty, out.stream);
    tty.write('s3cx');
    tty.write('\u007fr&t!\r');
    expect(await answer).to.equal('s3cr&t!');
    expect(out.text()).to.equal('SSH password: \n');
    expect(tty.raw).to.deep.equal([true, false]);
  });

  it('on a terminal, Ctrl-C interrupts', async () => {
    const tty = fakeTty();
    const answer = promptSecret('BECOME password: ', tty, sink().stream);
    tty.write('ab\u0003');
    try {
      await answer;
      expect.fail('should have been interrupted');
    } catch (err) {
      expect(err).to.be.instanceOf(InterruptedError);
    }
    expect(tty.raw).to.deep.equal([true, false]);
  });

  it('from a pipe: successive prompts read successive lines', async () => {
    const pipe = new PassThrough();
    pipe.end('first pw\nsecond pw\n');
    expect(await promptSecret('SSH password: ', pipe, sink().stream)).to.equal('first pw');
    expect(await promptSecret('BECOME password: ', pipe, sink().stream)).to.equal('second pw');
    expect(await promptSecret('more: ', pipe, sink().stream)).to.equal('');
  });
});
