// become_method su, the controller side: prompt detection (localized), the markers around the task's
// output, wrong or missing passwords, and the password kept out of every message. The pty itself is
// tested for real in test/integration/transport/su.test.ts.
import { expect } from 'chai';
import { BecomeFailure } from '../../../src/transport/become.js';
import { isSuPrompt, newMarkers, SU_PROMPTS, suScript, SuReader, type SuAction } from '../../../src/transport/su.js';
import type { BecomeOptions } from '../../../src/transport/types.js';

const PASSWORD = 'r00t&pw=+!';

describe('su: password prompt detection', () => {
  it("knows su's prompt in English and in the languages Ansible lists, with either colon", () => {
    for (const p of ['Password: ', 'Password:', 'password: ', "root's Password: ", 'Passwort: ', 'Mot de passe : ', 'Contraseña: ', 'Пароль: ', '密码：', 'パスワード:', '암호: ']) {
      expect(isSuPrompt(p), p).to.equal(true);
    }
    expect(SU_PROMPTS).to.include('Salasana');
  });

  it('looks only at the line the cursor is on, after earlier output', () => {
    expect(isSuPrompt('Last login: today\r\nPassword: ')).to.equal(true);
    expect(isSuPrompt('Password: \r\n')).to.equal(false);
    expect(isSuPrompt('Password changed.')).to.equal(false);
    expect(isSuPrompt('Your password: has expired, call the admin')).to.equal(false);
    expect(isSuPrompt('')).to.equal(false);
  });

  it('uses the words given (ansible_su_prompt_l10n) instead of the built-in list', () => {
    expect(isSuPrompt('Wagwoord: ', ['Wagwoord'])).to.equal(true);
    expect(isSuPrompt('Password: ', ['Wagwoord'])).to.equal(false);
  });
});

describe('su: the command line', () => {
  it('names the user after the flags, holds no password and neither marker whole', () => {
    const markers = newMarkers();
    const become: BecomeOptions = { method: 'su', user: 'postgres', password: PASSWORD, flags: '-l' };
    const cmd = suScript("echo 'hi'", 12, become, markers);
    expect(cmd.startsWith("exec su -l postgres -c '/bin/sh -c ")).to.equal(true);
    expect(cmd).to.include('head -c 12 | /bin/sh -c');
    expect(cmd.includes(PASSWORD)).to.equal(false);
    expect(cmd.includes(markers.begin)).to.equal(false);
    expect(cmd.includes(markers.end)).to.equal(false);
    expect(suScript('true', 0, { method: 'su' }, markers)).to.match(/^exec su root -c /).and.to.include('</dev/null');
  });
});

describe('su: reading the pty', () => {
  const party = (become: BecomeOptions = { method: 'su', password: PASSWORD }) => ({ host: 'web1', loginUser: 'deploy', become });
  const feed = (reader: SuReader, text: string | Buffer): SuAction => reader.push(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'));

  it('types the password once at the prompt, then returns stdout, stderr and the status as if there were no pty', () => {
    const m = newMarkers();
    const streamed: string[] = [];
    const reader = new SuReader(party(), m, (c) => streamed.push(c.toString()));
    expect(feed(reader, 'Pass')).to.deep.equal({ kind: 'none' });
    const action = feed(reader, 'word: ');
    expect(action).to.deep.equal({ kind: 'send', data: Buffer.from(`${PASSWORD}\n`) });
    expect(reader.started).to.equal(false);
    feed(reader, `\r\n${m.begin}line one\nline\r\ntwo`);
    expect(reader.started).to.equal(true);
    feed(reader, `\n${m.end} 3 5\noops\n`);
    expect(reader.finish(3)).to.deep.equal({ stdout: 'line one\nline\r\ntwo\n', stderr: 'oops\n', code: 3 });
    expect(streamed.join('')).to.equal('line one\nline\r\ntwo\n');
  });

  it('finds the markers split anywhere across chunks, and keeps look-alikes that are not them', () => {
    const m = newMarkers();
    const reader = new SuReader(party({ method: 'su' }), m);
    const stream = `${m.begin}RBSU-not-it ${m.end.slice(0, 10)}x\n${m.end} 0 0\n`;
    for (const byte of Buffer.from(stream)) feed(reader, Buffer.from([byte]));
    expect(reader.finish(0)).to.deep.equal({ stdout: `RBSU-not-it ${m.end.slice(0, 10)}x\n`, stderr: '', code: 0 });
  });

  it('from root su asks nothing: no password is ever sent', () => {
    const m = newMarkers();
    const reader = new SuReader(party(), m);
    expect(feed(reader, `${m.begin}root\n${m.end} 0 0\n`)).to.deep.equal({ kind: 'none' });
    expect(reader.finish(0).stdout).to.equal('root\n');
  });

  it("a wrong password: su's Authentication failure becomes 'incorrect su password' naming host and users", () => {
    const m = newMarkers();
    const reader = new SuReader(party(), m);
    feed(reader, 'Password: ');
    feed(reader, '\r\nsu: Authentication failure\r\n');
    let err: unknown;
    try {
      reader.finish(1);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(BecomeFailure);
    const f = err as BecomeFailure;
    expect(f.message).to.equal('su from deploy to root on web1 failed: incorrect su password');
    expect(f.host).to.equal('web1');
    expect(`${f.message} ${f.hint}`).not.to.include(PASSWORD);
  });

  it('a second prompt after the password was typed is a wrong password too (su that asks again)', () => {
    const reader = new SuReader(party(), newMarkers());
    feed(reader, 'Password: ');
    const again = feed(reader, '\r\nSorry, try again.\r\nPassword: ');
    expect(again.kind).to.equal('fail');
    expect((again as { error: Error }).error.message).to.include('incorrect su password');
  });

  it('no password where su asks for one: fails at once with what to set', () => {
    const reader = new SuReader(party({ method: 'su', user: 'postgres' }), newMarkers());
    const action = feed(reader, 'Password: ');
    expect(action.kind).to.equal('fail');
    const err = (action as { error: BecomeFailure }).error;
    expect(err.message).to.equal("su from deploy to postgres on web1 failed: su asks for postgres's password and none was given");
    expect(err.hint).to.include('ansible_become_password');
  });

  it('any other refusal quotes su, with the password masked even if a broken terminal echoed it', () => {
    const reader = new SuReader(party(), newMarkers());
    feed(reader, 'Password: ');
    feed(reader, `${PASSWORD}\r\nThis account is currently not available.\r\n`);
    let err: unknown;
    try {
      reader.finish(1);
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.equal('su from deploy to root on web1 failed (exit 1): ******** / This account is currently not available.');
  });

  it('an unknown user is named, for check mode to explain', () => {
    const reader = new SuReader(party({ method: 'su', user: 'app' }), newMarkers());
    feed(reader, 'su: user app does not exist or the user entry does not contain all the required fields\r\n');
    let err: unknown;
    try {
      reader.finish(1);
    } catch (e) {
      err = e;
    }
    expect((err as BecomeFailure).missingUser).to.equal('app');
  });

  it('a localized prompt in a chunk split inside a UTF-8 character is still found', () => {
    const reader = new SuReader(party(), newMarkers());
    const prompt = Buffer.from('Пароль: ', 'utf8');
    expect(feed(reader, prompt.subarray(0, 3)).kind).to.equal('none');
    expect(feed(reader, prompt.subarray(3)).kind).to.equal('send');
  });

  it('a timeout message quotes what su said, masked', () => {
    const reader = new SuReader(party(), newMarkers());
    feed(reader, 'Enter the magic word> ');
    const err = reader.failure('timeout', reader.authOutput);
    expect(err.message).to.equal('su from deploy to root on web1 failed: no password prompt that runbook knows came from su (su said: Enter the magic word>)');
    expect(err.hint).to.include('ansible_su_prompt_l10n');
  });
});
