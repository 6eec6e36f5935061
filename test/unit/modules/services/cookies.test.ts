// Cookie jar parsing and the Cookie header a client sends back.
import { expect } from 'chai';
import { cookieHeader, parseSetCookie } from '../../../../src/modules/services/cookies.js';

describe('cookies', () => {
  it('keeps name=value and drops attributes; a later cookie of the same name wins', () => {
    expect(parseSetCookie(['PHPSESSID=abc; path=/; HttpOnly', 'a=1', 'bad', 'a=2; Secure'])).to.deep.equal({ PHPSESSID: 'abc', a: '2' });
    expect(parseSetCookie('x=y=z; Path=/')).to.deep.equal({ x: 'y=z' });
    expect(parseSetCookie(undefined)).to.deep.equal({});
  });

  it('joins a jar into one header', () => {
    expect(cookieHeader({ a: '1', b: '2' })).to.equal('a=1; b=2');
    expect(cookieHeader({})).to.equal('');
  });
});
