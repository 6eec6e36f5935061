// meta's play-level words (end_host, end_play, end_batch, clear_facts, clear_host_errors,
// reset_connection), add_host/group_by across plays, and async/poll with async_status, on fake hosts
// (and this machine's shell for the async job).
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { addHostModule } from '../../../src/modules/flow/add_host.js';
import { asyncStatusModule } from '../../../src/modules/flow/async_status.js';
import { failModule } from '../../../src/modules/flow/fail.js';
import { groupByModule } from '../../../src/modules/flow/group_by.js';
import { setFactModule } from '../../../src/modules/generic/set_fact.js';
import { shellModule } from '../../../src/modules/generic/shell.js';
import type { RemoteModule } from '../../../src/modules/types.js';
import { openLocal } from '../../../src/transport/local.js';
import { harness, inventory, kvModule, noteModule, play, recapOf, task, type Harness } from './harness.js';
import { yamlRun } from './yaml-play.js';

/** A fact-gathering stand-in: gives the host the fact color=blue. */
const gatherModule: RemoteModule<Record<string, never>> = {
  kind: 'remote', name: 'gather', argNames: [], parse: () => ({}), probe: () => ({ script: '' }),
  plan: () => ({ changes: [], steps: [], facts: { color: 'blue' } }),
};

const modules = [kvModule, noteModule, gatherModule, setFactModule, addHostModule, groupByModule, failModule, asyncStatusModule, shellModule];

function notes(h: Harness, host: string): string[] {
  return h.events.flatMap((e) => (e.type === 'host_result' && e.host === host && e.msg !== undefined && e.status === 'ok' ? [e.msg] : []));
}

describe('executor: flow (meta, add_host, group_by, async)', () => {
  it('meta end_host ends the play for the hosts whose when holds, without failing them; they are back for the next play', async () => {
    const first = play([task('meta', 'end_host', { when: ['stop'] }), task('kv', { key: 'a', value: '1' })]);
    const second = play([task('kv', { key: 'b', value: '2' })]);
    const h = harness([first, second], ['web1', 'web2'], {}, [], modules);
    h.ctx.inventory = inventory(['web1', 'web2'], {}, { web1: { stop: true } });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('web1')!.kv.has('a')).to.equal(false);
    expect(h.hosts.get('web2')!.kv.get('a')).to.equal('1');
    expect(h.hosts.get('web1')!.kv.get('b')).to.equal('2');
    expect(recapOf(h).hosts.web1).to.include({ failed: 0, changed: 1 });
  });

  it('ansible_play_hosts follows hosts leaving the play (failed, ended) and a new play brings ended ones back', async () => {
    // The list is shared between hosts and tasks until a host's state changes (play-run.ts): each change must show.
    const site = `
- hosts: all
  gather_facts: false
  tasks:
    - kv: { key: a, value: "{{ join ansible_play_hosts ',' }}" }
    - fail: { msg: down }
      when: boom | default(false)
    - kv: { key: b, value: "{{ join play_hosts ',' }}" }
    - meta: end_host
      when: stop | default(false)
    - kv: { key: c, value: "{{ join ansible_play_batch ',' }}" }
- hosts: all
  gather_facts: false
  tasks:
    - kv: { key: d, value: "{{ join ansible_play_hosts ',' }}" }
`;
    const r = yamlRun({ 'site.yml': site }, ['web1', 'web2', 'web3'], { hostVars: { web2: { boom: true }, web3: { stop: true } } });
    expect(await r.run()).to.not.equal(0);
    const kv = (host: string, key: string): string | undefined => r.hosts.get(host)!.kv.get(key);
    expect(kv('web1', 'a')).to.equal('web1,web2,web3');
    expect(kv('web1', 'b')).to.equal('web1,web3');
    expect(kv('web3', 'b')).to.equal('web1,web3');
    expect(kv('web1', 'c')).to.equal('web1');
    expect(kv('web3', 'c')).to.equal(undefined);
    expect(kv('web1', 'd')).to.equal('web1,web3');
    expect(kv('web3', 'd')).to.equal('web1,web3');
  });

  it('meta end_play ends the play for every host and its later batches; handlers do not run; the next play does', async () => {
    const handler = task('kv', { key: 'handled', value: 'y' }, { name: 'h' });
    const first = play([task('kv', { key: 'a', value: '1' }, { notify: ['h'] }), task('meta', 'end_play'), task('kv', { key: 'after', value: 'x' })], { serial: [1], handlers: [handler] });
    const second = play([task('kv', { key: 'b', value: '2' })]);
    const h = harness([first, second], ['web1', 'web2'], {}, [], modules);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('web1')!.kv.get('a')).to.equal('1');
    expect(h.hosts.get('web1')!.kv.has('after')).to.equal(false);
    expect(h.hosts.get('web1')!.kv.has('handled')).to.equal(false);
    // web2 was in the second batch: end_play ended it too.
    expect(h.hosts.get('web2')!.kv.has('a')).to.equal(false);
    expect(h.hosts.get('web2')!.kv.get('b')).to.equal('2');
    expect(h.events.some((e) => e.type === 'aborted')).to.equal(false);
  });

  it('meta end_batch ends only the current batch', async () => {
    const first = play([task('kv', { key: 'a', value: '1' }), task('meta', 'end_batch'), task('kv', { key: 'after', value: 'x' })], { serial: [1] });
    const h = harness([first], ['web1', 'web2'], {}, [], modules);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    for (const host of ['web1', 'web2']) {
      expect(h.hosts.get(host)!.kv.get('a')).to.equal('1');
      expect(h.hosts.get(host)!.kv.has('after')).to.equal(false);
    }
  });

  it('meta clear_facts forgets gathered facts; set_fact values stay', async () => {
    const tasks = [
      task('gather', {}), task('set_fact', { kept: 'yes' }),
      task('note', 'color={{ color }}'), task('meta', 'clear_facts'), task('note', 'color={{ color }} kept={{ kept }}'),
    ];
    const h = harness([play(tasks)], ['web1'], {}, [], modules);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(notes(h, 'web1')).to.include.members(['color=blue', 'color=undefined kept=yes']);
  });

  it('meta clear_host_errors lets a failed host run the later tasks; the recap still counts its failure', async () => {
    const tasks = [task('fail', { msg: 'no' }, { when: ['bad'] }), task('meta', 'clear_host_errors'), task('kv', { key: 'later', value: '1' })];
    const h = harness([play(tasks)], ['web1', 'web2'], {}, [], modules);
    h.ctx.inventory = inventory(['web1', 'web2'], {}, { web1: { bad: true } });
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(h.hosts.get('web1')!.kv.get('later')).to.equal('1');
    expect(recapOf(h).hosts.web1).to.include({ failed: 1, changed: 1 });
  });

  it('meta reset_connection closes the host connection: the next task connects again', async () => {
    const resets: string[] = [];
    const h = harness([play([task('kv', { key: 'a', value: '1' }), task('meta', 'reset_connection'), task('kv', { key: 'b', value: '1' })])], ['web1'], {}, [], modules);
    h.ctx.connections.reset = async (host) => void resets.push(host);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(resets).to.deep.equal(['web1']);
  });

  it('fail stops the host with its message, exit 2', async () => {
    const h = harness([play([task('fail', { msg: 'unsupported release' }), task('kv', { key: 'a', value: '1' })])], ['web1'], {}, [], modules);
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(h.events.find((e) => e.type === 'host_result' && e.status === 'failed')).to.deep.include({ msg: 'unsupported release' });
    expect(h.hosts.get('web1')!.kv.has('a')).to.equal(false);
  });

  it('add_host runs once and adds a host a later play targets by group, with its variables', async () => {
    const first = play([task('add_host', { name: 'extra', groups: ['fresh'], motd: 'from add_host' })], { hosts: 'web1' });
    const second = play([task('kv', { key: 'motd', value: '{{ motd }}' })], { hosts: 'fresh' });
    const h = harness([first, second], ['web1', 'web2', 'extra'], {}, [], modules);
    h.ctx.inventory = inventory(['web1', 'web2']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('extra')!.kv.get('motd')).to.equal('from add_host');
    expect(h.hosts.get('web1')!.kv.has('motd')).to.equal(false);
    expect(recapOf(h).hosts.extra).to.include({ changed: 1, failed: 0 });
    expect(h.events.filter((e) => e.type === 'host_result' && e.task === 'add_host')).to.have.length(1);
  });

  it('group_by puts each host in a group named from its variables; a later play targets the group, and groups sees it', async () => {
    const first = play([task('group_by', { key: 'role_{{ kind }}', parents: ['tiered'] })]);
    const second = play([task('kv', { key: 'tier', value: 'db' })], { hosts: 'role_db' });
    const third = play([task('kv', { key: 'tiered', value: 'yes' })], { hosts: 'tiered' });
    const h = harness([first, second, third], ['web1', 'db1'], {}, [], modules);
    h.ctx.inventory = inventory(['web1', 'db1'], {}, { web1: { kind: 'web' }, db1: { kind: 'db' } });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('db1')!.kv.get('tier')).to.equal('db');
    expect(h.hosts.get('web1')!.kv.has('tier')).to.equal(false);
    expect(h.hosts.get('web1')!.kv.get('tiered')).to.equal('yes');
    expect(h.ctx.inventory.groups.role_web).to.deep.equal(['web1']);
    expect(h.ctx.inventory.groupNames('db1')).to.deep.equal(['role_db', 'tiered']);
  });

  describe('async and poll on this machine', () => {
    let home: string;
    let saved: string | undefined;
    beforeEach(() => {
      home = mkdtempSync(join(tmpdir(), 'rb-async-exec-'));
      saved = process.env.HOME;
      process.env.HOME = home;
    });
    afterEach(() => {
      process.env.HOME = saved;
      rmSync(home, { recursive: true, force: true });
    });

    function local(plays: ReturnType<typeof play>[]): Harness {
      const h = harness(plays, ['web1'], {}, [], modules);
      const transport = openLocal('web1');
      h.ctx.connections.get = async () => transport;
      return h;
    }

    it('poll: 0 starts the command detached and registers its job; async_status until finished reads its output', async () => {
      const tasks = [
        task('shell', 'sleep 1; echo done', { async: 30, poll: 0, register: 'job' }),
        task('note', 'started={{ job.started }} finished={{ job.finished }}'),
        task('async_status', { jid: '{{ job.ansible_job_id }}' }, { register: 'st', until: 'st.finished', retries: 30, delay: 1 }),
        task('note', 'out={{ st.stdout }} rc={{ st.rc }}'),
      ];
      const h = local([play(tasks)]);
      expect(await runPlaybook(h.ctx)).to.equal(0);
      expect(notes(h, 'web1')).to.include.members(['started=1 finished=0', 'out=done rc=0']);
      const results = h.events.filter((e) => e.type === 'host_result');
      expect(results[0]).to.deep.include({ status: 'changed' });
      expect(results[2]).to.deep.include({ status: 'changed' });
    });

    it('poll > 0 runs in the foreground, and fails once async seconds have passed', async () => {
      const ok = local([play([task('shell', 'echo quick', { async: 30, poll: 1, register: 'r' }), task('note', 'out={{ r.stdout }}')])]);
      expect(await runPlaybook(ok.ctx)).to.equal(0);
      expect(notes(ok, 'web1')).to.include('out=quick');
      const slow = local([play([task('shell', 'sleep 20', { async: 1, poll: 1 })])]);
      expect(await runPlaybook(slow.ctx)).to.equal(2);
      expect(slow.events.find((e) => e.type === 'host_result' && e.status === 'failed')).to.deep.include({ msg: 'async task did not complete within the requested time - 1s' });
    });
  });
});
