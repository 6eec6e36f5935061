// include_tasks with a templated file name or a loop: the file is chosen per host (and item) when
// the task runs, then its tasks run for the hosts that chose it, from YAML as Ansible users write it.
import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { inputError } from '../yaml/helpers.js';
import { recapOf } from './harness.js';
import { loadTree, yamlRun, type YamlRun } from './yaml-play.js';

type HostResultEvent = Extract<RunEvent, { type: 'host_result' }>;
const results = (r: YamlRun, task: string): HostResultEvent[] =>
  r.events.filter((e): e is HostResultEvent => e.type === 'host_result' && e.task === task);
const kv = (r: YamlRun, host: string) => r.hosts.get(host)!.kv;

describe('dynamic include_tasks', () => {
  it('a templated file name picks a file per host; each file runs for the hosts that chose it', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: per-OS tasks
      include_tasks: "os/{{ os }}.yml"
    - kv: { key: after, value: done }
`,
      'os/debian.yml': '- kv: { key: os, value: "debian on {{ inventory_hostname }}" }\n',
      'os/redhat.yml': '- kv: { key: os, value: "redhat on {{ inventory_hostname }}" }\n- kv: { key: extra, value: rpm }\n',
    }, ['web1', 'web2', 'db1'], { hostVars: { web1: { os: 'debian' }, web2: { os: 'redhat' }, db1: { os: 'debian' } } });
    expect(await r.run()).to.equal(0);
    expect(kv(r, 'web1').get('os')).to.equal('debian on web1');
    expect(kv(r, 'db1').get('os')).to.equal('debian on db1');
    expect(kv(r, 'web2').get('os')).to.equal('redhat on web2');
    expect(kv(r, 'web2').get('extra')).to.equal('rpm');
    expect(kv(r, 'web1').has('extra')).to.equal(false);
    for (const h of ['web1', 'web2', 'db1']) expect(kv(r, h).get('after')).to.equal('done');
    const included = results(r, 'per-OS tasks');
    expect(included.map((e) => [e.host, e.status, e.msg?.replace(/^included: .*\/os\//, 'os/')])).to.deep.equal([
      ['web1', 'ok', 'os/debian.yml'], ['web2', 'ok', 'os/redhat.yml'], ['db1', 'ok', 'os/debian.yml'],
    ]);
    // The included debian.yml task ran once, for web1 and db1 together, before redhat.yml's.
    const starts = r.events.filter((e) => e.type === 'task_start').map((e) => (e.type === 'task_start' ? (e.hosts ?? []).join(',') : ''));
    expect(starts).to.deep.equal(['web1,web2,db1', 'web1,db1', 'web2', 'web2', 'web1,web2,db1']);
    expect(recapOf(r).hosts.web2).to.include({ ok: 4, changed: 3, failed: 0 });
  });

  it('a loop includes the file once per item, with the loop variable (loop_control.loop_var) inside', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: site-user.yml
      loop: "{{ sites }}"
      loop_control: { loop_var: site }
      when: site.enabled
      vars: { prefix: "vhost" }
`,
      'site-user.yml': '- kv: { key: "{{ prefix }}-{{ site.name }}", value: "{{ site.port }}" }\n',
    }, ['web1'], { hostVars: { web1: { sites: [{ name: 'shop', port: 80, enabled: true }, { name: 'old', port: 81, enabled: false }, { name: 'api', port: 8080, enabled: true }] } } });
    expect(await r.run()).to.equal(0);
    expect(Object.fromEntries(kv(r, 'web1'))).to.deep.equal({ 'vhost-shop': '80', 'vhost-api': '8080' });
    const items = results(r, 'include_tasks');
    expect(items.map((e) => e.status)).to.deep.equal(['ok', 'skipped', 'ok']);
  });

  it('a label that cannot be rendered fails that item on that host, not the run', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: one.yml
      loop: [a]
      loop_control: { label: "{{ nowhere }}" }
`,
      'one.yml': '- kv: { key: "{{ item }}", value: "1" }\n',
    }, ['web1']);
    expect(await r.run()).to.equal(2);
    const [only] = results(r, 'include_tasks');
    expect(only!.status).to.equal('failed');
    expect(only!.msg).to.contain('nowhere');
    expect(kv(r, 'web1').has('a')).to.equal(false);
  });

  it('a false when skips the include on that host only', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: "{{ 'extra.yml' }}"
      when: inventory_hostname == 'web2'
`,
      'extra.yml': '- kv: { key: extra, value: "yes" }\n',
    }, ['web1', 'web2']);
    expect(await r.run()).to.equal(0);
    expect(kv(r, 'web1').has('extra')).to.equal(false);
    expect(kv(r, 'web2').get('extra')).to.equal('yes');
    expect(recapOf(r).hosts.web1).to.include({ skipped: 1, ok: 0 });
  });

  it('a chosen file that does not exist, or does not parse, fails that host naming it; the others go on', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_tasks: "{{ which }}.yml"
    - kv: { key: after, value: done }
`,
      'good.yml': '- kv: { key: good, value: "yes" }\n',
      'bad.yml': '- kv: { key: x, value: y }\n  regsiter: out\n',
    }, ['web1', 'web2', 'web3'], { hostVars: { web1: { which: 'good' }, web2: { which: 'missing' }, web3: { which: 'bad' } } });
    expect(await r.run()).to.equal(2);
    const [w1, w2, w3] = ['web1', 'web2', 'web3'].map((h) => results(r, 'include_tasks').find((e) => e.host === h)!);
    expect(w1!.status).to.equal('ok');
    expect(w2!.status).to.equal('failed');
    expect(w2!.msg).to.match(/include_tasks: file not found: missing\.yml/);
    expect(w3!.status).to.equal('failed');
    expect(w3!.msg).to.match(/bad\.yml:2:3/);
    expect(kv(r, 'web1').get('after')).to.equal('done');
    expect(kv(r, 'web2').has('after')).to.equal(false);
  });

  it('a literal include_tasks without a loop is still read when the playbook loads (a bad file is refused before any host)', () => {
    const e = inputError(() => loadTree({
      'site.yml': '- hosts: all\n  tasks:\n    - include_tasks: bad.yml\n',
      'bad.yml': '- kv: { key: x, value: y }\n  regsiter: out\n',
    }));
    expect(e.loc?.file).to.match(/bad\.yml$/);
    expect([e.loc?.line, e.loc?.col]).to.deep.equal([2, 3]);
    expect(e.message).to.contain('regsiter');
  });

  it('loop_control without a loop is refused where it is written', () => {
    const e = inputError(() => loadTree({
      'site.yml': '- hosts: all\n  tasks:\n    - include_tasks: other.yml\n      loop_control: { loop_var: x }\n',
      'other.yml': '- kv: { key: x, value: y }\n',
    }));
    expect([e.loc?.line, e.loc?.col]).to.deep.equal([4, 7]);
    expect(e.message).to.contain('loop_control on include_tasks needs a loop');
  });

  it('import_tasks still refuses a loop and a template, pointing to include_tasks', () => {
    const e = inputError(() => loadTree({
      'site.yml': '- hosts: all\n  tasks:\n    - import_tasks: other.yml\n      loop: [1, 2]\n',
      'other.yml': '- kv: { key: x, value: y }\n',
    }));
    expect(e.loc?.file).to.match(/site\.yml$/);
    expect(e.message).to.contain('loop on import_tasks is not supported');
    expect(e.hint).to.contain('include_tasks');
  });
});
