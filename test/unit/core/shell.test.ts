import { expect } from 'chai';
import { shJoin, shQuote } from '../../../src/core/shell.js';

describe('core/shell', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shQuote('/etc/redis/redis.conf')).to.equal('/etc/redis/redis.conf');
    expect(shQuote("it's")).to.equal(`'it'\\''s'`);
    expect(shQuote('')).to.equal(`''`);
    expect(shJoin(['echo', 'a b', '$HOME'])).to.equal(`echo 'a b' '$HOME'`);
  });
});
