import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { expandHostRange } from '../../../src/inventory/ranges.js';

const loc = { file: 'h', line: 1, col: 1 };

describe('inventory/ranges', () => {
  it('expands zero-padded numeric ranges', () => {
    expect(expandHostRange('web[01:12].example.com', loc)).to.have.length(12);
    expect(expandHostRange('web[08:10].x', loc)).to.deep.equal(['web08.x', 'web09.x', 'web10.x']);
  });

  it('expands unpadded numbers, letters, steps and several ranges', () => {
    expect(expandHostRange('10.0.0.[1:3]', loc)).to.deep.equal(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(expandHostRange('db-[a:c]', loc)).to.deep.equal(['db-a', 'db-b', 'db-c']);
    expect(expandHostRange('n[0:6:3]', loc)).to.deep.equal(['n0', 'n3', 'n6']);
    expect(expandHostRange('r[1:2]-[a:b]', loc)).to.deep.equal(['r1-a', 'r1-b', 'r2-a', 'r2-b']);
    expect(expandHostRange('plain', loc)).to.deep.equal(['plain']);
  });

  it('refuses backwards and mixed ranges', () => {
    expect(() => expandHostRange('w[5:1]', loc)).to.throw(InputError, 'after end');
    expect(() => expandHostRange('w[1:c]', loc)).to.throw(InputError);
    expect(() => expandHostRange('w[aa:c]', loc)).to.throw(InputError, 'single letters');
  });
});
