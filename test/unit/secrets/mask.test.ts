import { expect } from 'chai';
import { shQuote } from '../../../src/core/shell.js';
import { MASK, SecretSet } from '../../../src/secrets/mask.js';
import { secretForms } from '../../../src/secrets/forms.js';
import { createTemplater } from '../../../src/template/index.js';

const PW = `S3cr&t=pa+ss !w@rd%"q"'s'\\$x`;

function set(...values: unknown[]): SecretSet {
  const s = new SecretSet();
  for (const v of values) s.add(v);
  return s;
}

describe('secrets/mask', () => {
  it('masks the raw value', () => {
    expect(set(PW).mask(`requirepass ${PW}\n`)).to.equal(`requirepass ${MASK}\n`);
    expect(MASK).to.equal('********');
  });

  it('masks URL-encoded forms: encodeURIComponent, strict RFC 3986, form (+) and lower-case hex', () => {
    const s = set(PW);
    const strict = createTemplater().render('{{urlencode pw}}', { pw: PW }) as string;
    for (const form of [encodeURIComponent(PW), strict, new URLSearchParams({ a: PW }).toString().slice(2), encodeURIComponent(PW).replace(/%20/g, '+'), strict.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())]) {
      expect(s.mask(`tcp://10.0.0.1:6379?auth=${form}&timeout=2`), form).to.equal(`tcp://10.0.0.1:6379?auth=${MASK}&timeout=2`);
    }
  });

  it('masks the JSON-escaped form, also of other forms', () => {
    const s = set(PW);
    expect(s.mask(JSON.stringify({ msg: `pw is ${PW}` }))).to.equal(`{"msg":"pw is ${MASK}"}`);
    const quotedInJson = JSON.stringify({ cmd: `echo ${shQuote(PW)}` });
    expect(s.mask(quotedInJson)).to.not.contain('S3cr');
    expect(JSON.parse(s.mask(quotedInJson))).to.have.property('cmd');
  });

  it('masks shell single-quoted and double-quoted forms', () => {
    const s = set(PW);
    expect(s.mask(`printf %s ${shQuote(PW)}`)).to.equal(`printf %s '${MASK}'`);
    const dq = PW.replace(/[\\"$`]/g, '\\$&');
    expect(s.mask(`export P="${dq}"`)).to.equal(`export P="${MASK}"`);
  });

  it('masks every occurrence and leaves the rest alone', () => {
    expect(set('hunter2').mask('a hunter2 b hunter2 c')).to.equal(`a ${MASK} b ${MASK} c`);
    expect(set('hunter2').mask('hunter and 2')).to.equal('hunter and 2');
  });

  it('masks longest first, and overlapping secrets as one span', () => {
    const s = set('abc', 'abcdef');
    expect(s.mask('xabcdefx abcx')).to.equal(`x${MASK}x ${MASK}x`);
    const overlap = set('abcd', 'cdef');
    expect(overlap.mask('xxabcdefyy')).to.equal(`xx${MASK}yy`);
  });

  it('adds numbers as text, lists and dicts by their values, and ignores empty values', () => {
    const s = set(123456, ['listed'], { k: 'dicted' }, '', null, undefined, true);
    expect(s.mask('pin 123456 listed dicted k true')).to.equal(`pin ${MASK} ${MASK} ${MASK} k true`);
    expect(set('').has()).to.equal(false);
    expect(set('x').has()).to.equal(true);
  });

  it('returns text unchanged when there is no secret', () => {
    const s = new SecretSet();
    expect(s.has()).to.equal(false);
    expect(s.mask('anything')).to.equal('anything');
    const obj = { a: 1 };
    expect(s.maskDeep(obj)).to.equal(obj);
  });

  it('picks up secrets added after a first mask', () => {
    const s = set('first');
    expect(s.mask('first second')).to.equal(`${MASK} second`);
    s.add('second');
    expect(s.mask('first second')).to.equal(`${MASK} ${MASK}`);
  });

  it('maskDeep masks strings and keys, keeps other values and the input intact', () => {
    const s = set(PW);
    const input = { msg: `x ${PW}`, list: [PW, 3, true, null], nested: { [PW]: 'key' }, n: 1 };
    const out = s.maskDeep(input);
    expect(out).to.deep.equal({ msg: `x ${MASK}`, list: [MASK, 3, true, null], nested: { [MASK]: 'key' }, n: 1 });
    expect(input.msg).to.equal(`x ${PW}`);
  });

  it('escapes regular-expression characters in secrets', () => {
    expect(set('a.c').mask('abc a.c')).to.equal(`abc ${MASK}`);
    expect(set('(x|y)*').mask('x (x|y)*')).to.equal(`x ${MASK}`);
  });

  it('lists distinct, non-empty forms', () => {
    const forms = secretForms('a b');
    expect(forms).to.include.members(['a b', 'a%20b', 'a+b']);
    expect(new Set(forms).size).to.equal(forms.length);
    expect(secretForms('plain')).to.deep.equal(['plain', 'PLAIN', 'cGxhaW4=', 'cGxhaW4', 'UExBSU4=', 'UExBSU4']);
  });
});
