// Output collection: bytes kept whole, streamed text decoded across chunk boundaries, abort reasons.
import { expect } from 'chai';
import { InterruptedError, TaskFailure } from '../../../src/core/errors.js';
import { abortError, OutputCollector } from '../../../src/transport/output.js';

describe('OutputCollector', () => {
  it('reassembles a multi-byte character split across chunks, in the result and the stream', () => {
    const streamed: string[] = [];
    const out = new OutputCollector((chunk, stream) => streamed.push(`${stream}:${chunk}`));
    const euro = Buffer.from('€', 'utf8');
    out.push('stdout', Buffer.concat([Buffer.from('a'), euro.subarray(0, 1)]));
    out.push('stdout', euro.subarray(1));
    out.push('stderr', 'warn');
    const result = out.result(0);
    expect(result).to.deep.equal({ stdout: 'a€', stderr: 'warn', code: 0 });
    expect(streamed).to.deep.equal(['stdout:a', 'stdout:€', 'stderr:warn']);
  });
});

describe('abortError', () => {
  it('uses the reason the caller gave, else an InterruptedError naming the host', () => {
    const given = new TaskFailure('stop');
    const a = new AbortController();
    a.abort(given);
    expect(abortError(a.signal, 'web1')).to.equal(given);
    const b = new AbortController();
    b.abort();
    const err = abortError(b.signal, 'web1');
    expect(err).to.be.instanceOf(InterruptedError);
    expect(err.message).to.include('web1');
  });
});
