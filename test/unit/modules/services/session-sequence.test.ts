// The pure judgement of session_check: page parsing, each visit's verdict, the stored session.
import { expect } from 'chai';
import { describeSequence, judgeStoredSession, judgeVisit, parseCounterPage, type Visit } from '../../../../src/modules/services/session-sequence.js';

const visit = (over: Partial<Visit>): Visit => ({ host: 'web1', status: 200, body: 'count=1\nhandler=redis\n', setCookies: {}, ...over });

describe('session_check sequence logic', () => {
  it('reads the role page and a bare number page', () => {
    expect(parseCounterPage('count=12\nhandler=redis\n')).to.deep.equal({ count: 12, handler: 'redis' });
    expect(parseCounterPage(' 7\n')).to.deep.equal({ count: 7, handler: undefined });
    expect(parseCounterPage('<h1>Welcome</h1>').count).to.equal(undefined);
  });

  it('takes the session id from the first answer', () => {
    expect(judgeVisit(visit({ setCookies: { PHPSESSID: 'abc' } }), 1, undefined, 'PHPSESSID', '/test.php')).to.deep.equal({ ok: true, count: 1, sessionId: 'abc' });
    expect(judgeVisit(visit({}), 1, undefined, 'PHPSESSID', '/test.php')).to.deep.equal({ ok: false, failed: 'web1 set no PHPSESSID cookie: does /test.php call session_start()?' });
  });

  it('explains a count that fell back to 1 and one that jumped', () => {
    const reset = judgeVisit(visit({ host: 'web2', body: 'count=1\nhandler=files\n' }), 3, 'abc', 'PHPSESSID', '/test.php');
    expect(reset).to.deep.equal({
      ok: false,
      failed: 'web2 returned count 1 (expected 3): its session did not come from Redis — check session.save_path and the password (web2 reports session.save_handler = files)',
    });
    const jump = judgeVisit(visit({ body: 'count=9' }), 3, 'abc', 'PHPSESSID', '/test.php');
    expect(jump).to.deep.equal({ ok: false, failed: 'web1 returned count 9 (expected 3)' });
    expect(judgeVisit(visit({ body: 'count=3' }), 3, 'abc', 'PHPSESSID', '/test.php')).to.deep.equal({ ok: true, count: 3, sessionId: 'abc' });
  });

  it('treats a 200 without a count, and an error status, as failures', () => {
    expect(judgeVisit(visit({ body: 'It works!' }), 1, undefined, 'PHPSESSID', '/test.php')).to.deep.include({ ok: false, failed: "web1's /test.php printed no count (is PHP running it?): It works!" });
    expect(judgeVisit(visit({ status: 500, body: '' }), 1, undefined, 'PHPSESSID', '/test.php')).to.deep.include({ ok: false, failed: 'web1 answered HTTP 500 for /test.php' });
  });

  it('checks the stored session holds one more than the last count', () => {
    expect(judgeStoredSession('K', 'count|i:5;', 4, 'redis1')).to.equal(undefined);
    expect(judgeStoredSession('K', 'count|i:4;', 4, 'redis1')).to.equal("K on redis1 holds 'count|i:4;', expected it to contain 'count|i:5;'");
    expect(judgeStoredSession('K', null, 4, 'redis1')).to.match(/^Redis on redis1 has no key K/);
    expect(describeSequence([{ host: 'a', count: 1 }, { host: 'b', count: 2 }])).to.equal('a=1 b=2');
  });
});
