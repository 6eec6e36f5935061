// Who wins for the login user and the known_hosts file, through the real wiring: the inventory's
// ansible_user beats a play's remote_user, which beats -u; --known-hosts beats the inventory.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { buildContext } from '../../../src/cli/wiring.js';
import { defaultRunOptions, type RunOptions } from '../../../src/executor/options.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import type { Play } from '../../../src/playbook/types.js';
import type { ConnectionSpec } from '../../../src/transport/types.js';
import { FakeHost, inventory, kvModule, play, task } from './harness.js';

interface Seen {
  specs: Record<string, ConnectionSpec>;
  /** Per host, the sudo target of each set command in task order ('-' without become). */
  become: Record<string, string[]>;
}

async function run(p: Play, connection: Partial<RunOptions['connection']>, hostVars: Record<string, Record<string, unknown>>): Promise<Seen> {
  const hosts = Object.keys(hostVars);
  const options: RunOptions = { ...defaultRunOptions(), connection: { ...defaultRunOptions().connection, ...connection } };
  const ctx = buildContext({ options, inventory: inventory(hosts, {}, hostVars), playbook: { file: 'play.yml', dir: '.', plays: [p] }, json: true, out: new PassThrough() });
  const seen: Seen = { specs: {}, become: {} };
  ctx.connections = {
    async get(host, spec) {
      seen.specs[host] = spec;
      const fake = new FakeHost(host);
      const exec = fake.exec.bind(fake);
      fake.exec = async (script, options) => {
        if (script.startsWith('set ')) (seen.become[host] ??= []).push(options?.become?.user ?? '-');
        return exec(script, options);
      };
      return fake;
    },
    async closeAll() {},
  };
  ctx.modules = (name) => (name === 'kv' ? kvModule : undefined);
  expect(await runPlaybook(ctx)).to.equal(0);
  return seen;
}
const specsFor = async (...args: Parameters<typeof run>) => (await run(...args)).specs;

describe('connection keywords and their precedence', () => {
  const tasks = [task('kv', { key: 'a', value: '1' })];
  const hostVars = { pinned: { ansible_user: 'from-inventory' }, free: {} };

  it("connection: local on a play or a task runs on the controller; the inventory's ansible_connection wins", async () => {
    const byPlay = await specsFor(play(tasks, { connection: 'local' }), {}, { viaKeyword: {}, pinned: { ansible_connection: 'ssh' } });
    expect(byPlay.viaKeyword!.connection).to.equal('local');
    expect(byPlay.pinned!.connection).to.equal('ssh');
    const byTask = await specsFor(play([task('kv', { key: 'a', value: '1' }, { connection: 'local' })]), {}, { h: {} });
    expect(byTask.h!.connection).to.equal('local');
    const plain = await specsFor(play(tasks), {}, { h: {} });
    expect(plain.h!.connection).to.equal('ssh');
  });

  it("the inventory's ansible_user beats a play's remote_user, which beats -u", async () => {
    const specs = await specsFor(play(tasks, { remoteUser: 'from-play' }), { user: 'from-cli' }, hostVars);
    expect(specs.pinned!.user).to.equal('from-inventory');
    expect(specs.free!.user).to.equal('from-play');
  });

  it('without remote_user, -u (or runbook.cfg) is the login user where the inventory sets none', async () => {
    const specs = await specsFor(play(tasks), { user: 'from-cli' }, hostVars);
    expect(specs.pinned!.user).to.equal('from-inventory');
    expect(specs.free!.user).to.equal('from-cli');
  });

  it("--known-hosts beats the inventory's ssh_known_hosts_file; runbook.cfg's known_hosts_file does not", async () => {
    const vars = { h: { ssh_known_hosts_file: '/inventory/known_hosts' }, other: {} };
    const fromCli = await specsFor(play(tasks), { knownHostsOverride: '/cli/known_hosts', knownHostsFile: '/cli/known_hosts' }, vars);
    expect(fromCli.h!.knownHostsFile).to.equal('/cli/known_hosts');
    expect(fromCli.other!.knownHostsFile).to.equal('/cli/known_hosts');
    const fromConfig = await specsFor(play(tasks), { knownHostsFile: '/cfg/known_hosts' }, vars);
    expect(fromConfig.h!.knownHostsFile).to.equal('/inventory/known_hosts');
    expect(fromConfig.other!.knownHostsFile).to.equal('/cfg/known_hosts');
  });

  it('-b and --become-user are defaults: ansible_become_user beats --become-user, and become/become_user keywords beat both', async () => {
    const t = [
      task('kv', { key: 'plain', value: '1' }),
      task('kv', { key: 'off', value: '1' }, { become: false }),
      task('kv', { key: 'other', value: '1' }, { becomeUser: 'kw-user' }),
    ];
    const vars = { pinned: { ansible_become_user: 'inv-user' }, free: {} };
    // harness.ts's play() writes become: false; these plays leave the keyword out, as most do.
    const unset = play(t, { become: undefined });
    const cli = await run(unset, { become: true, becomeUser: 'cli-user' }, vars);
    expect(cli.become.free).to.deep.equal(['cli-user', '-', 'kw-user']);
    expect(cli.become.pinned).to.deep.equal(['inv-user', '-', 'kw-user']);
    // become_user alone does not turn become on.
    const none = await run(unset, {}, vars);
    expect(none.become.free).to.deep.equal(['-', '-', '-']);
    const playOff = await run(play(t, { become: false }), { become: true }, { free: {} });
    expect(playOff.become.free).to.deep.equal(['-', '-', '-']);
  });

  it('become_user is templated with the host\'s variables, as Ansible users write it', async () => {
    const t = [task('kv', { key: 'a', value: '1' }, { become: true, becomeUser: '{{ app_user }}' })];
    const seen = await run(play(t), {}, { web1: { app_user: 'www-data' }, web2: { app_user: 'nginx' } });
    expect(seen.become).to.deep.equal({ web1: ['www-data'], web2: ['nginx'] });
  });
});
