import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import type { Vars } from '../../../src/core/types.js';
import { compileExpr, evaluate, truthy } from '../../../src/expr/index.js';

const loc = { file: 'site.yml', line: 12, col: 7 };

const vars: Vars = {
  port: 6379,
  name: 'web1',
  empty: '',
  nothing: null,
  flag: false,
  xs: [1, 2, 3],
  words: ['a', 'b'],
  dict: { k: 'v', n: { deep: 1 } },
  result: { changed: true, failed: false, rc: 0, stdout: 'created /etc/x\nok', stdout_lines: ['created /etc/x', 'ok'] },
  bad: { failed: true, changed: false, rc: 2 },
  skip: { skipped: true, changed: false },
  bare: {},
  groups: { web: ['web1', 'web2'] },
  hostvars: { web1: { ansible_host: '10.0.0.1' } },
  inventory_hostname: 'web1',
  version: '8.2',
};

function ev(src: string, v: Vars = vars): unknown {
  return evaluate(compileExpr(src, loc), v);
}

function errorOf(src: string, v: Vars = vars): InputError {
  try {
    ev(src, v);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error(`expected an error from ${src}`);
}

describe('expr/evaluate', () => {
  it('compares with Python semantics', () => {
    expect(ev('port == 6379')).to.equal(true);
    expect(ev('port == "6379"')).to.equal(false);
    expect(ev('port | string == "6379"')).to.equal(true);
    expect(ev('name != "web2"')).to.equal(true);
    expect(ev('port > 1000 and port <= 6379')).to.equal(true);
    expect(ev('"abc" < "abd"')).to.equal(true);
    expect(ev('1 < 2 < 3')).to.equal(true);
    expect(ev('1 < 3 < 2')).to.equal(false);
    expect(ev('xs == [1, 2, 3]')).to.equal(true);
    expect(ev('dict == dict')).to.equal(true);
    expect(ev('nothing == none')).to.equal(true);
  });

  it('refuses to order values of different types', () => {
    expect(errorOf('version > 8').message).to.contain('cannot compare str with int');
  });

  it('evaluates in / not in for lists, substrings and dict keys', () => {
    expect(ev('2 in xs')).to.equal(true);
    expect(ev('5 not in xs')).to.equal(true);
    expect(ev("'created' in result.stdout")).to.equal(true);
    expect(ev("'k' in dict")).to.equal(true);
    expect(ev("'z' in dict")).to.equal(false);
    expect(ev('inventory_hostname in groups["web"]')).to.equal(true);
    expect(ev('result.rc not in [1, 2]')).to.equal(true);
    expect(errorOf('1 in port').message).to.contain("'in' needs a list, string or dict");
  });

  it('returns operands from and / or as Python does, and short-circuits', () => {
    expect(ev('empty or "fallback"')).to.equal('fallback');
    expect(ev('name and port')).to.equal(6379);
    expect(ev('flag and undefined_thing')).to.equal(false);
    expect(ev('port or undefined_thing')).to.equal(6379);
    expect(ev('not empty')).to.equal(true);
  });

  it('reads attributes, indexes, negative indexes and keys without reaching prototypes', () => {
    expect(ev('dict.n.deep')).to.equal(1);
    expect(ev("dict['k']")).to.equal('v');
    expect(ev('xs[0] == 1')).to.equal(true);
    expect(ev('xs[-1]')).to.equal(3);
    expect(ev('xs.1')).to.equal(2);
    expect(ev('hostvars[inventory_hostname].ansible_host')).to.equal('10.0.0.1');
    expect(errorOf('dict.constructor').message).to.contain("undefined variable 'dict.constructor'");
    expect(errorOf('xs.length').message).to.contain('undefined variable');
  });

  it('treats an undefined name as an error naming it, with a did-you-mean', () => {
    const err = errorOf('reslt.rc == 0');
    expect(err.message).to.equal("undefined variable 'reslt' in condition 'reslt.rc == 0'");
    expect(err.hint).to.equal("did you mean 'result'?");
    expect(err.loc).to.deep.equal(loc);
    expect(err.describe()).to.match(/^site\.yml:12:7: undefined variable 'reslt'/);
  });

  it('treats a missing key or an attribute of none as an error naming the path', () => {
    const err = errorOf('result.stdot == ""');
    expect(err.message).to.contain("undefined variable 'result.stdot' ('result' has no key \"stdot\")");
    expect(err.hint).to.equal("did you mean 'stdout'?");
    expect(errorOf('nothing.x').message).to.contain("'nothing' is none");
    expect(errorOf('xs[7]').message).to.contain('out of range');
  });

  it('lets is defined / is undefined and default look at undefined names', () => {
    expect(ev('nope is defined')).to.equal(false);
    expect(ev('nope is undefined')).to.equal(true);
    expect(ev('nope is not defined')).to.equal(true);
    expect(ev('result.stdout is defined')).to.equal(true);
    expect(ev('result.nope.deeper is defined')).to.equal(false);
    expect(ev('nothing.x is defined')).to.equal(false);
    expect(ev('port is defined')).to.equal(true);
    expect(ev('nope | default(5)')).to.equal(5);
    expect(ev('nope.deep | default("x")')).to.equal('x');
    expect(ev('nope | d(1) == 1')).to.equal(true);
    expect(ev('empty | default("e")')).to.equal('');
    expect(ev('empty | default("e", true)')).to.equal('e');
    // Jinja2's default replaces undefined only; a null (None) stays unless boolean is true.
    expect(ev('nothing | default("n")')).to.equal(null);
    expect(ev('nothing | default("n", true)')).to.equal('n');
    // Tolerance does not leak into other filters: a typo under `lower` is still caught.
    expect(errorOf('nope | lower | default("x")').message).to.contain("undefined variable 'nope'");
  });

  it('reads registered results with changed / failed / succeeded / skipped', () => {
    expect(ev('result is changed')).to.equal(true);
    expect(ev('result is failed')).to.equal(false);
    expect(ev('result is succeeded')).to.equal(true);
    expect(ev('result is success')).to.equal(true);
    expect(ev('bad is failed')).to.equal(true);
    expect(ev('bad is not succeeded')).to.equal(true);
    expect(ev('skip is skipped')).to.equal(true);
    expect(ev('result is skipped')).to.equal(false);
    expect(ev('bare is changed')).to.equal(false);
    expect(ev('bare is failed')).to.equal(false);
    expect(errorOf('port is changed').message).to.contain("'is changed' expects a registered result");
    expect(errorOf('missing is changed').message).to.contain("undefined variable 'missing'");
  });

  it('supports the value tests', () => {
    expect(ev('nothing is none')).to.equal(true);
    expect(ev('flag is false')).to.equal(true);
    expect(ev('0 is false')).to.equal(false);
    expect(ev('xs is truthy')).to.equal(true);
    expect(ev('empty is falsy')).to.equal(true);
    expect(ev('name is string')).to.equal(true);
    expect(ev('port is number')).to.equal(true);
    expect(ev('dict is mapping')).to.equal(true);
    expect(ev('xs is sequence')).to.equal(true);
  });

  it('applies every filter', () => {
    expect(ev('xs | length')).to.equal(3);
    expect(ev('dict | count')).to.equal(2);
    expect(ev('"12" | int')).to.equal(12);
    expect(ev('"3.7" | int')).to.equal(3);
    expect(ev('"x" | int')).to.equal(0);
    expect(ev('"x" | int(7)')).to.equal(7);
    expect(ev('"2.5" | float')).to.equal(2.5);
    expect(ev('"yes" | bool')).to.equal(true);
    expect(ev('"off" | bool')).to.equal(false);
    expect(ev('flag | string')).to.equal('False');
    expect(ev('nothing | string')).to.equal('None');
    expect(ev('"AbC" | lower')).to.equal('abc');
    expect(ev('"AbC" | upper')).to.equal('ABC');
    expect(ev('"  x \\n" | trim')).to.equal('x');
    expect(ev('xs | first')).to.equal(1);
    expect(ev('xs | last')).to.equal(3);
    expect(ev('name | first')).to.equal('w');
    expect(ev('words | join')).to.equal('ab');
    expect(ev('xs | join(", ")')).to.equal('1, 2, 3');
    expect(ev('"ab" | list')).to.deep.equal(['a', 'b']);
    expect(ev('-port')).to.equal(-6379);
  });

  it('names the filter and the type when a filter gets the wrong input', () => {
    expect(errorOf('port | length').message).to.contain("filter 'length' expects a list, string or dict, got int");
    expect(errorOf('xs | lower').message).to.contain("filter 'lower' expects a string, got list");
  });

  it('strips {{ }} around a whole condition', () => {
    expect(ev('{{ port == 6379 }}')).to.equal(true);
    expect(compileExpr('  {{x}}  ').source).to.equal('x');
  });

  it('turns syntax errors into InputError with the location and the column', () => {
    try {
      compileExpr('result.rc ==', loc);
      expect.fail('no error');
    } catch (err) {
      expect(err).to.be.instanceOf(InputError);
      const e = err as InputError;
      expect(e.loc).to.deep.equal(loc);
      expect(e.message).to.contain('invalid expression at column 13');
      expect(e.message).to.contain('    result.rc ==\n                ^');
    }
    expect(() => compileExpr('   ')).to.throw(InputError, 'empty condition');
  });

  it('caches the parse by source text but keeps each call site location', () => {
    const a = compileExpr('port == 1', { file: 'a.yml', line: 1, col: 1 });
    const b = compileExpr('port == 1', { file: 'b.yml', line: 2, col: 2 });
    expect(a.ast).to.equal(b.ast);
    expect(b.loc?.file).to.equal('b.yml');
  });

  it('accepts non-string conditions from YAML (when: true)', () => {
    expect(evaluate(compileExpr(true as unknown as string), {})).to.equal(true);
  });

  it('never evaluates JavaScript', () => {
    expect(() => ev('process.exit(1)')).to.throw();
    expect(() => ev('constructor')).to.throw(InputError, "undefined variable 'constructor'");
    expect(ev('"__proto__" in dict')).to.equal(false);
  });
});

describe('expr/truthy', () => {
  it('follows Python truthiness', () => {
    for (const v of ['', [], {}, 0, null, undefined, false, NaN]) expect(truthy(v), JSON.stringify(v)).to.equal(false);
    for (const v of ['0', 'false', [0], { a: 1 }, 1, -1, true, ' ']) expect(truthy(v), JSON.stringify(v)).to.equal(true);
  });
});
