import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import type { Vars } from '../../../src/core/types.js';
import { createTemplater } from '../../../src/template/index.js';

const t = createTemplater();
const vars: Vars = {
  pw: 'a&b=c+d!e@f%g:h/i?j#k l',
  list: ['x', 'y', 'z'],
  nums: [3, 1, 2],
  dict: { b: 2, a: 1 },
  n: 5,
  s: 'Hello World',
  empty: '',
  zero: 0,
  nothing: null,
  hostvars: { web1: { ansible_host: '10.0.0.5', port: 22 } },
};

function r(src: string, v: Vars = vars): unknown {
  return t.render(src, v);
}

describe('template/helpers', () => {
  it('default: undefined and null fall back; with true, falsy values too', () => {
    expect(r('{{default missing "d"}}')).to.equal('d');
    expect(r('{{default nothing "d"}}')).to.equal('d');
    expect(r('{{default empty "d"}}')).to.equal('');
    expect(r('{{default empty "d" true}}')).to.equal('d');
    expect(r('{{default zero 7 boolean=true}}')).to.equal(7);
    expect(r('{{default n 7}}')).to.equal(5);
  });

  it('defined', () => {
    expect(r('{{defined missing}}')).to.equal(false);
    expect(r('{{defined nothing}}')).to.equal(true);
  });

  it('join, split, concat', () => {
    expect(r('{{join list ", "}}')).to.equal('x, y, z');
    expect(r('{{join list}}')).to.equal('xyz');
    expect(r('{{join nums "-"}}')).to.equal('3-1-2');
    expect(r('{{split "a,b,,c" ","}}')).to.deep.equal(['a', 'b', '', 'c']);
    expect(r('{{split "  a  b\tc "}}')).to.deep.equal(['a', 'b', 'c']);
    expect(r('{{concat list nums}}')).to.deep.equal(['x', 'y', 'z', 3, 1, 2]);
    expect(r('{{concat "tcp://" "h" ":" n}}')).to.equal('tcp://h:5');
    expect(() => r('{{join s ","}}')).to.throw(InputError, 'join expects a list, got str');
  });

  it('eq, ne, lt, le, gt, ge', () => {
    expect(r('{{eq n 5}}')).to.equal(true);
    expect(r('{{eq n "5"}}')).to.equal(false);
    expect(r('{{eq dict dict}}')).to.equal(true);
    expect(r('{{ne s "x"}}')).to.equal(true);
    expect(r('{{lt 1 2}}')).to.equal(true);
    expect(r('{{le 2 2}}')).to.equal(true);
    expect(r('{{gt "b" "a"}}')).to.equal(true);
    expect(r('{{ge 1 2}}')).to.equal(false);
    expect(() => r('{{lt n "6"}}')).to.throw(InputError, 'lt cannot compare int with str');
  });

  it('and, or, not, ternary with Python truthiness', () => {
    expect(r('{{and n s}}')).to.equal('Hello World');
    expect(r('{{and n empty s}}')).to.equal('');
    expect(r('{{or empty zero "first truthy"}}')).to.equal('first truthy');
    expect(r('{{or empty zero}}')).to.equal(0);
    expect(r('{{not list}}')).to.equal(false);
    expect(r('{{not empty}}')).to.equal(true);
    expect(r('{{ternary zero "yes" "no"}}')).to.equal('no');
    expect(r('{{#if (and (eq n 5) (not empty))}}both{{/if}}')).to.equal('both');
  });

  it('json and to_yaml', () => {
    expect(r('{{json dict}}')).to.equal('{"b":2,"a":1}');
    expect(r('{{json list 2}}')).to.equal('[\n  "x",\n  "y",\n  "z"\n]');
    expect(r('{{json pw}}')).to.equal(JSON.stringify(vars.pw));
    expect(r('{{to_yaml dict}}')).to.equal('b: 2\na: 1');
  });

  it('urlencode encodes every reserved character, so the result is safe in a query value', () => {
    const encoded = r('{{urlencode pw}}') as string;
    expect(encoded).to.equal('a%26b%3Dc%2Bd%21e%40f%25g%3Ah%2Fi%3Fj%23k%20l');
    expect(decodeURIComponent(encoded)).to.equal(vars.pw);
    expect(new URL(`tcp://h:6379?auth=${encoded}&timeout=2`).searchParams.get('auth')).to.equal(vars.pw);
    expect(r("{{urlencode \"it's (x)*~\"}}")).to.equal('it%27s%20%28x%29%2A~');
  });

  it('quote makes one POSIX shell word', () => {
    expect(r('{{quote "plain"}}')).to.equal('plain');
    expect(r('{{quote pw}}')).to.equal(`'${vars.pw as string}'`);
    expect(r(`{{quote "it's"}}`)).to.equal(`'it'\\''s'`);
  });

  it('lower, upper, trim, replace, regex_replace', () => {
    expect(r('{{lower s}}')).to.equal('hello world');
    expect(r('{{upper s}}')).to.equal('HELLO WORLD');
    expect(r('{{trim "  x \n"}}')).to.equal('x');
    expect(r('{{replace s "o" "0"}}')).to.equal('Hell0 W0rld');
    expect(r('{{regex_replace s "(\\w+) (\\w+)" "\\2 \\1"}}')).to.equal('World Hello');
    expect(r('{{regex_replace s "(?<a>l+)" "[$<a>]"}}')).to.equal('He[ll]o Wor[l]d');
    expect(r('{{regex_replace s "^h" "J" ignorecase=true}}')).to.equal('Jello World');
    expect(r('{{regex_replace "a\nb" "^" "> " multiline=true}}')).to.equal('> a\n> b');
    expect(() => r('{{regex_replace s "(" "x"}}')).to.throw(InputError, 'invalid pattern');
  });

  it('length, first, last, keys', () => {
    expect(r('{{length list}}')).to.equal(3);
    expect(r('{{length s}}')).to.equal(11);
    expect(r('{{length dict}}')).to.equal(2);
    expect(r('{{first list}}')).to.equal('x');
    expect(r('{{last nums}}')).to.equal(2);
    expect(r('{{first s}}')).to.equal('H');
    expect(r('{{keys dict}}')).to.deep.equal(['b', 'a']);
  });

  it('int, float, bool, string', () => {
    expect(r('{{int "42"}}')).to.equal(42);
    expect(r('{{int "4.9"}}')).to.equal(4);
    expect(r('{{int "x"}}')).to.equal(0);
    expect(r('{{int "x" 3}}')).to.equal(3);
    expect(r('{{float "1.5"}}')).to.equal(1.5);
    expect(r('{{bool "yes"}}')).to.equal(true);
    expect(r('{{bool "no"}}')).to.equal(false);
    expect(r('{{string n}}')).to.equal('5');
    expect(r('{{string nothing}}')).to.equal('None');
  });

  it('b64encode and b64decode round-trip UTF-8', () => {
    expect(r('{{b64encode "héllo"}}')).to.equal('aMOpbGxv');
    expect(r('{{b64decode (b64encode pw)}}')).to.equal(vars.pw);
  });

  it('range, add, contains, basename, dirname', () => {
    expect(r('{{range 3}}')).to.deep.equal([0, 1, 2]);
    expect(r('{{range 1 7 2}}')).to.deep.equal([1, 3, 5]);
    expect(r('{{range 3 0 -1}}')).to.deep.equal([3, 2, 1]);
    expect(r('{{#each (range 2)}}[{{this}}]{{/each}}')).to.equal('[0][1]');
    expect(r('{{add n 2}}')).to.equal(7);
    expect(r('{{contains list "y"}}')).to.equal(true);
    expect(r('{{contains s "World"}}')).to.equal(true);
    expect(r('{{contains dict "a"}}')).to.equal(true);
    expect(r('{{contains dict "toString"}}')).to.equal(false);
    expect(r('{{basename "/etc/redis/redis.conf"}}')).to.equal('redis.conf');
    expect(r('{{dirname "/etc/redis/redis.conf"}}')).to.equal('/etc/redis');
    expect(r('{{dirname "/etc"}}')).to.equal('/');
  });

  it('hostvar reads another host and is strict about it', () => {
    expect(r('{{hostvar "web1" "ansible_host"}}')).to.equal('10.0.0.5');
    expect(r('{{hostvar "web1" "port"}}')).to.equal(22);
    expect(() => r('{{hostvar "web1" "nope"}}')).to.throw(InputError, "undefined variable 'hostvars[web1].nope'");
    expect(() => r('{{hostvar "web9" "x"}}')).to.throw(InputError, "no host 'web9'");
  });

  it('lookup (Handlebars built-in) reads computed keys', () => {
    expect(r('{{lookup dict "a"}}')).to.equal(1);
  });

  it('a string argument where a string is needed, with the helper named otherwise', () => {
    expect(() => r('{{upper list}}')).to.throw(InputError, 'upper expects a string, got list');
  });
});
