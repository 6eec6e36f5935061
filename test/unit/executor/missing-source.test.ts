// A copy/template src missing on the controller fails its task when the task runs, as in Ansible:
// the run is not refused before connecting, a task skipped by `when` never looks for it, and
// ignore_errors lets the play go on. --syntax-check lists it as a warning (missingSources).
import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { missingSources } from '../../../src/playbook/controller-file.js';
import { loadTree, yamlRun } from './yaml-play.js';

type HostResultEvent = Extract<RunEvent, { type: 'host_result' }>;

const site = `
- hosts: all
  gather_facts: false
  tasks:
    - name: skipped
      template: { src: nosuch.j2, dest: /tmp/never }
      when: false
    - name: ignored
      copy: { src: nosuch.txt, dest: /tmp/never }
      ignore_errors: true
    - name: templated
      copy: { src: "{{ which }}.txt", dest: /tmp/never }
      when: false
    - kv: { key: after, value: reached }
`;

describe('executor: a missing copy/template src', () => {
  it('fails only its task when it runs: when skips it, ignore_errors catches it, the play goes on', async () => {
    const r = yamlRun({ 'site.yml': site }, ['web1']);
    expect(await r.run()).to.equal(0);
    const results = r.events.filter((e): e is HostResultEvent => e.type === 'host_result');
    expect(results.map((e) => [e.task, e.status])).to.deep.equal([['skipped', 'skipped'], ['ignored', 'failed'], ['templated', 'skipped'], ['kv', 'changed']]);
    expect(JSON.stringify(results[1])).to.match(/site\.yml:\d+:\d+: file 'nosuch\.txt' not found/);
    expect(r.hosts.get('web1')!.kv.get('after')).to.equal('reached');
  });

  it('a directory as copy src fails its task with what to do, not a bare EISDIR', async () => {
    const r = yamlRun({
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: { src: conf.d, dest: /tmp/x }\n      ignore_errors: true\n',
      'files/conf.d/a.conf': 'a',
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    const failed = r.events.filter((e): e is HostResultEvent => e.type === 'host_result' && e.status === 'failed');
    expect(failed).to.have.length(1);
    const text = JSON.stringify(failed[0]);
    expect(text).to.match(/site\.yml:4:7: src 'conf\.d' is a directory \(.*files\/conf\.d\): copy sends single files only/);
    expect(text).not.to.match(/EISDIR/);
  });

  it('--syntax-check finds each literal one (a templated src is not looked for), once per task', () => {
    const playbook = loadTree({ 'site.yml': site, 'templates/there.j2': 'x' });
    expect(missingSources(playbook).map((e) => e.message)).to.deep.equal(["template 'nosuch.j2' not found", "file 'nosuch.txt' not found"]);
    expect(missingSources(playbook)[0].describe()).to.match(/^.*site\.yml:5:7: template 'nosuch\.j2' not found\n {2}hint: looked in: .*templates\/nosuch\.j2, /);
    expect(missingSources(loadTree({ 'site.yml': site.replace('nosuch.j2', 'there.j2'), 'templates/there.j2': 'x' }))).to.have.length(1);
  });
});
