// include_tasks with a templated file name or a loop: the file is chosen per host (and item) when
// the task runs, then its tasks run for the hosts that chose it, from YAML as Ansible users write it.
import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import { inputError } from '../yaml/helpers.js';
import { recapOf } from './harness.js';
import { formatLoc } from '../../../src/core/types.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { moduleNames } from '../../../src/modules/registry.js';
import { loadTree, modules, writeTree, yamlRun, type YamlRun } from './yaml-play.js';
import { join, relative } from 'node:path';

/** Loads as --syntax-check does: each problem behind a dynamic include as "file:line:col: message @ include's file:line:col". */
function loadTreeWarn(files: Record<string, string>) {
  const dir = writeTree(files);
  const warnings: string[] = [];
  const rel = (loc: Parameters<typeof formatLoc>[0]): string => relative(dir, formatLoc(loc));
  const book = loadPlaybook(join(dir, 'site.yml'), {
    modules, moduleNames: [...moduleNames(), 'kv'],
    warn: (p, at) => warnings.push(`${rel(p.loc)}: ${p.message} @ ${rel(at)}`),
  });
  return { book, warnings };
}

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

  it('a literal include_tasks is read when reached, as in Ansible: an OS-guarded file of unknown modules costs a Debian host nothing', async () => {
    const files = {
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - name: RedHat setup
      include_tasks: setup-RedHat.yml
      when: os_family == 'RedHat'
    - include_tasks: setup-Debian.yml
      when: os_family == 'Debian'
`,
      'setup-RedHat.yml': '- kv: { key: rh, value: "1" }\n- yum: { name: redis, state: present }\n',
      'setup-Debian.yml': '- kv: { key: deb, value: "1" }\n',
    };
    const r = yamlRun(files, ['deb1', 'rh1'], { hostVars: { deb1: { os_family: 'Debian' }, rh1: { os_family: 'RedHat' } } });
    expect(await r.run()).to.equal(2);
    expect(kv(r, 'deb1').get('deb')).to.equal('1');
    expect(recapOf(r).hosts.deb1).to.include({ failed: 0, skipped: 1 });
    // The host that reaches the file fails there, naming the unknown module's file:line:col; nothing of the file ran.
    const [rh] = results(r, 'RedHat setup').filter((e) => e.host === 'rh1');
    expect(rh!.status).to.equal('failed');
    expect(rh!.msg).to.match(/setup-RedHat\.yml:2:3: unknown module 'yum'/);
    expect(kv(r, 'rh1').has('rh')).to.equal(false);
  });

  it('the include\'s when is tested once, on the include, not again on each included task', async () => {
    const r = yamlRun({
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - include_tasks: once.yml\n      when: not (done | default(false))\n',
      'once.yml': '- set_fact: { done: true }\n- kv: { key: second, value: ran }\n',
    }, ['web1']);
    expect(await r.run()).to.equal(0);
    expect(kv(r, 'web1').get('second')).to.equal('ran');
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

describe('dynamic include_role', () => {
  const role = (name: string, tasks: string, handlers?: string): Record<string, string> => ({
    [`roles/${name}/tasks/main.yml`]: tasks,
    ...(handlers ? { [`roles/${name}/handlers/main.yml`]: handlers } : {}),
  });

  it('is expanded when reached: a guarded role of unknown modules is skipped, a reached one runs and its handlers fire', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_role: { name: rhel_only }
      when: os_family == 'RedHat'
    - include_role: { name: web, tasks_from: setup }
      vars: { port: 8080 }
`,
      ...role('rhel_only', '- dnf: { name: httpd }\n'),
      'roles/web/tasks/setup.yml': '- kv: { key: port, value: "{{ port }}" }\n  notify: restart web\n',
      ...role('web', '- kv: { key: main, value: "1" }\n', '- name: restart web\n  kv: { key: restarted, value: "yes" }\n'),
    }, ['deb1'], { hostVars: { deb1: { os_family: 'Debian' } } });
    expect(await r.run()).to.equal(0);
    expect(Object.fromEntries(kv(r, 'deb1'))).to.deep.equal({ port: '8080', restarted: 'yes' });
    expect(results(r, 'include_role').map((e) => [e.status, e.msg])).to.deep.equal([['skipped', "conditional result was False: os_family == 'RedHat'"], ['ok', 'included: role web']]);
  });

  it('a loop includes the role once per item; a missing role fails only the host that reaches it', async () => {
    const r = yamlRun({
      'site.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - include_role: { name: site }
      loop: [a, b]
    - include_role: { name: nowhere }
      when: inventory_hostname == 'web2'
`,
      ...role('site', '- kv: { key: "site-{{ item }}", value: "1" }\n'),
    }, ['web1', 'web2']);
    expect(await r.run()).to.equal(2);
    expect([...kv(r, 'web1').keys()]).to.deep.equal(['site-a', 'site-b']);
    const failedOn = results(r, 'include_role').filter((e) => e.status === 'failed');
    expect(failedOn.map((e) => e.host)).to.deep.equal(['web2']);
    expect(failedOn[0]!.msg).to.contain("role 'nowhere' not found");
  });
});

describe('--syntax-check and dynamic includes', () => {
  const probe = (files: Record<string, string>): { book: ReturnType<typeof loadTreeWarn>['book']; warnings: string[] } => loadTreeWarn(files);

  it('reads every file a templated include can name; what is wrong there is a warning naming file:line:col, not an error', () => {
    const { warnings } = probe({
      'site.yml': '- hosts: all\n  tasks:\n    - include_tasks: "setup-{{ ansible_os_family }}.yml"\n    - include_tasks: missing.yml\n      when: false\n',
      'setup-Debian.yml': '- kv: { key: a, value: b }\n',
      'setup-RedHat.yml': '- kv: { key: a, value: b }\n- yum: { name: x }\n',
      'setup-Suse.yml': '- kv: { key: a, value: b }\n  regsiter: x\n',
    });
    expect(warnings).to.have.length(3);
    expect(warnings[0]).to.match(/setup-RedHat\.yml:2:3: unknown module 'yum' @ site\.yml:3:7$/);
    expect(warnings[1]).to.match(/setup-Suse\.yml:2:3: .*regsiter.* @ site\.yml:3:7$/);
    expect(warnings[2]).to.match(/include_tasks: file not found: missing\.yml @ site\.yml:4:7$/);
  });

  it('an error outside dynamic includes is still an error', () => {
    const e = inputError(() => loadTreeWarn({ 'site.yml': '- hosts: all\n  tasks:\n    - import_tasks: bad.yml\n', 'bad.yml': '- yum: { name: x }\n' }));
    expect(e.message).to.contain("unknown module 'yum'");
  });

  it('an include_role is read now as far as it can be: its problems are warnings too', () => {
    const { warnings } = probe({
      'site.yml': '- hosts: all\n  tasks:\n    - include_role: { name: rh }\n      when: false\n',
      'roles/rh/tasks/main.yml': '- dnf: { name: x }\n',
    });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.match(/main\.yml:1:3: unknown module 'dnf' @ site\.yml:3:7$/);
  });
});
