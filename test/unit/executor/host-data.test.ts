// What a host sends back is data, never a template nor a condition: gathered facts, registered
// output, set_fact copies of them and another host's hostvars keep a `{{` as the literal text.
import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import type { ExecResult } from '../../../src/transport/types.js';
import { debianBuildMachine } from '../modules/system/fixtures/setup.js';
import { yamlRun, type YamlRun } from './yaml-play.js';

type HostResultEvent = Extract<RunEvent, { type: 'host_result' }>;
const kv = (r: YamlRun, host: string) => r.hosts.get(host)!.kv;
const failures = (r: YamlRun): HostResultEvent[] => r.events.filter((e): e is HostResultEvent => e.type === 'host_result' && e.status === 'failed');

/** The Debian fixture with its VERSION_CODENAME replaced by `codename` (as a hostile /etc/os-release would hold it). */
function factsWithCodename(codename: string): ExecResult {
  return { ...debianBuildMachine, stdout: debianBuildMachine.stdout.replace('VERSION_CODENAME=bookworm', `VERSION_CODENAME='${codename}'`) };
}

/** Makes `command: hostile-output` print `stdout` on every host of the run. */
function hostPrints(r: YamlRun, stdout: string): void {
  for (const host of r.hosts.values()) {
    const real = host.exec.bind(host);
    host.exec = async (script, options) => (script.includes('hostile-output') ? { stdout, stderr: '', code: 0 } : real(script, options));
  }
}

describe('data from hosts is never rendered', () => {
  it('a gathered fact holding {{ some_secret }} is written as that text, in values and through play vars', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: true
  vars:
    some_secret: hunter2
    codename: "{{ ansible_distribution_release }}"
  tasks:
    - kv: { key: release, value: "{{ ansible_distribution_release }}" }
    - kv: { key: through_var, value: "release={{ codename }}" }
    - kv: { key: through_facts, value: "{{ ansible_facts.distribution_release }}" }
    - set_fact: { copied: "{{ ansible_distribution_release }}" }
    - kv: { key: copied, value: "{{ copied }}" }
`,
    }, ['web1'], { facts: factsWithCodename('{{ some_secret }}') });
    expect(await r.run(), JSON.stringify(failures(r))).to.equal(0);
    const store = kv(r, 'web1');
    expect(store.get('release')).to.equal('{{ some_secret }}');
    expect(store.get('through_var')).to.equal('release={{ some_secret }}');
    expect(store.get('through_facts')).to.equal('{{ some_secret }}');
    expect(store.get('copied')).to.equal('{{ some_secret }}');
    for (const v of store.values()) expect(v).not.to.include('hunter2');
  });

  it('an expensive template in a fact is not run (a nested range would keep the controller busy for hours)', async () => {
    const bomb = '{{#each (range 100000)}}{{#each (range 100000)}}x{{/each}}{{/each}}';
    const r = yamlRun({
      'site.yml': `
- hosts: all
  tasks:
    - kv: { key: release, value: "{{ ansible_distribution_release }}" }
    - kv: { key: when_ok, value: "yes" }
      when: ansible_distribution_release != ''
`,
    }, ['web1'], { facts: factsWithCodename(bomb) });
    expect(await r.run(), JSON.stringify(failures(r))).to.equal(0);
    expect(kv(r, 'web1').get('release')).to.equal(bomb);
    expect(kv(r, 'web1').get('when_ok')).to.equal('yes');
  });

  it('registered stdout holding {{ x }} stays text, also in a set_fact built from it', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  vars:
    x: rendered
  tasks:
    - command: hostile-output
      register: out
    - kv: { key: stdout, value: "{{ out.stdout }}" }
    - kv: { key: line, value: "{{ out.stdout_lines.[0] }}" }
    - set_fact: { derived: "got {{ out.stdout }}" }
    - kv: { key: derived, value: "{{ derived }}" }
`,
    }, ['web1']);
    hostPrints(r, '{{ x }}\n');
    expect(await r.run(), JSON.stringify(failures(r))).to.equal(0);
    expect(kv(r, 'web1').get('stdout')).to.equal('{{ x }}');
    expect(kv(r, 'web1').get('line')).to.equal('{{ x }}');
    expect(kv(r, 'web1').get('derived')).to.equal('got {{ x }}');
  });

  it("another host's hostvars (its facts, registered output and set_fact values) stay text", async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: true
  vars:
    some_secret: hunter2
  tasks:
    - command: hostile-output
      register: out
    - set_fact: { mine: "{{ out.stdout }}" }
- hosts: web1
  gather_facts: false
  vars:
    some_secret: hunter2
  tasks:
    - kv: { key: other_fact, value: "{{ hostvars.web2.ansible_distribution_release }}" }
    - kv: { key: other_out, value: "{{ hostvars.web2.out.stdout }}" }
    - kv: { key: other_set_fact, value: "{{ hostvars.web2.mine }}" }
`,
    }, ['web1', 'web2'], { facts: factsWithCodename('{{ some_secret }}') });
    hostPrints(r, '{{ some_secret }}');
    expect(await r.run(), JSON.stringify(failures(r))).to.equal(0);
    expect(failures(r)).to.deep.equal([]);
    const store = kv(r, 'web1');
    expect(store.get('other_fact')).to.equal('{{ some_secret }}');
    expect(store.get('other_out')).to.equal('{{ some_secret }}');
    expect(store.get('other_set_fact')).to.equal('{{ some_secret }}');
  });

  it('host output is never evaluated as a condition: assert that on it refuses, naming where and what to write', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  vars:
    some_secret: hunter2
  tasks:
    - command: hostile-output
      register: out
    - name: condition from the host
      assert: { that: "{{ out.stdout }}" }
      ignore_errors: true
`,
    }, ['web1']);
    // Evaluated, this guess would tell the host whether it was right (the assertion would pass).
    hostPrints(r, "some_secret == 'hunter2'");
    expect(await r.run(), JSON.stringify(failures(r))).to.equal(0);
    const assertResult = r.events.find((e): e is HostResultEvent => e.type === 'host_result' && e.task === 'condition from the host')!;
    expect(assertResult.status).to.equal('failed');
    expect(assertResult.msg).to.match(/came from a host/);
    expect(assertResult.msg).to.match(/site\.yml:\d+:\d+/);
    expect(assertResult.msg).to.include("that: out.stdout == 'x'");
  });

  it('debug var on host output prints that output as data, not the variable it names', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  vars:
    some_secret: hunter2
  tasks:
    - command: hostile-output
      register: out
    - name: variable name from the host
      debug: { var: "{{ out.stdout }}" }
`,
    }, ['web1']);
    hostPrints(r, 'some_secret');
    expect(await r.run(), JSON.stringify(failures(r))).to.equal(0);
    const debugResult = r.events.find((e): e is HostResultEvent => e.type === 'host_result' && e.task === 'variable name from the host')!;
    expect(debugResult.msg).to.equal('{{ out.stdout }}: some_secret');
  });

  it('a plain comparison on host output still works, and when / failed_when never evaluate host output', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: failed_when on host output
      command: hostile-output
      register: out
      failed_when: "{{ out.stdout }}"
      ignore_errors: true
    - assert: { that: "out.stdout == 'undefined_name_xyz'" }
    - kv: { key: ran, value: "yes" }
      when: "{{ out.stdout }}"
`,
    }, ['web1']);
    hostPrints(r, 'undefined_name_xyz');
    expect(await r.run(), JSON.stringify(failures(r))).to.equal(0);
    expect(kv(r, 'web1').get('ran')).to.equal('yes');
    // Evaluated as an expression, the output would be an undefined variable; as data it is just true.
    const f = r.events.find((e): e is HostResultEvent => e.type === 'host_result' && e.task === 'failed_when on host output')!;
    expect(f.msg).to.match(/failed_when held/);
  });
});
