import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import type { SourceLoc, Vars } from '../../../src/core/types.js';
import { createTemplater } from '../../../src/template/index.js';

const vars: Vars = {
  redis_password: 'x'.repeat(20),
  redis_port: 6379,
  nothing: null,
  users: [{ name: 'a' }, { name: 'b', shell: '/bin/zsh' }],
  ansible_default_ipv4: { address: '10.0.0.1' },
  hostvars: { web1: { ansible_host: '10.0.0.2' } },
};

const t = createTemplater();

function textError(text: string, file = 'roles/redis_server/templates/redis.conf.hbs'): InputError {
  try {
    t.renderText(text, vars, file);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

function valueError(value: unknown, loc?: SourceLoc): InputError {
  try {
    t.render(value, vars, loc);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('template/strict undefined variables', () => {
  it('names the file, line, column and variable, with a did-you-mean', () => {
    const text = 'bind 127.0.0.1\nport {{ redis_port }}\n\nrequirepass    {{ redis_pasword }}\n';
    const err = textError(text);
    expect(err.loc).to.deep.equal({ file: 'roles/redis_server/templates/redis.conf.hbs', line: 4, col: 19 });
    expect(err.message).to.equal("undefined variable 'redis_pasword'");
    expect(err.hint).to.equal("did you mean 'redis_password'?");
    expect(err.describe()).to.equal("roles/redis_server/templates/redis.conf.hbs:4:19: undefined variable 'redis_pasword'\n  hint: did you mean 'redis_password'?\n  see: docs/troubleshooting.md#bad-input");
  });

  it('finds undefined variables inside blocks, helpers and hashes too', () => {
    expect(textError('a\n{{#if redis_port}}\n  {{ missing_in_if }}\n{{/if}}').loc?.line).to.equal(3);
    expect(textError('{{#each users}}{{name}}:{{shell}}\n{{/each}}').message).to.equal("undefined variable 'shell'");
    expect(textError('{{ upper missing_arg }}').message).to.equal("undefined variable 'missing_arg'");
    expect(textError('{{ join (split missing_sub) "," }}').message).to.equal("undefined variable 'missing_sub'");
    expect(textError('{{ regex_replace "a" "a" "b" ignorecase=missing_hash }}').message).to.equal("undefined variable 'missing_hash'");
    expect(textError('{{#each missing_list}}x{{/each}}').message).to.equal("undefined variable 'missing_list'");
    expect(textError('{{#with missing_ctx}}x{{/with}}').message).to.equal("undefined variable 'missing_ctx'");
    expect(textError('{{#if (eq missing_cmp 1)}}x{{/if}}').message).to.equal("undefined variable 'missing_cmp'");
    expect(textError('{{#each users as |u|}}{{u.nick}}{{/each}}').message).to.equal("undefined variable 'u.nick'");
  });

  it('says which part of a dotted path is missing', () => {
    expect(textError('{{ ansible_default_ipv4.adress }}').message).to.equal("undefined variable 'ansible_default_ipv4.adress' ('ansible_default_ipv4' has no key 'adress')");
    expect(textError('{{ ansible_default_ipv4.adress }}').hint).to.equal("did you mean 'address'?");
    expect(textError('{{ ansible_default_ipv6.address }}').message).to.equal("undefined variable 'ansible_default_ipv6' (in 'ansible_default_ipv6.address')");
    expect(textError('{{ nothing.x }}').message).to.equal("undefined variable 'nothing.x' ('nothing' is null)");
    expect(textError('{{#if true}}{{ nothing.x }}{{/if}}').message).to.equal("undefined variable 'nothing.x' ('nothing' is null)");
    expect(textError('{{ hostvars.[web9].ansible_host }}').message).to.contain("'hostvars' has no key 'web9'");
  });

  it('lets if, unless, default and defined ask about undefined variables', () => {
    expect(t.renderText('{{#if maybe}}yes{{else}}no{{/if}}', vars, 'f')).to.equal('no');
    expect(t.renderText('{{#unless maybe.deep}}none{{/unless}}', vars, 'f')).to.equal('none');
    expect(t.renderText('{{ default maybe "fallback" }}', vars, 'f')).to.equal('fallback');
    expect(t.renderText('{{ default nothing.x "fallback" }}', vars, 'f')).to.equal('fallback');
    expect(t.renderText('{{#if (defined maybe)}}d{{else}}u{{/if}}', vars, 'f')).to.equal('u');
    expect(t.renderText('{{#if (defined redis_port)}}d{{else}}u{{/if}}', vars, 'f')).to.equal('d');
    expect(t.render('{{ default maybe redis_port }}', vars)).to.equal(6379);
  });

  it('keeps a defined null: only undefined is an error', () => {
    expect(t.render('{{ nothing }}', vars)).to.equal(null);
    expect(t.renderText('[{{ nothing }}]', vars, 'f')).to.equal('[]');
  });

  it('positions a playbook value error at the given location and quotes the line of the value', () => {
    const loc = { file: 'site.yml', line: 10, col: 9 };
    const single = valueError('redis://{{ redis_hst }}:6379', loc);
    expect(single.loc).to.deep.equal(loc);
    expect(single.message).to.equal("undefined variable 'redis_hst' in 'redis://{{ redis_hst }}:6379'");
    const multi = valueError('line one\nline {{ two_missing }}\n', loc);
    expect(multi.message).to.equal("undefined variable 'two_missing' in 'line {{ two_missing }}' (line 2 of the value)");
    expect(valueError({ a: ['ok', '{{ deep_missing }}'] }, loc).message).to.contain("'deep_missing'");
  });

  it('rejects unknown helpers with a did-you-mean, and wrong argument counts', () => {
    const err = textError('x\n{{ urlencod redis_password }}');
    expect(err.message).to.equal("unknown helper 'urlencod'");
    expect(err.hint).to.equal("did you mean 'urlencode'?");
    expect(err.loc?.line).to.equal(2);
    expect(textError('{{#iff redis_port}}x{{/iff}}').message).to.equal("unknown helper 'iff'");
    expect(textError('{{ join }}').message).to.equal("helper 'join' takes 1 to 2 argument(s), got 0");
    expect(textError('{{ join }}').hint).to.equal("to read a variable named 'join', write {{ this.join }}");
    expect(t.renderText('{{ this.join }}', { join: 'j' }, 'f')).to.equal('j');
    expect(textError('{{ eq 1 }}').message).to.equal("helper 'eq' takes 2 argument(s), got 1");
    expect(textError('{{#if}}x{{/if}}').message).to.contain('#if takes exactly one argument');
  });

  it('positions helper failures at the call', () => {
    const err = textError('ok\n  {{ length redis_port }}');
    expect(err.message).to.equal('length expects a list, string or dict, got int');
    expect(err.loc).to.deep.include({ line: 2, col: 3 });
  });

  it('reports syntax errors with their line', () => {
    const err = textError('a\nb\n{{#if redis_port}}\nno close');
    expect(err.message).to.contain('template syntax error');
    expect(err.loc?.line).to.be.greaterThan(2);
    expect(textError('x {{ unclosed').message).to.contain('is not closed');
    const mismatch = textError('{{#if redis_port}}\n{{/each}}');
    expect(mismatch.message).to.contain("if doesn't match each");
    expect(mismatch.loc?.line).to.equal(1);
  });

  it('refuses partials', () => {
    expect(textError('{{> header}}').message).to.contain('partials');
  });

  it('caches compiled templates but reports each call site', () => {
    const a = valueError('{{ same_missing }}', { file: 'a.yml', line: 1, col: 1 });
    const b = valueError('{{ same_missing }}', { file: 'b.yml', line: 2, col: 2 });
    expect(a.loc?.file).to.equal('a.yml');
    expect(b.loc?.file).to.equal('b.yml');
    // Defined on the second call: a cached compile must not remember the first call's failure.
    expect(t.render('{{ same_missing }}', { same_missing: 'now' })).to.equal('now');
  });
});
