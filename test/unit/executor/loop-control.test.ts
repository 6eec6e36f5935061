// loop_control's extended (ansible_loop) and pause, and until's attempts, as Ansible 2.14 gives them.
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localHosts, registeredOn } from './local-hosts.js';
import { yamlRun } from './yaml-play.js';

describe('loop_control extended and pause', () => {
  it('ansible_loop says where each item stands; registered results carry it', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - kv: { key: "k{{ ansible_loop.index }}", value: "{{ ansible_loop.index0 }} {{ ansible_loop.revindex }} {{ ansible_loop.revindex0 }} {{ ansible_loop.first }} {{ ansible_loop.last }} {{ ansible_loop.length }} {{ ansible_loop.allitems.[1] }}" }
      loop: [a, b, c]
      loop_control: { extended: true }
      register: r
    - kv: { key: neighbours, value: "{{ r.results.[1].ansible_loop.previtem }}-{{ r.results.[1].ansible_loop.nextitem }}" }
`,
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    const kv = r.hosts.get('web1')!.kv;
    expect(kv.get('k1')).to.equal('0 3 2 true false 3 b');
    expect(kv.get('k3')).to.equal('2 1 0 false true 3 b');
    expect(kv.get('neighbours')).to.equal('a-c');
    const results = (r.ctx.states.get('web1')!.hostFacts.r as { results: { ansible_loop: Record<string, unknown> }[] }).results;
    // No previtem on the first item, no nextitem on the last, as in Ansible.
    expect(results[0]!.ansible_loop).not.to.have.property('previtem');
    expect(results[2]!.ansible_loop).not.to.have.property('nextitem');
  });

  it('extended_allitems: false leaves allitems out; without extended there is no ansible_loop', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - note: "{{ ansible_loop.length }}"
      loop: [a, b]
      loop_control: { extended: true, extended_allitems: false }
      register: r
    - note: x
      loop: [a]
      register: plain
`,
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    const facts = r.ctx.states.get('web1')!.hostFacts as Record<string, { results: Record<string, Record<string, unknown>>[] }>;
    expect(facts.r!.results[0]!.ansible_loop).to.include({ length: 2, index: 1 }).and.not.to.have.property('allitems');
    expect(facts.plain!.results[0]).not.to.have.property('ansible_loop');
  });

  it('pause waits between items (a lower bound: never less than the pauses asked for)', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - note: "{{ item }}"
      loop: [1, 2, 3]
      loop_control: { pause: 0.1 }
`,
    }, ['web1']);
    const started = Date.now();
    expect(await r.run()).to.equal(0);
    expect(Date.now() - started).to.be.at.least(200);
  });
});

describe('until, retries, delay', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'runbook-until-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const counter = (d: string): string => `n=$(cat ${d}/n 2>/dev/null || echo 0); echo $((n + 1)) > ${d}/n; echo $n`;

  it('retries until the condition holds; the result holds attempts, which until sees too', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: count
      shell: "${counter(dir)}"
      register: r
      until: r.stdout == '2' and r.attempts == 3
      retries: 5
      delay: 0
`,
    }, ['web1']);
    localHosts(r);
    expect(await r.run()).to.equal(0);
    expect(registeredOn(r, 'web1', 'r')).to.include({ stdout: '2', attempts: 3, failed: false });
    // Two FAILED - RETRYING events before the third attempt held.
    expect(r.events.filter((e) => e.type === 'host_retry').map((e) => e.type === 'host_retry' && e.left)).to.deep.equal([5, 4]);
  });

  it('fails after retries + 1 attempts, with attempts in the result', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: never
      shell: "${counter(dir)}"
      register: r
      until: r.stdout == 'never'
      retries: 2
      delay: 0
      ignore_errors: true
`,
    }, ['web1']);
    localHosts(r);
    expect(await r.run()).to.equal(0);
    expect(registeredOn(r, 'web1', 'r')).to.include({ attempts: 3, failed: true, stdout: '2' });
    const shown = r.events.find((e) => e.type === 'host_result' && e.task === 'never');
    expect(shown && shown.type === 'host_result' && shown.msg).to.contain("'until' condition never held after 3 attempts");
  });
});
