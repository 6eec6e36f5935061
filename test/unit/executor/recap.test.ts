import { expect } from 'chai';
import { exitCodeFor } from '../../../src/executor/recap.js';

const zero = { ok: 0, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 };

describe('executor/recap', () => {
  it('orders exit codes: interrupted, aborted, failed, unreachable', () => {
    const failedAndUnreachable = { a: { ...zero, failed: 1 }, b: { ...zero, unreachable: 1 } };
    expect(exitCodeFor(failedAndUnreachable, { aborted: false, interrupted: false })).to.equal(2);
    expect(exitCodeFor({ b: { ...zero, unreachable: 1 } }, { aborted: false, interrupted: false })).to.equal(4);
    expect(exitCodeFor(failedAndUnreachable, { aborted: true, interrupted: false })).to.equal(8);
    expect(exitCodeFor(failedAndUnreachable, { aborted: true, interrupted: true })).to.equal(130);
    expect(exitCodeFor({ a: { ...zero, ok: 3 } }, { aborted: false, interrupted: false })).to.equal(0);
  });
});
