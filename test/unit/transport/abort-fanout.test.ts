// One listener on the run's signal serves every command in flight, and a finished command stops waiting.
import { expect } from 'chai';
import { getEventListeners } from 'node:events';
import { onAbort } from '../../../src/transport/abort-fanout.js';

describe('transport/abort-fanout', () => {
  it('registers one listener however many wait, calls each waiter once, skips those that stopped', () => {
    const controller = new AbortController();
    const called: number[] = [];
    const stops = [1, 2, 3].map((i) => onAbort(controller.signal, () => called.push(i)));
    expect(getEventListeners(controller.signal, 'abort')).to.have.length(1);
    stops[1]!();
    controller.abort();
    expect(called).to.deep.equal([1, 3]);
    controller.abort();
    expect(called).to.deep.equal([1, 3]);
  });
});
