// Host output reaches a terminal as text: escape sequences are shown (\x1b...), never obeyed; --json keeps them raw.
import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { createHumanPrinter } from '../../../src/output/human.js';
import { inert } from '../../../src/output/inert.js';
import { createJsonPrinter } from '../../../src/output/json.js';
import { SecretSet } from '../../../src/secrets/mask.js';
import { Capture } from './capture.js';

const NASTY = 'red:\x1b[31mX\x1b[0m title:\x1b]0;pwned\x07 cr:\rgone bidi:\u202eabc nul:\x00 c1:\x9b2J';

const event: RunEvent = {
  type: 'host_result', task: 't', handler: false, host: 'web1', status: 'failed', durationMs: 1, rc: 1,
  msg: `failed: ${NASTY}`, stdout: `line1\n${NASTY}\n`, stderr: NASTY, item: 'i\x1b[2J', changes: [`c ${NASTY}`],
};

describe('output/inert', () => {
  it('shows control characters as \\xHH / \\uHHHH and keeps newlines and tabs', () => {
    expect(inert(NASTY)).to.equal('red:\\x1b[31mX\\x1b[0m title:\\x1b]0;pwned\\x07 cr:\\x0dgone bidi:\\u202eabc nul:\\x00 c1:\\x9b2J');
    expect(inert('a\tb\nc')).to.equal('a\tb\nc');
  });

  it('the human printer writes no raw control character from a host', () => {
    const out = new Capture();
    createHumanPrinter({ out, color: false, verbose: 2, diff: true, check: true, secrets: new SecretSet() })(event);
    expect(out.text).to.include('\\x1b[31mX');
    expect(out.text).to.include('\\x1b]0;pwned\\x07');
    expect(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/.test(out.text), JSON.stringify(out.text)).to.equal(false);
  });

  it('--json keeps the host output raw', () => {
    const out = new Capture();
    createJsonPrinter({ out, secrets: new SecretSet() })(event);
    const back = JSON.parse(out.text) as { stderr: string; msg: string };
    expect(back.stderr).to.equal(NASTY);
    expect(back.msg).to.equal(`failed: ${NASTY}`);
  });
});
