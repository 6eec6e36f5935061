// Template sources are UTF-8: another encoding is refused with where the first bad byte is, not mangled.
import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import { firstNonUtf8Byte, templateSourceText } from '../../../src/template/source-text.js';

describe('template/source-text', () => {
  it('reads UTF-8 text as it is, multi-byte characters included', () => {
    expect(templateSourceText(Buffer.from('café ☕ 🚀\n{{ x }}\n'), 'a.hbs')).to.equal('café ☕ 🚀\n{{ x }}\n');
  });

  it('refuses Latin-1 text, naming file, line, column and byte offset', () => {
    const bytes = Buffer.concat([Buffer.from('port = 80\nname = caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    let err: unknown;
    try {
      templateSourceText(bytes, 'templates/menu.conf.hbs');
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(InputError);
    const e = err as InputError;
    expect(e.message).to.equal('template is not UTF-8: the byte 0xe9 at byte offset 20 does not begin a valid UTF-8 character');
    expect(e.loc).to.deep.equal({ file: 'templates/menu.conf.hbs', line: 2, col: 11 });
    expect(e.hint).to.include('copy');
  });

  it('finds the first bad sequence: stray continuation, overlong, surrogate, cut at the end', () => {
    expect(firstNonUtf8Byte(Buffer.from('ok'))).to.equal(-1);
    expect(firstNonUtf8Byte(Buffer.from([0x61, 0x80]))).to.equal(1);
    expect(firstNonUtf8Byte(Buffer.from([0x61, 0xc0, 0x80]))).to.equal(1);
    expect(firstNonUtf8Byte(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).to.equal(2);
    expect(firstNonUtf8Byte(Buffer.from([0x61, 0xe2, 0x98]))).to.equal(1);
  });
});
