import { expect } from 'chai';
import { InputError } from '../../../src/core/errors.js';
import type { Vars } from '../../../src/core/types.js';
import type { RunEvent } from '../../../src/executor/events.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import type { ActionModule } from '../../../src/modules/types.js';
import { FakeHost, harness, inventory, kvModule, noteModule, play, recapOf, task, type Harness } from './harness.js';

/** set_fact's shape: an action whose arguments become host facts. */
const factModule: ActionModule<Record<string, unknown>> = {
  kind: 'action',
  name: 'fact',
  argNames: [],
  checkMode: 'run',
  parse: (raw) => raw,
  run: async (args) => ({ changed: false, facts: args }),
};

/** Which transport an action module was handed: the delegate's, while its vars stay the host's. */
const whereModule: ActionModule<Record<string, never>> = {
  kind: 'action',
  name: 'where',
  argNames: [],
  checkMode: 'run',
  parse: () => ({}),
  run: async (_args, ctx) => ({ changed: false, msg: `${String(ctx.vars.inventory_hostname)} via ${ctx.transport.host}`, data: { via: ctx.transport.host } }),
};

const MODULES = [kvModule, noteModule, factModule, whereModule];
const WEB_VARS: Record<string, Vars> = {
  web1: { ansible_host: '10.0.0.11', ansible_port: 2222, ansible_user: 'webadmin', ansible_become: true },
  web2: { ansible_host: '10.0.0.12' },
  redis1: { ansible_host: '10.0.0.5', ansible_user: 'ops' },
};

/** A harness whose inventory has connection vars, whose resolver records what it was asked, and which can reach localhost. */
function lab(plays: Parameters<typeof harness>[0], hosts: string[], opts: Parameters<typeof harness>[2] = {}, unreachable: string[] = []): Harness & { specs: { host: string; vars: Vars }[] } {
  const h = harness(plays, hosts, opts, unreachable, MODULES);
  h.ctx.inventory = inventory(hosts, { web: hosts.filter((n) => n.startsWith('web')), redis: ['redis1'] }, WEB_VARS);
  h.hosts.set('localhost', new FakeHost('localhost'));
  const specs: { host: string; vars: Vars }[] = [];
  const spec = h.ctx.resolver.spec;
  h.ctx.resolver = {
    spec: (host, vars) => {
      specs.push({ host, vars: { ...vars } });
      return spec(host, vars);
    },
    become: (vars) => (vars.ansible_become === true ? { user: 'root' } : undefined),
  };
  return Object.assign(h, { specs });
}

type Result = Extract<RunEvent, { type: 'host_result' }>;
const results = (h: Harness): Result[] => h.events.filter((e): e is Result => e.type === 'host_result');

describe('executor: delegate_to and local_action', () => {
  it('runs the task on the delegate with the host\'s variables, and reports it under the host as host -> delegate', async () => {
    const pb = [play([task('kv', { key: 'lb-{{inventory_hostname}}', value: 'out' }, { name: 'take out of the pool', delegateTo: 'redis1' })], { hosts: 'web' })];
    const h = lab(pb, ['redis1', 'web1', 'web2']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    const redis = h.hosts.get('redis1')!;
    expect([...redis.kv.entries()]).to.deep.equal([['lb-web1', 'out'], ['lb-web2', 'out']]);
    expect(h.hosts.get('web1')!.scripts, 'nothing ran on web1 itself').to.deep.equal([]);
    expect(results(h).map((r) => [r.host, r.delegate, r.status])).to.deep.equal([['web1', 'redis1', 'changed'], ['web2', 'redis1', 'changed']]);
    // The recap counts the hosts the task ran for; redis1 was never a host of this play.
    expect(Object.keys(recapOf(h).hosts).sort()).to.deep.equal(['web1', 'web2']);
    expect(recapOf(h).hosts.web1).to.include({ changed: 1 });
  });

  it('connects with the delegate\'s connection variables only, never the host\'s address, port, user or become', async () => {
    const pb = [play([task('where', {}, { delegateTo: 'redis1' })], { hosts: 'web1' })];
    const h = lab(pb, ['redis1', 'web1']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.specs.map((s) => s.host)).to.deep.equal(['redis1']);
    expect(h.specs[0]!.vars).to.deep.equal({ inventory_hostname: 'redis1', ansible_host: '10.0.0.5', ansible_user: 'ops' });
    const r = results(h)[0]!;
    expect(r.msg, 'the module saw web1 as inventory_hostname, on redis1\'s transport').to.equal('web1 via redis1');
  });

  it('extra vars reach the delegate\'s connection too (-e ansible_user=...), as in Ansible', async () => {
    const pb = [play([task('where', {}, { delegateTo: 'redis1' })], { hosts: 'web1' })];
    const h = lab(pb, ['redis1', 'web1'], { extraVars: { ansible_user: 'cli-user' } });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.specs[0]!.vars).to.include({ ansible_user: 'cli-user', ansible_host: '10.0.0.5' });
  });

  it('local_action (delegate_to: localhost) runs on the controller\'s connection; inventory_hostname stays the host', async () => {
    const pb = [play([task('kv', { key: 'marker-{{inventory_hostname}}', value: 'drained' }, { delegateTo: 'localhost' })], { hosts: 'web1' })];
    const h = lab(pb, ['redis1', 'web1']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('localhost')!.kv.get('marker-web1')).to.equal('drained');
    expect(h.connects).to.deep.equal(['localhost']);
    expect(results(h)[0]).to.include({ host: 'web1', delegate: 'localhost', status: 'changed' });
  });

  it('a delegate_to naming the host itself is an ordinary task', async () => {
    const pb = [play([task('kv', { key: 'a', value: '1' }, { delegateTo: '{{inventory_hostname}}' })], { hosts: 'web1' })];
    const h = lab(pb, ['redis1', 'web1']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.hosts.get('web1')!.kv.get('a')).to.equal('1');
    expect(results(h)[0]!.delegate).to.equal(undefined);
  });

  it('with run_once: one call per serial batch, on the delegate, its result registered on every host of the batch', async () => {
    const hosts = ['redis1', 'web1', 'web2', 'web3', 'web4'];
    const pb = [
      play(
        [
          task('kv', { key: 'ping-{{inventory_hostname}}', value: 'pong' }, { name: 'one Redis check per batch', delegateTo: 'redis1', runOnce: true, register: 'ping' }),
          task('kv', { key: 'saw', value: '{{ping.value}}' }),
        ],
        { hosts: 'web', serial: [2] },
      ),
    ];
    const h = lab(pb, hosts);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect([...h.hosts.get('redis1')!.kv.keys()]).to.deep.equal(['ping-web1', 'ping-web3']);
    for (const web of hosts.slice(1)) expect(h.hosts.get(web)!.kv.get('saw'), web).to.equal('pong');
    const checks = results(h).filter((r) => r.task === 'one Redis check per batch');
    expect(checks.map((r) => `${r.host} -> ${r.delegate}`)).to.deep.equal(['web1 -> redis1', 'web3 -> redis1']);
  });

  it('facts a delegated task sets go to the host it ran for; with delegate_facts, to the delegate', async () => {
    const pb = [
      play(
        [
          task('fact', { drained: 'yes' }, { delegateTo: 'redis1' }),
          task('fact', { seen_by: '{{inventory_hostname}}' }, { delegateTo: 'redis1', delegateFacts: true }),
        ],
        { hosts: 'web1' },
      ),
    ];
    const h = lab(pb, ['redis1', 'web1']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(h.ctx.states.get('web1')!.hostFacts).to.deep.equal({ drained: 'yes' });
    expect(h.ctx.states.get('redis1')!.hostFacts).to.deep.equal({ seen_by: 'web1' });
  });

  it('check mode: the delegate is probed, nothing is applied, and it forecasts from changes earlier plays would make on the delegate', async () => {
    const pb = [
      play([task('kv', { key: 'ready', value: 'yes' })], { hosts: 'redis1', name: 'prepare redis' }),
      play([task('kv', { key: 'conf-{{inventory_hostname}}', value: 'x', needs_ready: true }, { delegateTo: 'redis1' })], { hosts: 'web1', name: 'web' }),
    ];
    const h = lab(pb, ['redis1', 'web1'], { check: true });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    const redis = h.hosts.get('redis1')!;
    expect(redis.kv.size, 'check mode wrote nothing').to.equal(0);
    expect(redis.scripts).to.deep.equal(['get ready', 'get conf-web1']);
    const delegated = results(h).find((r) => r.host === 'web1')!;
    expect(delegated).to.include({ status: 'changed', delegate: 'redis1' });
    expect(delegated.changes?.[0]).to.match(/would change once earlier changes are applied/);
  });

  it('a literal delegate_to naming no inventory host is bad input before any connection, with a did-you-mean', async () => {
    const pb = [play([task('kv', { key: 'a', value: '1' }, { delegateTo: 'redis' })], { hosts: 'web1' })];
    const h = lab(pb, ['redis1', 'web1']);
    let err: unknown;
    try {
      await runPlaybook(h.ctx);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(InputError);
    expect((err as InputError).describe()).to.match(/play\.yml:1:1: delegate_to: 'redis' is not a host of the inventory[\s\S]*did you mean 'redis1'/);
    expect(h.connects).to.deep.equal([]);
  });

  it('a templated delegate_to naming no host fails that host\'s task, naming the name', async () => {
    const pb = [play([task('kv', { key: 'a', value: '1' }, { delegateTo: '{{lb}}', vars: { lb: 'lb9' } })], { hosts: 'web1' })];
    const h = lab(pb, ['redis1', 'web1']);
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(results(h)[0]!.msg).to.match(/delegate_to: 'lb9' is not a host of the inventory/);
  });

  it('an unreachable delegate makes the host unreachable, as in Ansible, and the message names the delegate', async () => {
    const pb = [play([task('kv', { key: 'a', value: '1' }, { delegateTo: 'redis1' })], { hosts: 'web1' })];
    const h = lab(pb, ['redis1', 'web1'], {}, ['redis1']);
    expect(await runPlaybook(h.ctx)).to.equal(4);
    expect(recapOf(h).hosts.web1).to.include({ unreachable: 1 });
    expect(results(h)[0]!.msg).to.match(/redis1/);
  });
});
