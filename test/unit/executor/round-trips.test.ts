// Issue 6's cost model: a task that changes nothing costs one command on the host (the probe), then
// a local decision. Real modules, the real executor and wiring, run by /bin/sh in a temp dir per host.
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { buildContext } from '../../../src/cli/wiring.js';
import type { RunEvent } from '../../../src/executor/events.js';
import { defaultRunOptions } from '../../../src/executor/options.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { loadInventory } from '../../../src/inventory/load.js';
import { loadPlaybook } from '../../../src/playbook/load.js';
import { openLocal } from '../../../src/transport/local.js';
import { ConnectionPool } from '../../../src/transport/pool.js';
import type { Transport } from '../../../src/transport/types.js';

const HOSTS = ['h1', 'h2', 'h3'];

const PLAYBOOK = `
- hosts: all
  gather_facts: false
  tasks:
    - name: a directory
      file: { path: "{{ root }}/{{ inventory_hostname }}/etc", state: directory, mode: "0755" }
    - name: a file
      copy: { dest: "{{ root }}/{{ inventory_hostname }}/etc/app.conf", content: "port = 8080\\n", mode: "0644" }
    - name: a line
      lineinfile: { path: "{{ root }}/{{ inventory_hostname }}/etc/limits.conf", line: "workers = 4", create: true }
    - name: a template
      template: { src: motd.hbs, dest: "{{ root }}/{{ inventory_hostname }}/etc/motd" }
    - name: a command guarded by creates
      command:
        cmd: touch {{ root }}/{{ inventory_hostname }}/initialised
        creates: "{{ root }}/{{ inventory_hostname }}/initialised"
    - name: a symlink
      file: { src: "{{ root }}/{{ inventory_hostname }}/etc/app.conf", dest: "{{ root }}/{{ inventory_hostname }}/app.conf", state: link }
    - name: a bare command, no probe before it
      command: cat {{ root }}/{{ inventory_hostname }}/etc/app.conf
      changed_when: false
`;

interface Counted {
  /** host -> task -> commands sent to the host while that task ran. */
  execs: Map<string, Map<string, number>>;
  events: RunEvent[];
  code: number;
}

async function run(dir: string, probeBatch?: number): Promise<Counted> {
  const playbook = loadPlaybook(join(dir, 'site.yml'));
  const inventory = loadInventory(join(dir, 'inventory.yml'));
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const ctx = buildContext({ options: { ...defaultRunOptions(), ...(probeBatch ? { probeBatch } : {}) }, inventory, playbook, json: true, out: sink });
  const events: RunEvent[] = [];
  const current = new Map<string, string>();
  const execs = new Map<string, Map<string, number>>();
  const emit = ctx.emit;
  ctx.emit = (e) => {
    if (e.type === 'host_start') current.set(e.host, e.task);
    events.push(e);
    emit(e);
  };
  // The local transport with a counter in front: every exec is one round trip over SSH.
  ctx.connections = new ConnectionPool(async (spec): Promise<Transport> => {
    const inner = openLocal(spec.name);
    return {
      host: inner.host,
      exec: (script, options) => {
        const task = current.get(spec.name) ?? '(none)';
        const perTask = execs.get(spec.name) ?? new Map<string, number>();
        perTask.set(task, (perTask.get(task) ?? 0) + 1);
        execs.set(spec.name, perTask);
        return inner.exec(script, options);
      },
      forward: (address, port) => inner.forward(address, port),
      close: () => inner.close(),
    };
  });
  const code = await runPlaybook(ctx);
  return { execs, events, code };
}

describe('executor: one round trip per unchanged task', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-round-trips-'));
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
    writeFileSync(join(dir, 'motd.hbs'), 'Welcome to {{inventory_hostname}}\n');
    const hosts = HOSTS.map((h) => `    ${h}: { ansible_connection: local }`).join('\n');
    writeFileSync(join(dir, 'inventory.yml'), `all:\n  vars:\n    root: ${join(dir, 'hosts')}\n  hosts:\n${hosts}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the first run changes every task; with --probe-batch 1 the re-run sends exactly one command per host per task', async () => {
    const first = await run(dir, 1);
    expect(first.code).to.equal(0);
    const firstResults = first.events.filter((e) => e.type === 'host_result');
    expect(firstResults).to.have.length(7 * HOSTS.length);
    // The bare command reports ok (changed_when: false) and costs one command, its own; every other task changed,
    // which costs more than probing: at least one apply step after the probe.
    expect(firstResults.filter((e) => e.type === 'host_result' && e.status === 'changed')).to.have.length(6 * HOSTS.length);
    for (const h of HOSTS) {
      const perTask = first.execs.get(h)!;
      expect(perTask.get('a bare command, no probe before it')).to.equal(1);
      for (const [task, n] of perTask) if (!task.startsWith('a bare command')) expect(n, task).to.be.greaterThan(1);
    }

    const second = await run(dir, 1);
    expect(second.code).to.equal(0);
    const results = second.events.filter((e) => e.type === 'host_result');
    expect(results.map((e) => (e.type === 'host_result' ? e.status : ''))).to.deep.equal(Array(7 * HOSTS.length).fill('ok'));
    for (const h of HOSTS) {
      const perTask = second.execs.get(h)!;
      expect([...perTask.keys()]).to.have.length(7);
      expect([...perTask.values()], h).to.deep.equal([1, 1, 1, 1, 1, 1, 1]);
    }
  });

  it('by default the re-run reads each host once for all its probes: one command for six tasks, plus the bare command', async () => {
    const again = await run(dir);
    expect(again.code).to.equal(0);
    const results = again.events.filter((e) => e.type === 'host_result');
    expect(results.map((e) => (e.type === 'host_result' ? e.status : ''))).to.deep.equal(Array(7 * HOSTS.length).fill('ok'));
    for (const h of HOSTS) {
      const perTask = again.execs.get(h)!;
      expect(Object.fromEntries(perTask), h).to.deep.equal({ 'a directory': 1, 'a bare command, no probe before it': 1 });
    }
    const recap = again.events.find((e) => e.type === 'recap');
    expect(recap?.type === 'recap' && recap.probes).to.deep.equal({ commands: HOSTS.length, answered: 6 * HOSTS.length, readAhead: 5 * HOSTS.length, dropped: 0 });
  });
});
