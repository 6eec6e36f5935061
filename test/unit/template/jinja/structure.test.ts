// Issue 14: Jinja2's template structure (macros, call blocks, include, import, extends, recursive
// loops, with, namespace, filter blocks, slices) renders byte for byte what Python's jinja2 3.1
// renders, set up as Ansible sets it up. The expectations in test/fixtures/jinja2-structure/
// cases.json were written by running jinja2 (generate.py there); with python3 and jinja2 installed,
// the first test re-runs it, so a case edited without regenerating fails.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Vars } from '../../../../src/core/types.js';
import { InputError } from '../../../../src/core/errors.js';
import { UnsafeText } from '../../../../src/core/unsafe.js';
import { createTemplater } from '../../../../src/template/index.js';
import { createJinjaEngine } from '../../../../src/template/jinja/engine.js';
import { REPO } from '../../../integration/support/runbook.js';
import { scratchDir } from '../../../support/temp-dir.js';

interface Case {
  name: string;
  files: Record<string, string>;
  vars: Vars;
  expected: string;
}

const FIXTURE = join(REPO, 'test/fixtures/jinja2-structure');
const cases = (JSON.parse(readFileSync(join(FIXTURE, 'cases.json'), 'utf8')) as { cases: Case[] }).cases;

function jinja2Available(): boolean {
  try {
    execFileSync('python3', ['-c', 'import jinja2'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The case's templates written out, as a role's templates/ folder. */
function writeFiles(files: Record<string, string>): string {
  const dir = scratchDir('runbook-jinja-structure-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe('template/jinja: structure, as Python jinja2 renders it', () => {
  it('cases.json is what jinja2 renders today (regenerated when python3 has jinja2)', function () {
    if (!jinja2Available()) this.skip();
    const out = join(scratchDir('runbook-jinja-gen-'), 'cases.json');
    execFileSync('python3', [join(FIXTURE, 'generate.py'), out]);
    expect(JSON.parse(readFileSync(out, 'utf8')).cases).to.deep.equal(cases);
  });

  const engine = createJinjaEngine();
  for (const c of cases) {
    it(c.name, () => {
      const dir = writeFiles(c.files);
      const main = join(dir, 'main.j2');
      const got = engine.compile(c.files['main.j2']!, { kind: 'file', file: main, searchPath: [dir] }).render(c.vars);
      expect(got).to.equal(c.expected);
    });
  }
});

describe('template/jinja: structure errors', () => {
  const templater = createTemplater();
  function errorOf(files: Record<string, string>, vars: Vars = {}): InputError {
    const dir = writeFiles(files);
    try {
      templater.renderText(files['main.j2']!, vars, join(dir, 'main.j2'), [dir]);
    } catch (err) {
      if (err instanceof InputError) return err;
      throw err;
    }
    throw new Error('expected an error');
  }

  it('an error in an included file names that file, line and column, with did-you-mean', () => {
    const err = errorOf({ 'main.j2': 'a\n{% include "part.j2" %}\n', 'part.j2': 'ok\n  {{ prot }}\n' }, { port: 1 });
    expect(err.loc?.file).to.match(/part\.j2$/);
    expect([err.loc?.line, err.loc?.col]).to.deep.equal([2, 6]);
    expect(err.message).to.contain("undefined variable 'prot'");
    expect(err.hint).to.contain('port');
  });

  it('a syntax error in an imported file names that file', () => {
    const err = errorOf({ 'main.j2': '{% import "m.j2" as m %}', 'm.j2': '{% macro f() %}\n{{ x | uper }}{% endmacro %}' });
    expect(err.loc?.file).to.match(/m\.j2$/);
    expect(err.loc?.line).to.equal(2);
    expect(err.message).to.contain("unknown filter 'uper'");
  });

  it('an error inside an imported macro names the macro file, not the caller', () => {
    const err = errorOf({ 'main.j2': '{% from "m.j2" import f %}\n{{ f() }}', 'm.j2': '\n\n{% macro f() %}{{ nope }}{% endmacro %}' });
    expect(err.loc?.file).to.match(/m\.j2$/);
    expect(err.loc?.line).to.equal(3);
  });

  it('a missing include names the search path and suggests a close name', () => {
    const err = errorOf({ 'main.j2': 'x\n{% include "hedaer.j2" %}', 'header.j2': 'h' });
    expect(err.loc?.file).to.match(/main\.j2$/);
    expect([err.loc?.line, err.loc?.col]).to.deep.equal([2, 12]);
    expect(err.message).to.match(/template 'hedaer\.j2' not found \(searched .+\)/);
    expect(err.hint).to.contain('header.j2');
  });

  it('a template that includes itself stops at the nesting limit with a clear error', () => {
    const err = errorOf({ 'main.j2': '{% include "loop.j2" %}', 'loop.j2': 'x{% include "loop.j2" %}' });
    expect(err.message).to.match(/templates nested deeper than 32 .*loop\.j2 -> .*loop\.j2\): a template includes, imports or extends itself/);
  });

  it('runaway macro recursion stops with an error', () => {
    const err = errorOf({ 'main.j2': '{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}' });
    expect(err.message).to.contain("macro 'f' nested deeper than 200 calls");
  });

  it("wrong calls fail with Jinja2's messages at the call", () => {
    expect(errorOf({ 'main.j2': '{% macro m(a) %}{% endmacro %}\n{{ m(1, 2) }}' }).message).to.contain("macro 'm' takes not more than 1 argument(s)");
    expect(errorOf({ 'main.j2': '{% macro m(a) %}{% endmacro %}{{ m(b=1) }}' }).message).to.contain("macro 'm' takes no keyword argument 'b'");
    expect(errorOf({ 'main.j2': '{% for x in [1] %}{{ loop([2]) }}{% endfor %}' }).message).to.contain("Maybe you forgot the 'recursive' modifier");
    expect(errorOf({ 'main.j2': '{% from "m.j2" import g %}', 'm.j2': '{% macro f() %}{% endmacro %}' }).message).to.contain("does not export the requested name 'g'");
    expect(errorOf({ 'main.j2': '{% set x = 1 %}{% set x.a = 2 %}' }).message).to.contain("cannot assign attribute on non-namespace object 'x'");
  });

  it('an unknown function is still an error when the file loads', () => {
    expect(errorOf({ 'main.j2': '{{ nomacro(1) }}' }).message).to.contain("unknown function 'nomacro'");
  });
});

describe('template/jinja: a name from a host is a name, never a template', () => {
  const engine = createJinjaEngine();
  it('an include named by host data loads that file and never renders the name', () => {
    const dir = writeFiles({ 'main.j2': '{% include fact %}', 'a.j2': 'A\n' });
    // Facts and registered output arrive as UnsafeText.
    const render = (fact: string) => engine.compile('{% include fact %}', { kind: 'file', file: join(dir, 'main.j2'), searchPath: [dir] }).render({ fact: new UnsafeText(fact) });
    expect(render('a.j2')).to.equal('A\n');
    expect(() => render('{{ "a.j2" }}')).to.throw(/template '\{\{ "a\.j2" \}\}' not found/);
  });

  it("`..` never leaves the search path (as Jinja2's loader)", () => {
    const dir = writeFiles({ 'templates/main.j2': '', 'secret.txt': 'no' });
    const render = (fact: string) => engine.compile('{% include fact %}', { kind: 'file', file: join(dir, 'templates/main.j2'), searchPath: [join(dir, 'templates')] }).render({ fact: new UnsafeText(fact) });
    expect(() => render('../secret.txt')).to.throw(/template '\.\.\/secret\.txt' not found/);
  });
});
