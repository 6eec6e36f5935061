import { expect } from 'chai';
import { contains, equals, lengthOf, pyStr, toBool, toFloat, toInt, typeName } from '../../../src/expr/values.js';

describe('expr/values', () => {
  it('compares deeply without coercion', () => {
    expect(equals({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).to.equal(true);
    expect(equals({ a: 1 }, { a: 1, b: 2 })).to.equal(false);
    expect(equals(1, '1')).to.equal(false);
    expect(equals(null, undefined)).to.equal(true);
    expect(equals([1, 2], [2, 1])).to.equal(false);
  });

  it('converts like Ansible filters', () => {
    expect(toBool('Yes')).to.equal(true);
    expect(toBool('ON')).to.equal(true);
    expect(toBool(1)).to.equal(true);
    expect(toBool('no')).to.equal(false);
    expect(toBool('random')).to.equal(false);
    expect(toInt(' 42 ')).to.equal(42);
    expect(toInt('-3.9')).to.equal(-3);
    expect(toInt('0x1F')).to.equal(31);
    expect(toInt(true)).to.equal(1);
    expect(toInt('nope', 9)).to.equal(9);
    expect(toFloat('1e3')).to.equal(1000);
    expect(toFloat('')).to.equal(0);
  });

  it('prints values as Python str() does', () => {
    expect(pyStr(true)).to.equal('True');
    expect(pyStr(null)).to.equal('None');
    expect(pyStr(3)).to.equal('3');
    expect(pyStr(['a'])).to.equal("['a']");
  });

  it('measures and searches lists, strings and dicts', () => {
    expect(lengthOf({ a: 1, b: 2 })).to.equal(2);
    expect(lengthOf(5)).to.equal(undefined);
    expect(contains([{ a: 1 }], { a: 1 })).to.equal(true);
    expect(contains('abc', 'bc')).to.equal(true);
    expect(contains('abc', 1)).to.equal(undefined);
    expect(contains({ k: 1 }, 'k')).to.equal(true);
    expect(contains({ k: 1 }, 'toString')).to.equal(false);
    expect(contains(5, 1)).to.equal(undefined);
  });

  it('names types in Python words', () => {
    expect([typeName('a'), typeName(1), typeName(1.5), typeName([]), typeName({}), typeName(null), typeName(undefined)]).to.deep.equal(['str', 'int', 'float', 'list', 'dict', 'none', 'undefined']);
  });
});
