// rabbitmq_plugin, rabbitmq_user and rabbitmq_vhost against Debian's rabbitmq-server on one lab host
// (a lab root carrying it: Erlang is too heavy to install in every run), written the way
// ansible-examples' rabbitmq play is: --check changes nothing, the run converges, a second run
// reports changed=0, and the passwords never show in the output or in the host's process list.
import { expect } from 'chai';
import { oneHostLab, type OneHost } from './support/one-host.js';
import { describeRun, totalChanged } from './support/runbook.js';

const PASSWORD = 'mq#Pw "one" & two';
const NEW_PASSWORD = 'second-Mq=42';

const tasks = (password: string, update: 'on_create' | 'always' = 'on_create'): unknown[] => [
  { name: 'broker running', service: { name: 'rabbitmq-server', state: 'started' } },
  { name: 'enable rabbitmq plugins', rabbitmq_plugin: 'names=rabbitmq_management,rabbitmq_tracing state=enabled' },
  {
    name: 'add users',
    rabbitmq_user: {
      user: '{{ item }}', password, update_password: update, tags: 'administrator,{{ item }}', vhost: '/', configure_priv: '.*', write_priv: '.*', read_priv: '.*', state: 'present',
    },
    loop: ['user1', 'user2'],
  },
  { name: 'remove default guest user', rabbitmq_user: 'user=guest state=absent' },
  { name: 'ensure vhost /test is present', rabbitmq_vhost: 'name=/test state=present' },
  { name: 'a reader on /test', rabbitmq_user: { user: 'reader', permissions: [{ vhost: '/test', read_priv: '.*' }] } },
];

describe('rabbitmq modules on a lab host (rabbitmq_plugin, rabbitmq_user, rabbitmq_vhost)', function () {
  this.timeout(900_000);
  let h: OneHost;
  const ctl = (args: string): Promise<string> => h.sh(`rabbitmqctl -q ${args}`);
  before(async () => {
    h = await oneHostLab({ host: 'mq1', groups: ['mq'], prefix: 'rabbitmq', extraPackages: ['rabbitmq-server'] });
  });
  after(() => h?.cleanup());

  it('--check forecasts and changes nothing', async () => {
    const run = await h.play('rabbitmq', tasks(PASSWORD), '--check', '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.be.greaterThan(4);
    expect(JSON.parse(await ctl('list_users --formatter json')).map((u: { user: string }) => u.user)).to.deep.equal(['guest']);
    expect(await h.sh('rabbitmq-plugins -q list -E -m')).to.equal('');
  });

  it('converges with the passwords in neither the output nor the process list, then changed=0', async () => {
    await h.sh('rm -f /run/rb-ps; (while [ ! -e /run/rb-ps.stop ]; do nice -n 10 ps -ww -eo args= >> /run/rb-ps; done) >/dev/null 2>&1 </dev/null & echo started');
    const first = await h.play('rabbitmq', tasks(PASSWORD), '--json');
    await h.sh('touch /run/rb-ps.stop; sleep 1; rm -f /run/rb-ps.stop');
    expect(first.code, describeRun(first)).to.equal(0);
    expect(Number((await h.sh('grep -c . /run/rb-ps')).trim())).to.be.greaterThan(10);
    expect(await h.sh(`grep -cF -- ${JSON.stringify('"one" & two')} /run/rb-ps || :`)).to.equal('0\n');
    expect(first.stdout).to.not.include('"one" & two');

    const users = JSON.parse(await ctl('list_users --formatter json')) as { user: string; tags: string[] }[];
    expect(users.map((u) => u.user).sort()).to.deep.equal(['reader', 'user1', 'user2']);
    expect(users.find((u) => u.user === 'user1')!.tags.sort()).to.deep.equal(['administrator', 'user1']);
    expect(JSON.parse(await ctl('list_user_permissions user2 --formatter json'))).to.deep.equal([{ vhost: '/', configure: '.*', write: '.*', read: '.*' }]);
    expect(JSON.parse(await ctl('list_user_permissions reader --formatter json'))).to.deep.equal([{ vhost: '/test', configure: '^$', write: '^$', read: '.*' }]);
    expect(JSON.parse(await ctl('list_vhosts name --formatter json')).map((v: { name: string }) => v.name).sort()).to.deep.equal(['/', '/test']);
    expect((await h.sh('rabbitmq-plugins -q list -E -m')).split('\n').filter(Boolean).sort()).to.deep.equal(['rabbitmq_management', 'rabbitmq_tracing']);
    expect(await h.sh(`printf '%s\\n' ${JSON.stringify(PASSWORD)} | rabbitmqctl -q authenticate_user user1 >/dev/null && echo ok`)).to.equal('ok\n');

    const again = await h.play('rabbitmq', tasks(PASSWORD), '--json');
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('update_password: always changes a password that differs, and only then', async () => {
    const run = await h.play('rabbitmq', tasks(NEW_PASSWORD, 'always'), '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    // One task (looped over both users) changed: the recap counts tasks, as Ansible's does.
    expect(totalChanged(run)).to.equal(1);
    expect(await h.sh(`printf '%s\\n' ${JSON.stringify(NEW_PASSWORD)} | rabbitmqctl -q authenticate_user user1 >/dev/null && echo ok`)).to.equal('ok\n');
    expect(await h.sh(`printf '%s\\n' ${JSON.stringify(NEW_PASSWORD)} | rabbitmqctl -q authenticate_user user2 >/dev/null && echo ok`)).to.equal('ok\n');
    const check = await h.play('rabbitmq', tasks(NEW_PASSWORD, 'always'), '--check', '--json');
    expect(totalChanged(check), describeRun(check)).to.equal(0);
  });
});
