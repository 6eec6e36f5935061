import { expect } from 'chai';
import { didYouMean, editDistance, suggest } from '../../../src/core/suggest.js';

describe('core/suggest', () => {
  it('counts a transposition as one edit', () => {
    expect(editDistance('regsiter', 'register')).to.equal(1);
    expect(editDistance('copy', 'copyy')).to.equal(1);
    expect(editDistance('', 'abc')).to.equal(3);
  });

  it('suggests the closest candidate within a third of the length', () => {
    expect(suggest('regsiter', ['name', 'register', 'retries'])).to.equal('register');
    expect(suggest('lineinfle', ['lineinfile', 'ini_file'])).to.equal('lineinfile');
    expect(suggest('Copy', ['copy'])).to.equal('copy');
  });

  it('suggests nothing when nothing is close', () => {
    expect(suggest('frobnicate', ['copy', 'file'])).to.equal(undefined);
    expect(suggest('ab', ['xy'])).to.equal(undefined);
    expect(didYouMean('whem', ['when'])).to.equal("did you mean 'when'?");
  });
});

describe('core/suggest prefixes', () => {
  it('suggests a word cut short or run long', () => {
    expect(suggest('child', ['vars', 'children'])).to.equal('children');
    expect(suggest('integer', ['str', 'int'])).to.equal('int');
    expect(suggest('ch', ['children'])).to.equal(undefined);
  });
});
