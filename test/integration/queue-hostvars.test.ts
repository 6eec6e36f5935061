// Issue 15, linear semantics: `hostvars` of hosts run by other workers. A host's set_fact and
// register values are saved in Redis when its job ends, and a later play on another job (another
// worker, here) reads them as hostvars (docs/distributed.md). Real redis-server, two real workers;
// the hosts use connection local, so no lab host is needed.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { REPO, runbook } from './support/runbook.js';

const PLAYBOOK = (dir: string): string => `
- name: each host learns something
  hosts: all
  gather_facts: false
  tasks:
    - name: a fact
      set_fact: { colour: "{{ inventory_hostname }}-blue" }
    - name: a registered result
      command: echo "{{ inventory_hostname }}-said"
      register: said
      changed_when: false

- name: each host reads the others
  hosts: all
  gather_facts: false
  tasks:
    - name: what the other hosts learnt
      copy:
        dest: ${dir}/{{ inventory_hostname }}.txt
        content: |
          {% for h in groups['all'] | difference([inventory_hostname]) | sort %}
          {{ h }} {{ hostvars[h].colour }} {{ hostvars[h].said.stdout }}
          {% endfor %}
`;

describe('queue: hostvars of hosts on other workers (real Redis, two workers)', function () {
  this.timeout(300_000);
  let dir: string;
  let redis: RedisServer;
  const workers: ChildProcess[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-queue-hostvars-'));
    redis = await startRedis();
    writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    alpha: { ansible_connection: local }\n    beta: { ansible_connection: local }\n    gamma: { ansible_connection: local }\n');
    // .j2 beside the play would decide the dialect; an ansible.cfg does it for a lone playbook.
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\n');
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK(dir));
    for (const name of ['hv-w1', 'hv-w2']) {
      const home = join(dir, name);
      mkdirSync(home);
      workers.push(
        spawn(process.execPath, [join(REPO, 'bin/runbook.js'), 'worker', '--queue', redis.url, '--name', name, '-c', '1', '--cache-dir', join(home, 'cache')], {
          cwd: home, env: { ...process.env, RUNBOOK_QUEUE_PASSWORD: redis.userPassword, NO_COLOR: '1' }, stdio: 'ignore',
        }),
      );
    }
  });

  after(async () => {
    for (const w of workers) {
      if (w.exitCode === null && w.signalCode === null) {
        w.kill('SIGKILL');
        await new Promise((r) => w.once('exit', r));
      }
    }
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("a later play reads every other host's set_fact and register values, whichever worker ran them", async () => {
    const r = await runbook(['apply', join(dir, 'site.yml'), '-i', join(dir, 'inventory.yml'), '--queue', redis.url, '--json'], {
      cwd: dir, env: { RUNBOOK_QUEUE_PASSWORD: redis.userPassword },
    });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(readFileSync(join(dir, 'alpha.txt'), 'utf8')).to.equal('beta beta-blue beta-said\ngamma gamma-blue gamma-said\n');
    expect(readFileSync(join(dir, 'beta.txt'), 'utf8')).to.equal('alpha alpha-blue alpha-said\ngamma gamma-blue gamma-said\n');
    expect(readFileSync(join(dir, 'gamma.txt'), 'utf8')).to.equal('alpha alpha-blue alpha-said\nbeta beta-blue beta-said\n');
    const ran = new Set(r.events.filter((e) => e.type === 'host_result').map((e) => (e as { worker?: string }).worker));
    expect([...ran].every((w) => w === 'hv-w1' || w === 'hv-w2'), [...ran].join(',')).to.equal(true);
  });
});
