// Word splitting as Python's shlex does it, and Ansible's free-form option lifting.
import { expect } from 'chai';
import { extractKeyValues, shlexSplit } from '../../../../src/modules/lib/shlex.js';

describe('modules/lib/shlex', () => {
  it('splits like Python shlex.split', () => {
    expect(shlexSplit(`ls -l 'a b' "c \\"d\\" \\$e" f\\ g`)).to.deep.equal(['ls', '-l', 'a b', 'c "d" \\$e', 'f g']);
    expect(shlexSplit(`echo a''b ""`)).to.deep.equal(['echo', 'ab', '']);
    expect(() => shlexSplit(`echo 'open`)).to.throw(/closing/);
  });

  it('lifts creates= and chdir= out of free-form text, anywhere, keeping the rest verbatim', () => {
    expect(extractKeyValues(`creates=/etc/x chdir=/tmp ls -l "a  b"`, ['creates', 'chdir'])).to.deep.equal({
      rest: `ls -l "a  b"`,
      options: { creates: '/etc/x', chdir: '/tmp' },
    });
    expect(extractKeyValues(`make install chdir="/opt/my app"`, ['chdir'])).to.deep.equal({ rest: 'make install', options: { chdir: '/opt/my app' } });
    expect(extractKeyValues(`echo 'creates=x' other=1`, ['creates'])).to.deep.equal({ rest: `echo 'creates=x' other=1`, options: {} });
  });
});
