// Jinja2 as Ansible runs it, construct by construct and filter by filter: each row is a template,
// its variables and what Ansible 2.14 renders (checked by hand against ansible-playbook).
import { expect } from 'chai';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Vars } from '../../../../src/core/types.js';
import { createJinjaEngine, OMIT } from '../../../../src/template/jinja/engine.js';
import { TemplateProblem } from '../../../../src/template/problem.js';
import { scratchDir } from '../../../support/temp-dir.js';

const engine = createJinjaEngine();
const VARS: Vars = {
  name: 'web',
  port: 80,
  xs: ['b', 'a', 'c'],
  nums: [3, 1, 2],
  d: { k: 'v', n: 1 },
  users: [{ name: 'ann', admin: true }, { name: 'bob', admin: false }],
  hostvars: { h1: { ip: '10.0.0.1' } },
  groups: { web: ['h1'] },
  nothing: null,
  ver: '1.10.2',
  secret: 'hunter22',
};

function text(src: string, vars: Vars = VARS): string {
  return engine.compile(src, { kind: 'file', file: '/x/t.j2' }).render(vars) as string;
}

function value(src: string, vars: Vars = VARS): unknown {
  return engine.compile(src, { kind: 'value' }).render(vars);
}

function problemOf(fn: () => unknown): TemplateProblem {
  try {
    fn();
  } catch (err) {
    if (err instanceof TemplateProblem) return err;
    throw err;
  }
  throw new Error('expected a problem');
}

describe('template/jinja: statements and whitespace', () => {
  const table: Array<[string, string]> = [
    ['{% for x in xs %}{{ x }},{% endfor %}', 'b,a,c,'],
    ['{% for x in xs %}\n{{ loop.index }}:{{ x }}{% if not loop.last %} {% endif %}\n{% endfor %}', '1:b 2:a 3:c'],
    ['{% for x in xs if x != "a" %}{{ loop.index }}{{ x }}{% endfor %}', '1b2c'],
    ['{% for x in [] %}a{% else %}none{% endfor %}', 'none'],
    ['{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}', 'k=v;n=1;'],
    ['{% for k in d %}{{ k }}{% endfor %}', 'kn'],
    ['{% if port > 100 %}big{% elif port > 50 %}mid{% else %}small{% endif %}', 'mid'],
    ['{% set a = port + 1 %}{{ a }}', '81'],
    ['{% set a %}in{{ name }}{% endset %}[{{ a }}]', '[inweb]'],
    ['{# comment #}\nx', 'x'],
    ['a\n{%- if true %}\nb\n{%- endif %}\nc', 'abc'],
    ['{% for x in xs %}\n{{ x }}\n{% endfor %}', 'b\na\nc\n'],
    ['  {{- name -}}  ', 'web'],
    ['{% raw %}{{ not rendered }}{% endraw %}', '{{ not rendered }}'],
    ['{% if true %}\nx\n{% endif %}\nlast\n', 'x\nlast\n'],
    ['{{ port ~ "/" ~ name }}', '80/web'],
    ['{{ "a" + "b" }} {{ 2 + 3 * 4 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ 2 ** 3 }}', 'ab 14 3 1 8'],
    ["{{ 'yes' if port == 80 else 'no' }}", 'yes'],
    ["{{ hostvars['h1']['ip'] }} {{ hostvars[groups['web'][0]].ip }}", '10.0.0.1 10.0.0.1'],
    ['{{ range(3) | list }}', '[0, 1, 2]'],
    ["{{ name.upper() }} {{ 'a.b.c'.split('.') }} {{ name.startswith('w') }}", "WEB ['a', 'b', 'c'] True"],
    ['{{ d.keys() | list }} {{ d.get("zz", "dflt") }}', "['k', 'n'] dflt"],
    ['{{ nothing }} {{ true }} {{ d }}', "None True {'k': 'v', 'n': 1}"],
    ['{{ ansible_managed }}', 'Ansible managed'],
    ['a\n{% block top %}\n{{ name }}\n{% endblock %}\nb', 'a\nweb\nb'],
  ];
  for (const [src, want] of table) it(JSON.stringify(src), () => expect(text(src)).to.equal(want));

  it('keeps the type of a value that is one {{ }}', () => {
    expect(value('{{ xs }}')).to.deep.equal(['b', 'a', 'c']);
    expect(value('{{ port + 1 }}')).to.equal(81);
    expect(value('{{ x | default(omit) }}')).to.equal(OMIT);
    expect(value('port {{ port }}')).to.equal('port 80');
  });
});

describe('template/jinja: tests', () => {
  const table: Array<[string, boolean]> = [
    ['nope is defined', false],
    ['nothing is none', true],
    ["ver is version('1.9', '>')", true],
    ["ver is version('1.10.2', '==')", true],
    ["ver is version_compare('2.0', '<')", true],
    ["name is match('w.b')", true],
    ["name is match('eb')", false],
    ["name is search('eb')", true],
    ['{"failed": false} is succeeded', true],
    ['{"changed": true} is changed', true],
    ['{"skipped": true} is skipped', true],
    ['{"failed": true} is failed', true],
    ['port is divisibleby 4', true],
    ["xs is contains('a')", true],
  ];
  for (const [src, want] of table) it(src, () => expect(value(`{{ ${src} }}`)).to.equal(want));
});

describe('template/jinja: filters', () => {
  const table: Array<[string, unknown]> = [
    ['nope | default("x")', 'x'],
    ['nope | d(1)', 1],
    ['"" | default("e", true)', 'e'],
    ['xs | length', 3],
    ['xs | join(",")', 'b,a,c'],
    ['xs | sort', ['a', 'b', 'c']],
    ['nums | sort(reverse=true)', [3, 2, 1]],
    ['users | sort(attribute="name", reverse=true) | map(attribute="name") | list', ['bob', 'ann']],
    ['[1, 1, 2] | unique', [1, 2]],
    ['[1, 2] | union([2, 3])', [1, 2, 3]],
    ['[1, 2, 3] | difference([2])', [1, 3]],
    ['[1, 2, 3] | intersect([2, 3, 4])', [2, 3]],
    ['users | selectattr("admin") | map(attribute="name") | list', ['ann']],
    ['users | rejectattr("admin") | map(attribute="name") | first', 'bob'],
    ['users | selectattr("name", "equalto", "bob") | list | length', 1],
    ['nums | select("gt", 1) | list', [3, 2]],
    ['nums | reject("odd") | list', [2]],
    ['xs | map("upper") | list', ['B', 'A', 'C']],
    ['d | combine({"n": 2, "m": 3})', { k: 'v', n: 2, m: 3 }],
    ['{"a": {"x": 1}} | combine({"a": {"y": 2}}, recursive=true)', { a: { x: 1, y: 2 } }],
    ['d | dict2items', [{ key: 'k', value: 'v' }, { key: 'n', value: 1 }]],
    ['[{"key": "a", "value": 1}] | items2dict', { a: 1 }],
    ['{"a": 1} | to_json', '{"a": 1}'],
    ['{"b": [1, 2], "a": "é"} | to_nice_json', '{\n    "a": "\\u00e9",\n    "b": [\n        1,\n        2\n    ]\n}'],
    ['\'{"a": [1]}\' | from_json', { a: [1] }],
    ['"a: [1]" | from_yaml', { a: [1] }],
    ['{"a": 1} | to_nice_yaml', 'a: 1\n'],
    ['"/etc/nginx/nginx.conf" | dirname', '/etc/nginx'],
    ['"/etc/nginx/nginx.conf" | basename', 'nginx.conf'],
    ['true | ternary("on", "off")', 'on'],
    ['"x\\ny" | comment', '#\n# x\n# y\n#'],
    ['"a\\nb" | indent(2)', 'a\n  b'],
    ['"a\\nb" | indent(2, true)', '  a\n  b'],
    ['"Web" | upper', 'WEB'],
    ['"Web" | lower', 'web'],
    ['"a-b-c" | replace("-", "_")', 'a_b_c'],
    ['"nginx-1.2" | regex_replace("^(\\\\w+)-(.*)$", "\\\\2:\\\\1")', '1.2:nginx'],
    ['"port 80 open" | regex_search("\\\\d+")', '80'],
    ['"yes" | bool', true],
    ['"42" | int + 1', 43],
    ['"1.5" | float', 1.5],
    ['42 | string', '42'],
    ['"  x  " | trim', 'x'],
    ['"hi" | b64encode', 'aGk='],
    ['"aGk=" | b64decode', 'hi'],
    ['"abc" | hash("sha1")', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['"abc" | hash("md5")', '900150983cd24fb0d6963f7d28e17f72'],
    // Expected values from `openssl passwd -6 -salt abcdefgh secret` (and -5).
    ['"secret" | password_hash("sha512", "abcdefgh")', '$6$abcdefgh$ltjgWl6579NluT/Vi1nwEvcil.G5Nbc4NiXZaNGStk8PSwGfQv72N2CKPPrVACtLtip/cZ/1GM/O6IND4WQhG.'],
    ['"secret" | password_hash("sha256", salt="abcdefgh")', '$5$abcdefgh$gruCpC7VkOTspMQTTSAR8mtlO9Upms.fwqE5y16JVM.'],
    ['"it\'s" | quote', "'it'\"'\"'s'"],
    ['"safe-word" | quote', 'safe-word'],
    ['nums | first', 3],
    ['nums | last', 2],
    ['nums | min', 1],
    ['nums | max', 3],
    ['nums | sum', 6],
    ['[1, [2, [3]]] | flatten', [1, 2, 3]],
    ['[1, [2, [3]]] | flatten(levels=1)', [1, 2, [3]]],
    ['[1, 2] | zip(["a", "b"]) | list', [[1, 'a'], [2, 'b']]],
    ['[1, 2] | product(["a"]) | list', [[1, 'a'], [2, 'a']]],
    ['nums | list', [3, 1, 2]],
    ['x | mandatory("x is needed") if false else 1', 1],
  ];
  for (const [src, want] of table) it(src, () => expect(value(`{{ ${src} }}`)).to.deep.equal(want));

  it("random and shuffle with a seed pick what Python's random.Random(seed) picks, as in Ansible", () => {
    // Expected values from python3: random.Random(s).randrange(0, 60), .randrange(5, 100, 7), .shuffle, .choice.
    expect(value('{{ 60 | random(seed="web1") }}')).to.equal(52);
    expect(value('{{ 100 | random(5, 7, seed="web1") }}')).to.equal(96);
    expect(value('{{ [1, 2, 3, 4, 5, 6] | shuffle(seed="target") | join("") }}')).to.equal('265314');
    expect(value('{{ [0, 1, 2] | random(seed=42) }}')).to.equal(2);
    expect(value('{{ 60 | random(seed=0) }}')).to.equal(54);
    expect(value('{{ 60 | random }}')).to.be.within(0, 59);
  });

  it('mandatory fails with its message', () => {
    expect(problemOf(() => value('{{ nope | mandatory("set nope") }}')).message).to.contain('set nope');
  });
});

describe('template/jinja: errors with line and column', () => {
  it('an undefined variable, with did-you-mean', () => {
    const p = problemOf(() => text('line one\n  {{ nmae }}\n'));
    expect([p.line, p.col]).to.deep.equal([2, 6]);
    expect(p.message).to.contain("undefined variable 'nmae'");
    expect(p.hint).to.equal("did you mean 'name'?");
  });

  it('an unknown filter and an unknown method fail at compile time', () => {
    const f = problemOf(() => engine.compile('a\n{{ x | nosuchfilter }}', { kind: 'file', file: '/t.j2' }));
    expect([f.line, f.col, f.message]).to.deep.equal([2, 8, f.message]);
    expect(f.message).to.contain("unknown filter 'nosuchfilter'");
    const m = problemOf(() => engine.compile("{{ x.spilt('.') }}", { kind: 'value' }));
    expect(m.message).to.contain("unknown method 'spilt'").and.contain("did you mean 'split'?");
  });

  it('an unclosed block names the opening tag', () => {
    const p = problemOf(() => engine.compile('{% if x %}\nno end', { kind: 'file', file: '/t.j2' }));
    expect(p.message).to.contain("'{% if %}' is not closed");
    expect(p.line).to.equal(1);
  });

  it('unsupported statements say so', () => {
    expect(problemOf(() => engine.compile('{% do xs.append(1) %}', { kind: 'file', file: '/t.j2' })).message).to.contain('not supported');
  });
});

describe('template/jinja: lookups', () => {
  const dir = scratchDir('jinja-lookups-');
  writeFileSync(join(dir, 'motd.txt'), 'hello\n');
  writeFileSync(join(dir, 'inner.j2'), 'inner {{ name }}');
  const origin = join(dir, 'main.j2');
  const render = (src: string) => engine.compile(src, { kind: 'file', file: origin }).render(VARS);

  it('file, template, env, vars, first_found, fileglob, lines', () => {
    expect(render("{{ lookup('file', 'motd.txt') }}")).to.equal('hello');
    expect(render("{{ lookup('template', 'inner.j2') }}")).to.equal('inner web');
    process.env.RUNBOOK_LOOKUP_TEST = 'e1';
    expect(render("{{ lookup('env', 'RUNBOOK_LOOKUP_TEST') }}")).to.equal('e1');
    expect(render("{{ lookup('vars', 'name') }}")).to.equal('web');
    expect(render("{{ lookup('first_found', ['nope.txt', 'motd.txt']) | basename }}")).to.equal('motd.txt');
    expect(render("{{ query('fileglob', '*.txt') | map('basename') | list }}")).to.equal("['motd.txt']");
    expect(render("{{ lookup('lines', 'printf \"a\\\\nb\\\\n\"') }}")).to.equal('a,b');
  });

  it('password: created 0600 on the controller, then read back', () => {
    const first = render("{{ lookup('password', 'creds/db length=16 chars=ascii_letters') }}");
    expect(first).to.match(/^[A-Za-z]{16}$/);
    expect(statSync(join(dir, 'creds', 'db')).mode & 0o777).to.equal(0o600);
    expect(render("{{ lookup('password', 'creds/db length=16') }}")).to.equal(first);
    expect(readFileSync(join(dir, 'creds', 'db'), 'utf8')).to.equal(`${first}\n`);
  });
});

describe('template/jinja: conditions and templates share one evaluator', () => {
  it('a condition sees the same lookups and globals as a template', async () => {
    const { compileExpr, evaluate } = await import('../../../../src/expr/index.js');
    const { expressionEnv } = await import('../../../../src/template/jinja/engine.js');
    process.env.RUNBOOK_COND_TEST = 'on';
    const env = expressionEnv(engine, '/x/tasks/main.yml', VARS);
    for (const src of ["lookup('env', 'RUNBOOK_COND_TEST') == 'on'", "name ~ '-' ~ port == 'web-80'", "ver is version('1.2', '>=') and xs | sort | first == 'a'"]) {
      expect(evaluate(compileExpr(src), VARS, env), src).to.equal(true);
      expect(text(`{% if ${src} %}yes{% endif %}`), src).to.equal('yes');
    }
    expect(evaluate(compileExpr('omit'), VARS, env)).to.equal(OMIT);
  });
});
