// --diff never shows the text of a file that will hold or held a secret, or that only its owner may read.
import { expect } from 'chai';
import { guardDiff } from '../../../src/executor/diff-privacy.js';
import { fileDiff } from '../../../src/modules/lib/diff.js';
import { SecretSet } from '../../../src/secrets/mask.js';

const secrets = new SecretSet();
secrets.add('tok-NEW-7c1e');
secrets.add('tok-PREV-22ab');

describe('diff privacy', () => {
  it('shows an ordinary file', () => {
    const d = fileDiff('/etc/motd', Buffer.from('old\n'), Buffer.from('new\n'), undefined, [0o644, '0644']);
    expect(guardDiff(d, secrets)).to.deep.equal({ path: '/etc/motd', before: 'old\n', after: 'new\n' });
  });

  it('hides both sides when the new text holds a secret: the old one is the rotated secret', () => {
    const d = guardDiff(fileDiff('/etc/app/token', Buffer.from('rotated-away-old\n'), Buffer.from('tok-NEW-7c1e\n')), secrets);
    expect(d).to.deep.equal({ path: '/etc/app/token', before: '', after: '', hidden: 'the file will hold a secret' });
  });

  it('hides a file that held a secret, and any secret form (upper case, base64)', () => {
    expect(guardDiff(fileDiff('/a', Buffer.from('TOK-PREV-22AB'), Buffer.from('x')), secrets).hidden).to.equal('the file held a secret');
    expect(guardDiff(fileDiff('/b', null, Buffer.from(Buffer.from('tok-NEW-7c1e').toString('base64'))), secrets).hidden).to.equal('the file will hold a secret');
  });

  it('hides a file only its owner may read, before or after, whatever it holds', () => {
    for (const modes of [[0o600, undefined], [undefined, '0400'], [0o644, '0600'], [0o700, '0755']]) {
      const d = guardDiff(fileDiff('/root/id_key', Buffer.from('OLD KEY'), Buffer.from('NEW KEY'), undefined, modes), secrets);
      expect(d, JSON.stringify(modes)).to.deep.equal({ path: '/root/id_key', before: '', after: '', private: true, hidden: 'only its owner may read the file' });
    }
    expect(guardDiff(fileDiff('/etc/ssl/k', Buffer.from('a'), Buffer.from('b'), undefined, [0o640, '0640']), secrets).hidden).to.equal(undefined);
  });
});
