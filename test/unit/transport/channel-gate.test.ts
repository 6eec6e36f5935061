// The per-connection channel limit: never more than the limit at once, and a shrunk limit holds.
import { expect } from 'chai';
import { ChannelGate } from '../../../src/transport/channel-gate.js';

describe('ChannelGate', () => {
  it('admits up to the limit and queues the rest in order', async () => {
    const gate = new ChannelGate(2);
    const order: number[] = [];
    await gate.acquire();
    await gate.acquire();
    const third = gate.acquire().then(() => order.push(3));
    const fourth = gate.acquire().then(() => order.push(4));
    await Promise.resolve();
    expect(order).to.deep.equal([]);
    expect(gate.inUse).to.equal(2);
    gate.release();
    await third;
    expect(order).to.deep.equal([3]);
    gate.release();
    await fourth;
    expect(order).to.deep.equal([3, 4]);
  });

  it('after shrinking, a waiter gets in only when usage drops below the new limit', async () => {
    const gate = new ChannelGate(3);
    await gate.acquire();
    await gate.acquire();
    await gate.acquire();
    gate.shrinkTo(1);
    let admitted = false;
    const waiter = gate.acquire().then(() => (admitted = true));
    gate.release();
    gate.release();
    await Promise.resolve();
    expect(admitted).to.equal(false);
    gate.release();
    await waiter;
    expect(admitted).to.equal(true);
    expect(gate.limit).to.equal(1);
  });

  it('never shrinks below one, never grows, and rejects a nonsense limit', () => {
    const gate = new ChannelGate(4);
    gate.shrinkTo(0);
    expect(gate.limit).to.equal(1);
    gate.shrinkTo(10);
    expect(gate.limit).to.equal(1);
    expect(() => new ChannelGate(0)).to.throw(RangeError);
  });
});
