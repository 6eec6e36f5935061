import { expect } from 'chai';
import Handlebars from 'handlebars';
import { InputError } from '../../../src/core/errors.js';
import type { Vars } from '../../../src/core/types.js';
import { createTemplater } from '../../../src/template/index.js';
import { recordEntryLoc, recordLoc } from '../../../src/yaml/locs.js';

const PASSWORD = 'S3cr&t=pa+ss!w@rd%25 "q" \'s\' <b>';

const vars: Vars = {
  redis_password: PASSWORD,
  redis_port: 6379,
  enabled: false,
  ratio: 0.5,
  packages: ['redis-server', 'redis-tools'],
  settings: { maxmemory: '64mb' },
  nothing: null,
  ansible_default_ipv4: { address: '10.77.0.11' },
  groups: { web: ['web1', 'web2'], redis: ['redis1'] },
  hostvars: { web1: { ansible_host: '10.77.0.21' }, 'web-2.example.com': { ansible_host: '10.77.0.22' } },
};

describe('template/render', () => {
  const t = createTemplater();

  it('keeps the type of a value that is exactly one mustache', () => {
    expect(t.render('{{ packages }}', vars)).to.deep.equal(['redis-server', 'redis-tools']);
    expect(t.render('{{ redis_port }}', vars)).to.equal(6379);
    expect(t.render('{{ enabled }}', vars)).to.equal(false);
    expect(t.render('{{ratio}}', vars)).to.equal(0.5);
    expect(t.render('{{ settings }}', vars)).to.deep.equal({ maxmemory: '64mb' });
    expect(t.render('{{ nothing }}', vars)).to.equal(null);
    expect(t.render('{{{ redis_port }}}', vars)).to.equal(6379);
    // Helpers keep their result's type too.
    expect(t.render('{{ length packages }}', vars)).to.equal(2);
    expect(t.render('{{ default missing 5 }}', vars)).to.equal(5);
    expect(t.render('{{ split "a b" }}', vars)).to.deep.equal(['a', 'b']);
    expect(t.render('{{ eq redis_port 6379 }}', vars)).to.equal(true);
  });

  it('renders anything else to a string', () => {
    expect(t.render('port {{ redis_port }}', vars)).to.equal('port 6379');
    expect(t.render(' {{ redis_port }}', vars)).to.equal(' 6379');
    expect(t.render('{{ redis_port }}{{ redis_port }}', vars)).to.equal('63796379');
    expect(t.render('list: {{ packages }}', vars)).to.equal('list: ["redis-server","redis-tools"]');
    expect(t.render('[{{ nothing }}]', vars)).to.equal('[]');
    expect(t.render('{{#if enabled}}on{{else}}off{{/if}}', vars)).to.equal('off');
  });

  it('writes special characters exactly as they are (no HTML escaping)', () => {
    expect(t.render('{{ redis_password }}', vars)).to.equal(PASSWORD);
    expect(t.render('requirepass {{ redis_password }}', vars)).to.equal(`requirepass ${PASSWORD}`);
    expect(t.renderText('auth={{redis_password}}\n', vars, 'a.hbs')).to.equal(`auth=${PASSWORD}\n`);
    expect(t.render('{{#if true}}{{ redis_password }}{{/if}}', vars)).to.equal(PASSWORD);
  });

  it('returns strings without {{ unchanged and the same object when nothing renders', () => {
    const plain = { a: 'x', b: [1, 'y', { c: true }] };
    expect(t.render(plain, vars)).to.equal(plain);
    expect(t.render('just text & more', vars)).to.equal('just text & more');
    expect(t.render(42, vars)).to.equal(42);
  });

  it('renders deep: every string in maps and lists, keeping types per value', () => {
    const input = { name: 'install {{ packages }}', pkgs: '{{ packages }}', opts: [{ port: '{{ redis_port }}' }, 'x'], n: 3 };
    expect(t.render(input, vars)).to.deep.equal({
      name: 'install ["redis-server","redis-tools"]',
      pkgs: ['redis-server', 'redis-tools'],
      opts: [{ port: 6379 }, 'x'],
      n: 3,
    });
    expect(input.pkgs).to.equal('{{ packages }}');
  });

  it('reads dotted paths, segment literals and magic variables', () => {
    expect(t.render('{{ ansible_default_ipv4.address }}', vars)).to.equal('10.77.0.11');
    expect(t.render('{{ hostvars.[web1].ansible_host }}', vars)).to.equal('10.77.0.21');
    expect(t.render('{{ hostvars.[web-2.example.com].ansible_host }}', vars)).to.equal('10.77.0.22');
    expect(t.render('{{ groups.web }}', vars)).to.deep.equal(['web1', 'web2']);
    expect(t.render('{{ packages.[1] }}', vars)).to.equal('redis-tools');
    expect(t.render('{{#each groups.web}}{{this}}={{lookup ../hostvars this}}{{/each}}', { ...vars, hostvars: { web1: 'a', web2: 'b' } })).to.equal('web1=aweb2=b');
  });

  it('iterates with each over lists and dicts, with @index, @key and block params', () => {
    expect(t.render('{{#each packages}}{{@index}}:{{this}}{{#unless @last}},{{/unless}}{{/each}}', vars)).to.equal('0:redis-server,1:redis-tools');
    expect(t.render('{{#each settings}}{{@key}} {{this}}{{/each}}', vars)).to.equal('maxmemory 64mb');
    expect(t.render('{{#each packages as |p|}}<{{p}}>{{/each}}', vars)).to.equal('<redis-server><redis-tools>');
    expect(t.render('{{#with ansible_default_ipv4}}{{address}}{{/with}}', vars)).to.equal('10.77.0.11');
  });

  it('uses Python truthiness in #if and #unless', () => {
    const v = { e: {}, l: [], z: 0, s: 'x' };
    expect(t.render('{{#if e}}T{{else}}F{{/if}}', v)).to.equal('F');
    expect(t.render('{{#if l}}T{{else}}F{{/if}}', v)).to.equal('F');
    expect(t.render('{{#if z}}T{{else}}F{{/if}}', v)).to.equal('F');
    expect(t.render('{{#unless s}}T{{else}}F{{/unless}}', v)).to.equal('F');
    expect(t.render('{{#if z}}a{{else if s}}b{{else}}c{{/if}}', v)).to.equal('b');
  });

  it('strips standalone block lines in template files, as Handlebars does', () => {
    const text = 'a\n{{#if enabled}}\nmaxmemory 1\n{{else}}\n# off\n{{/if}}\nb\n';
    expect(t.renderText(text, vars, 'x.hbs')).to.equal('a\n# off\nb\n');
    expect(t.renderText('x {{~ redis_port ~}} y', vars, 'x.hbs')).to.equal('x6379y');
  });

  it('lets literal braces through with \\{{ and raw blocks', () => {
    expect(t.render('\\{{ not_a_var }} {{ redis_port }}', vars)).to.equal('{{ not_a_var }} 6379');
    expect(t.renderText('{{{{raw}}}}docker ps --format "{{.Names}}"{{{{/raw}}}}', vars, 'x.hbs')).to.equal('docker ps --format "{{.Names}}"');
  });

  it('renders a template file that is one mustache as text, not as the value', () => {
    expect(t.renderText('{{ packages }}', vars, 'x.hbs')).to.equal('["redis-server","redis-tools"]');
    expect(t.renderText('{{ redis_port }}', vars, 'x.hbs')).to.equal('6379');
  });

  it('reads lazily computed variables (getters) and lets their errors through unchanged', () => {
    const lazy: Vars = {};
    Object.defineProperty(lazy, 'computed', { enumerable: true, get: () => 'from getter' });
    Object.defineProperty(lazy, 'broken', {
      enumerable: true,
      get: () => {
        throw new InputError("undefined variable 'x' in other", { file: 'group_vars/all.yml', line: 3, col: 1 });
      },
    });
    expect(t.render('{{ computed }}!', lazy)).to.equal('from getter!');
    expect(t.render('{{#if true}}{{ computed }}{{/if}}', lazy)).to.equal('from getter');
    try {
      t.render('{{ broken }}', lazy, { file: 'site.yml', line: 1, col: 1 });
      expect.fail('no error');
    } catch (err) {
      expect((err as InputError).loc?.file).to.equal('group_vars/all.yml');
    }
  });

  it('never reads prototype properties', () => {
    expect(() => t.render('{{ settings.constructor }}', vars)).to.throw(InputError, 'undefined variable');
    expect(() => t.render('{{#if true}}{{ settings.__proto__ }}{{/if}}', vars)).to.throw(InputError, 'undefined variable');
  });

  it('uses an isolated Handlebars environment: the global one is neither read nor changed', () => {
    Handlebars.registerHelper('rb_global_probe', () => 'leaked');
    try {
      expect(() => createTemplater().render('{{ rb_global_probe }}', {})).to.throw(InputError, "undefined variable 'rb_global_probe'");
      expect(Handlebars.compile('{{x}}')({ x: '<&>' })).to.equal('&lt;&amp;&gt;');
      expect(Handlebars.helpers).to.not.have.property('hostvar');
    } finally {
      Handlebars.unregisterHelper('rb_global_probe');
    }
  });

  it('points a playbook value error at the value when the YAML loader recorded where it sits', () => {
    const args: Vars = { dest: '/etc/x', content: 'pw={{ redis_pasword }}' };
    recordLoc(args, { file: 'roles/r/tasks/main.yml', line: 4, col: 5 });
    recordEntryLoc(args, 'content', { file: 'roles/r/tasks/main.yml', line: 6, col: 14 });
    try {
      t.render(args, vars, { file: 'roles/r/tasks/main.yml', line: 4, col: 3 });
      expect.fail('no error');
    } catch (err) {
      const e = err as InputError;
      expect(e.loc).to.deep.equal({ file: 'roles/r/tasks/main.yml', line: 6, col: 14 });
      expect(e.message).to.equal("undefined variable 'redis_pasword' in 'pw={{ redis_pasword }}'");
    }
  });
});
