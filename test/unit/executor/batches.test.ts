import { expect } from 'chai';
import { serialBatches } from '../../../src/executor/batches.js';

const loc = { file: 'p.yml', line: 3, col: 5 };
const hosts = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];

describe('executor/batches', () => {
  it('splits by number, percentage and lists whose last size repeats', () => {
    expect(serialBatches(hosts, [], loc)).to.deep.equal([hosts]);
    expect(serialBatches(hosts, [4], loc).map((b) => b.length)).to.deep.equal([4, 4, 2]);
    expect(serialBatches(hosts, ['30%'], loc).map((b) => b.length)).to.deep.equal([3, 3, 3, 1]);
    expect(serialBatches(hosts, [1, 5, '25%'], loc).map((b) => b.length)).to.deep.equal([1, 5, 2, 2]);
    expect(serialBatches(['a'], ['10%'], loc)).to.deep.equal([['a']]);
    // Ansible's serial: 0 is no batching; in a list, 0 puts every host left in the last batch.
    expect(serialBatches(hosts, [0], loc)).to.deep.equal([hosts]);
    expect(serialBatches(hosts, [1, 3, 0], loc).map((b) => b.length)).to.deep.equal([1, 3, 6]);
  });
  it('rejects a serial value that is neither a number nor a percentage, naming where', () => {
    expect(() => serialBatches(hosts, ['lots'], loc)).to.throw(/serial: 'lots'/);
  });
});
