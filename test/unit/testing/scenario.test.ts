// runbook-test.yml: defaults when absent, hosts from platforms, and mistakes refused at their line.
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../../src/core/errors.js';
import { jsonReport, junitXml } from '../../../src/testing/reports.js';
import { loadScenario } from '../../../src/testing/scenario.js';

describe('runbook test: scenario and reports', () => {
  let dir: string;
  const write = (file: string, text: string): void => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-scenario-'));
    write('tasks/main.yml', '- debug: {msg: hi}\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a role without runbook-test.yml: one host named instance, converged with the role, no verify', () => {
    const s = loadScenario(dir);
    expect(s.hosts).to.deep.equal([{ name: 'instance', groups: [] }]);
    expect(s.converge).to.deep.equal({ role: dir });
    expect(s.verify).to.equal(undefined);
  });

  it('platforms with count and groups, host and group vars, converge and verify playbooks', () => {
    write('site.yml', '- hosts: all\n  tasks: []\n');
    write('check.yml', '- hosts: all\n  tasks: []\n');
    write('runbook-test.yml', 'platforms:\n  - {name: web, count: 2, groups: [web]}\n  - {name: db}\nhost_vars:\n  db: {port: 5432}\ngroup_vars:\n  web: {tls: true}\nconverge: site.yml\nverify: check.yml\n');
    const s = loadScenario(dir);
    expect(s.hosts).to.deep.equal([{ name: 'web1', groups: ['web'] }, { name: 'web2', groups: ['web'] }, { name: 'db', groups: [] }]);
    expect(s.hostVars).to.deep.equal({ db: { port: 5432 } });
    expect(s.groupVars).to.deep.equal({ web: { tls: true } });
    expect(s.converge).to.deep.equal({ playbook: join(dir, 'site.yml') });
    expect(s.verify).to.equal(join(dir, 'check.yml'));
  });

  it('refuses mistakes with file:line:col before any host exists', () => {
    const refuse = (text: string, pattern: RegExp): void => {
      write('runbook-test.yml', text);
      let err: unknown;
      try {
        loadScenario(dir);
      } catch (e) {
        err = e;
      }
      expect(err).to.be.instanceOf(InputError);
      expect((err as InputError).describe()).to.match(pattern);
    };
    refuse('platform:\n  - {name: a}\n', /runbook-test\.yml:1:1: unknown keyword 'platform' in runbook-test\.yml\n {2}hint: did you mean 'platforms'/);
    refuse('platforms:\n  - {name: a}\nhost_vars:\n  b: {x: 1}\n', /runbook-test\.yml:4:3: host_vars: no platform host named 'b'/);
    refuse('platforms:\n  - {name: Web_1}\n', /runbook-test\.yml:2:\d+: platform host name 'Web_1' cannot be a lab host name/);
    refuse('verify: missing.yml\n', /runbook-test\.yml:1:\d+: verify: missing\.yml does not exist/);
    refuse('platforms:\n  - {name: a, count: 0}\n', /count must be a whole number of at least 1/);
  });

  it('a folder that is neither a role nor names a converge playbook is refused', () => {
    rmSync(join(dir, 'tasks'), { recursive: true });
    expect(() => loadScenario(dir)).to.throw(InputError, /is not a role/);
  });

  it('JUnit: one test case per stage, failures and skips, XML escaped; JSON as is', () => {
    const report = {
      scenario: 'roles/x/runbook-test.yml',
      hosts: ['instance'],
      exitCode: 2,
      stages: [
        { name: 'converge' as const, status: 'passed' as const, durationMs: 1500 },
        { name: 'idempotence' as const, status: 'failed' as const, durationMs: 1200, message: "not idempotent: 'x : <a> & \"b\"' on instance" },
        { name: 'verify' as const, status: 'skipped' as const, durationMs: 0, message: 'an earlier stage failed' },
      ],
    };
    const xml = junitXml(report);
    expect(xml).to.contain('<testsuites tests="3" failures="1" skipped="1" time="2.700">');
    expect(xml).to.contain('<testcase classname="runbook test" name="converge" time="1.500"/>');
    expect(xml).to.contain('<failure message="not idempotent: &apos;x : &lt;a&gt; &amp; &quot;b&quot;&apos; on instance" type="idempotence">');
    expect(xml).to.contain('<skipped message="an earlier stage failed"/>');
    expect(JSON.parse(jsonReport(report))).to.deep.equal(report);
  });
});
