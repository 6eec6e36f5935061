// rabbitmq_user, rabbitmq_vhost and rabbitmq_plugin planned from canned rabbitmqctl / rabbitmq-plugins
// output (3.10's --formatter json, as Debian 12 prints it): the commands each would run, none when
// the broker already matches, and a password that only ever travels on stdin.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { parseRabbitmqPluginArgs, planRabbitmqPlugin, rabbitmqPluginModule } from '../../../../src/modules/system/rabbitmq_plugin.js';
import { parseRabbitmqUserArgs, planRabbitmqUser, rabbitmqUserProbe } from '../../../../src/modules/system/rabbitmq_user.js';
import { parseRabbitmqVhostArgs, planRabbitmqVhost } from '../../../../src/modules/system/rabbitmq_vhost.js';
import { loc } from './fixtures/context.js';
import { sections } from './fixtures/sections.js';

const CTL = 'rabbitmqctl -q -n rabbit';
const USERS = '[\n{"user":"app","tags":["monitoring","management"]}\n,{"user":"guest","tags":["administrator"]}\n]\n';
const APP_PERMS = '[\n{"vhost":"/","configure":".*","write":".*","read":".*"}\n,{"vhost":"/old","configure":"^$","write":"^$","read":".*"}\n]\n';
const ctx = (secrets: string[] = []) => ({ addSecret: (s: string) => void secrets.push(s) });

describe('modules/system/rabbitmq_user', () => {
  const plan = (raw: Record<string, unknown>, parts: Record<string, string> = {}) =>
    planRabbitmqUser(parseRabbitmqUserArgs(raw, loc), sections({ users: USERS, permissions: APP_PERMS, ...parts }), ctx());
  const scripts = (p: ReturnType<typeof plan>) => p.steps.map((s) => s.script);
  const full = { user: 'app', tags: 'management,monitoring', configure_priv: '.*', write_priv: '.*', read_priv: '.*' };

  it('an existing user as described: nothing to do (tags in any order; other vhosts left alone)', () => {
    const p = plan(full);
    expect(p.failure).to.equal(undefined);
    expect(p.changes).to.deep.equal([]);
    expect(p.data).to.deep.equal({ user: 'app', state: 'present' });
  });

  it('a new user: add_user with the password on stdin, then tags and permissions', () => {
    const p = plan({ ...full, user: 'user1', password: 'changeme', vhost: '/test' });
    expect(scripts(p)).to.deep.equal([
      `${CTL} add_user user1 >/dev/null`,
      `${CTL} set_user_tags user1 management monitoring`,
      `${CTL} set_permissions -p /test user1 '.*' '.*' '.*'`,
    ]);
    expect(p.steps[0]!.stdin).to.equal('changeme\n');
    expect(p.steps.map((s) => s.script).join('\n')).to.not.include('changeme');
  });

  it('a new user without a password gets a random one, cleared at once; default permissions ^$ on /', () => {
    const p = plan({ user: 'svc' });
    expect(scripts(p)).to.deep.equal([`${CTL} add_user svc >/dev/null`, `${CTL} clear_password svc`, `${CTL} set_permissions -p / svc '^$' '^$' '^$'`]);
    expect(p.steps[0]!.stdin).to.match(/^[A-Za-z0-9+/=]{32}\n$/);
  });

  it('changed tags and privileges on the one vhost given', () => {
    const p = plan({ ...full, tags: 'administrator', read_priv: '^app' });
    expect(scripts(p)).to.deep.equal([`${CTL} set_user_tags app administrator`, `${CTL} set_permissions -p / app '.*' '.*' '^app'`]);
  });

  it('no tags given clears the tags, as in Ansible', () => {
    expect(scripts(plan({ ...full, tags: undefined }))).to.deep.equal([`${CTL} set_user_tags app`]);
  });

  it('permissions (bulk): sets what differs and clears every other vhost', () => {
    const p = plan({ user: 'app', tags: 'monitoring,management', permissions: [{ vhost: '/', configure_priv: '.*', write_priv: '.*', read_priv: '.*' }, { vhost: '/new', read: '.*' }] });
    expect(scripts(p)).to.deep.equal([`${CTL} clear_permissions -p /old app`, `${CTL} set_permissions -p /new app '^$' '^$' '.*'`]);
  });

  it('update_password: always changes it only when authenticate_user says it differs, on stdin', () => {
    const probe = rabbitmqUserProbe(parseRabbitmqUserArgs({ ...full, password: 's3cret', update_password: 'always' }, loc));
    expect(probe.stdin).to.equal('s3cret\n');
    expect(probe.script).to.include('rb_ctl authenticate_user app >/dev/null');
    expect(probe.script).to.not.include('s3cret');
    expect(plan({ ...full, password: 's3cret', update_password: 'always' }, { password: 'matches=1\n' }).changes).to.deep.equal([]);
    const p = plan({ ...full, password: 's3cret', update_password: 'always' }, { password: 'matches=0\n' });
    expect(scripts(p)).to.deep.equal([`${CTL} change_password app >/dev/null`]);
    expect(p.steps[0]!.stdin).to.equal('s3cret\n');
    expect(rabbitmqUserProbe(parseRabbitmqUserArgs({ ...full, password: 's3cret' }, loc)).stdin).to.equal(undefined);
    expect(plan({ ...full, password: 'other' }).changes).to.deep.equal([]);
  });

  it('force re-creates; absent deletes, or does nothing', () => {
    expect(scripts(plan({ ...full, force: true, password: 'x' }))).to.deep.equal([
      `${CTL} delete_user app`,
      `${CTL} add_user app >/dev/null`,
      `${CTL} set_user_tags app management monitoring`,
      `${CTL} set_permissions -p / app '.*' '.*' '.*'`,
    ]);
    expect(scripts(plan({ user: 'guest', state: 'absent' }))).to.deep.equal([`${CTL} delete_user guest`]);
    expect(plan({ user: 'nobody', state: 'absent' }).changes).to.deep.equal([]);
  });

  it('the password is a secret from the start', () => {
    const secrets: string[] = [];
    planRabbitmqUser(parseRabbitmqUserArgs({ user: 'app', password: 'pw-1' }, loc), sections({ users: USERS, permissions: APP_PERMS }), ctx(secrets));
    expect(secrets).to.deep.equal(['pw-1']);
  });

  it('without rabbitmqctl: fails naming the package, for check-mode forecasts', () => {
    const p = planRabbitmqUser(parseRabbitmqUserArgs({ user: 'app' }, loc), { stdout: '', stderr: 'rabbitmqctl is not installed: the rabbitmq modules need the rabbitmq-server package\n', code: 1 }, ctx());
    expect(p.failure?.needs).to.deep.equal([{ kind: 'package', name: 'rabbitmq-server' }]);
  });

  it('refuses what rabbitmqctl could not take, at the task', () => {
    expect(() => parseRabbitmqUserArgs({ user: 'a', password: ' padded ' }, loc)).to.throw(InputError, /surrounding spaces/);
    expect(() => parseRabbitmqUserArgs({ user: 'a', password: 'two\nlines' }, loc)).to.throw(InputError, /line break/);
    expect(() => parseRabbitmqUserArgs({ user: 'a', permissions: [{ vhost: '/' }, { vhost: '/' }] }, loc)).to.throw(InputError, /listed twice/);
    expect(() => parseRabbitmqUserArgs({ user: 'a', permissions: [{ read: '.*' }] }, loc)).to.throw(InputError, /needs a vhost/);
    expect(() => parseRabbitmqUserArgs({ user: 'a', login_host: 'x' }, loc)).to.throw(InputError, /has no argument 'login_host'/);
    expect(parseRabbitmqUserArgs({ username: 'a' }, loc).user).to.equal('a');
  });
});

describe('modules/system/rabbitmq_vhost', () => {
  const VHOSTS = '[\n{"name":"/","tracing":false}\n,{"name":"/test","tracing":true}\n]\n';
  const plan = (raw: Record<string, unknown>) => planRabbitmqVhost(parseRabbitmqVhostArgs(raw, loc), sections({ vhosts: VHOSTS }));
  const table: [string, Record<string, unknown>, string[]][] = [
    ['adds a missing vhost', { name: '/app' }, [`${CTL} add_vhost /app`]],
    ['adds it with tracing', { name: '/app', tracing: true }, [`${CTL} add_vhost /app`, `${CTL} trace_on -p /app`]],
    ['leaves a present one', { name: '/' }, []],
    ['turns tracing off', { vhost: '/test' }, [`${CTL} trace_off -p /test`]],
    ['leaves tracing on', { name: '/test', trace: 'yes' }, []],
    ['deletes', { name: '/test', state: 'absent' }, [`${CTL} delete_vhost /test`]],
    ['nothing to delete', { name: '/nope', state: 'absent' }, []],
  ];
  for (const [what, raw, want] of table) {
    it(what, () => {
      const p = plan(raw);
      expect(p.steps.map((s) => s.script)).to.deep.equal(want);
      expect(p.changes.length > 0).to.equal(want.length > 0);
    });
  }
});

describe('modules/system/rabbitmq_plugin', () => {
  const ENABLED = 'rabbitmq_management\nrabbitmq_tracing\n';
  const plan = (raw: Record<string, unknown>) => planRabbitmqPlugin(parseRabbitmqPluginArgs(raw, loc), sections({ enabled: ENABLED }));
  const tail = (p: ReturnType<typeof plan>) => p.steps.map((s) => s.script.split('\n').pop());
  it('enabled: enables what is missing and disables the others, as Ansible does', () => {
    const p = plan({ names: 'rabbitmq_management,rabbitmq_federation' });
    expect(tail(p)).to.deep.equal([`"$rb_plugins" -q disable --online rabbitmq_tracing`, `"$rb_plugins" -q enable --online rabbitmq_federation`]);
    expect(p.data).to.deep.equal({ enabled: ['rabbitmq_federation'], disabled: ['rabbitmq_tracing'] });
  });
  it('new_only disables nothing; all there is nothing to do', () => {
    expect(tail(plan({ names: 'rabbitmq_federation', new_only: true, broker_state: 'offline' }))).to.deep.equal([`"$rb_plugins" -q enable --offline rabbitmq_federation`]);
    expect(plan({ name: 'rabbitmq_tracing,rabbitmq_management' }).changes).to.deep.equal([]);
  });
  it('disabled: only the names given', () => {
    expect(tail(plan({ names: 'rabbitmq_tracing,rabbitmq_shovel', state: 'disabled' }))).to.deep.equal([`"$rb_plugins" -q disable --online rabbitmq_tracing`]);
  });
  it('a prefix: its bin/ or sbin/', () => {
    expect(rabbitmqPluginModule.probe(parseRabbitmqPluginArgs({ names: 'x', prefix: '/opt/rabbit' }, loc), {} as never).script).to.include('/opt/rabbit/sbin/rabbitmq-plugins');
  });
  it('refuses a name that is not one', () => {
    expect(() => parseRabbitmqPluginArgs({ names: 'a;rm -rf /' }, loc)).to.throw(InputError, /is not a plugin name/);
    expect(() => parseRabbitmqPluginArgs({ names: ',' }, loc)).to.throw(InputError, /at least one plugin/);
  });
});
