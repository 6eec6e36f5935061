// MD5-crypt against glibc's crypt(3) (Python 3.11's crypt.crypt gave these vectors), and the
// SHA-crypt forms vars_prompt's encrypt shares with password_hash.
import { expect } from 'chai';
import { md5Crypt } from '../../../src/expr/md5-crypt.js';
import { encryptAnswer } from '../../../src/playbook/prompt-encrypt.js';

describe('md5Crypt ($1$)', () => {
  const vectors: [string, string, string][] = [
    ['secret', 'foo', '$1$foo$ygQElgzdVoe51UiGBN5TV/'],
    ['secret', '', '$1$$ysVNzQc4CTMkp5daOdZ.3/'],
    ['secret', 'saltsalt', '$1$saltsalt$9xy1btjgzLYfb7hivXtC//'],
    ['', 'foo', '$1$foo$9mS5ExwgIECGE5YKlD5o91'],
    ['a', './AZaz09', '$1$./AZaz09$f57sYb4Xabb9yUskr8Fci/'],
    ['0123456789abcdef0123456789abcdefX', 'saltsalt', '$1$saltsalt$Gjnnf57/M93nkC4X1OV6/.'],
    ['pässwörd', 'foo', '$1$foo$t7VoTw.YGt9DmCWFx5/Mh/'],
    ['changeme', 'foo', '$1$foo$3pdhS314N9fUNs2GwxdlO.'],
  ];
  for (const [password, salt, want] of vectors) {
    it(`${JSON.stringify(password)} with salt ${JSON.stringify(salt)}`, () => expect(md5Crypt(password, salt)).to.equal(want));
  }

  it('cuts the salt at 8 characters, as crypt(3) does', () => {
    expect(md5Crypt('changeme', 'toolongsalt')).to.equal('$1$toolongs$ceP3EIqAZh67AwLuLeJLS.');
  });
});

describe("vars_prompt's encrypt", () => {
  it('gives the crypt(3) hash for a given salt, for each algorithm', () => {
    expect(encryptAnswer('changeme', { algorithm: 'md5_crypt', salt: 'foo' })).to.equal('$1$foo$3pdhS314N9fUNs2GwxdlO.');
    expect(encryptAnswer('changeme', { algorithm: 'sha512_crypt', salt: 'foo' })).to.equal(
      '$6$foo$LuysupV6BgKTn0RMa3mw/udnCBzCRQibWAbhkMcYKdNq7fcaG4.3JdTXJjTUqeF8cXv2niL1IeLa1sADKyXGv0',
    );
    expect(encryptAnswer('changeme', { algorithm: 'sha256_crypt', salt: 'saltsalt' })).to.equal('$5$saltsalt$74dVsEHLiRaw5YYUF8vRkSTueSLOrG.gounlctdxFrD');
  });

  it('without a salt: a random one of salt_size, or the algorithm\'s own size', () => {
    const a = encryptAnswer('x', { algorithm: 'md5_crypt', saltSize: 5 });
    expect(a).to.match(/^\$1\$[./0-9A-Za-z]{5}\$[./0-9A-Za-z]{22}$/);
    expect(encryptAnswer('x', { algorithm: 'md5_crypt' })).to.match(/^\$1\$[./0-9A-Za-z]{8}\$/);
    expect(encryptAnswer('x', { algorithm: 'sha512_crypt' })).to.match(/^\$6\$[./0-9A-Za-z]{16}\$/);
    expect(encryptAnswer('x', { algorithm: 'md5_crypt', saltSize: 5 })).to.not.equal(a);
  });
});
