// Mode parsing and resolution, compared against what chmod would do.
import { expect } from 'chai';
import { chmodArg, formatMode, parseMode, resolveMode } from '../../../../src/modules/lib/mode.js';
import { ArgReader } from '../../../../src/modules/lib/args.js';
import { readMode } from '../../../../src/modules/lib/mode.js';
import { loc } from './local.js';

describe('modules/lib/mode', () => {
  it('octal forms compare equal', () => {
    for (const text of ['0644', '644', '0o644', '00644']) expect(resolveMode(parseMode(text)!, 0o600, false)).to.equal(0o644);
    expect(parseMode('4755')).to.deep.include({ bits: 0o4755 });
    expect(parseMode('0888')).to.equal(undefined);
  });

  it('symbolic modes resolve against the current mode like chmod', () => {
    const r = (text: string, cur: number | undefined, dir = false) => resolveMode(parseMode(text)!, cur, dir);
    expect(r('u=rw,g=r,o=r', undefined)).to.equal(0o644);
    expect(r('u=rwx,go=', 0o4777)).to.equal(0o700);
    expect(r('go-w', 0o666)).to.equal(0o644);
    expect(r('a+x', 0o644)).to.equal(0o755);
    expect(r('u+x', undefined)).to.equal(undefined);
    expect(r('a=rX', 0o600)).to.equal(0o444);
    expect(r('a=rX', 0o700)).to.equal(0o555);
    expect(r('a=rX', 0o600, true)).to.equal(0o555);
    expect(r('u+s,o+t', 0o755)).to.equal(0o5755);
    expect(r('+x', 0o644)).to.equal(0o755);
  });

  it('chmod arguments and display', () => {
    expect(chmodArg(parseMode('755')!, 0o755)).to.equal('00755');
    expect(chmodArg(parseMode('u+x')!, undefined)).to.equal('u+x');
    expect(formatMode(0o600)).to.equal('0600');
  });

  it('refuses numbers and nonsense with a hint', () => {
    expect(() => readMode(new ArgReader('file', { mode: 644 }, loc))).to.throw(/ambiguous/);
    expect(() => readMode(new ArgReader('file', { mode: 'rwxr-xr-x' }, loc))).to.throw(/not a file mode/);
    expect(readMode(new ArgReader('file', {}, loc))).to.equal(undefined);
  });
});
