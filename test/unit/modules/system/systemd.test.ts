// systemd plans from canned systemctl states: the service module's rules plus masked, force, no_block,
// daemon_reexec and scope, as Ansible 2.14's systemd module drives them.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { getModule } from '../../../../src/modules/registry.js';
import { serviceProbeScript } from '../../../../src/modules/system/service-probe.js';
import { parseSystemdArgs, systemdModule } from '../../../../src/modules/system/systemd.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { context, loc } from './fixtures/context.js';
import * as f from './fixtures/service.js';

function plan(raw: Record<string, unknown>, probe: ExecResult) {
  return systemdModule.plan(parseSystemdArgs(raw, loc), probe, context());
}

const scripts = (p: { steps: { script: string }[] }) => p.steps.map((s) => s.script.split('\n')[0]);

/** [what, args, host, changes, first line of each command]. */
const table: [string, Record<string, unknown>, ExecResult, string[], string[]][] = [
  ['masks a stopped unit', { name: 'redis-server', masked: true }, f.redisStoppedDisabled, ['mask redis-server'], ['systemctl mask redis-server.service']],
  ['masks a unit that is not installed, as systemctl can', { name: 'ghost', masked: true }, f.missing, ['mask ghost'], ['systemctl mask ghost.service']],
  ['leaves a masked unit masked', { name: 'old', masked: true, state: 'stopped' }, f.masked, [], []],
  ['unmasks, enables and starts, in that order', { name: 'old', masked: false, enabled: true, state: 'started' }, f.masked, ['unmask old', 'enable old', 'start old'], ['systemctl unmask old.service', 'systemctl enable old.service', 'systemctl start old.service; rb_rc=$?']],
  ['unmasks nothing that is not masked', { name: 'redis-server', masked: false }, f.redisRunning, [], []],
  ['stops and masks a running unit', { name: 'redis-server', masked: true, state: 'stopped' }, f.redisRunning, ['mask redis-server', 'stop redis-server'], ['systemctl mask redis-server.service', 'systemctl stop redis-server.service']],
  ['passes --force to enable', { name: 'redis-server', enabled: true, force: true }, f.redisStoppedDisabled, ['enable redis-server'], ['systemctl --force enable redis-server.service']],
  ['queues the start without waiting with no_block', { name: 'redis-server', state: 'started', no_block: true }, f.redisStoppedDisabled, ['start redis-server'], ['systemctl --no-block start redis-server.service']],
  ["drives the user's manager with scope=user", { name: 'app', state: 'started', scope: 'user' }, f.redisStoppedDisabled, ['start app'], ['export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/run/user/$(id -u)}"']],
  ['enables for every user with scope=global', { name: 'app', enabled: true, scope: 'global' }, f.redisStoppedDisabled, ['enable app'], ['systemctl --global enable app.service']],
];

describe('modules/system/systemd', () => {
  for (const [what, raw, host, changes, commands] of table) {
    it(what, () => {
      const p = plan(raw, host);
      expect(p.failure).to.equal(undefined);
      expect(p.changes).to.deep.equal(changes);
      expect(scripts(p)).to.deep.equal(commands);
    });
  }

  it('runs the user scope through systemctl --user, with the user journal on a failed start', () => {
    const p = plan({ name: 'app', state: 'started', scope: 'user' }, f.redisStoppedDisabled);
    expect(p.steps[0]!.script).to.contain('systemctl --user start app.service').and.to.contain('journalctl --user-unit app.service');
    expect(serviceProbeScript('app', 'user')).to.contain('systemctl --user show -p LoadState').and.to.contain('systemctl --user show-environment');
    expect(serviceProbeScript('app', 'global')).to.contain('systemctl --global is-enabled').and.not.to.contain('show -p');
  });

  it('daemon-reloads then re-executes first, as side steps that are no change of their own', () => {
    const alone = plan({ daemon_reload: true, daemon_reexec: true }, f.managerOnly);
    expect(alone.changes).to.deep.equal([]);
    expect(alone.sideSteps).to.deep.equal([{ script: 'systemctl daemon-reload' }, { script: 'systemctl daemon-reexec' }]);
    const withUnit = plan({ name: 'myapp', state: 'started', daemon_reload: true }, f.newUnitFile);
    expect(withUnit.changes).to.deep.equal(['start myapp']);
    expect(withUnit.sideSteps).to.deep.equal([{ script: 'systemctl daemon-reload' }]);
  });

  it('reports masked, and refuses to start or enable a masked unit it does not unmask', () => {
    expect(plan({ name: 'redis-server', masked: true }, f.redisStoppedDisabled).data).to.deep.include({ masked: true });
    expect(plan({ name: 'old', state: 'started' }, f.masked).failure?.msg).to.match(/old is masked; unmask it first/);
    expect(plan({ name: 'ghost', state: 'started' }, f.missing).failure?.needs).to.deep.equal([{ kind: 'unit', name: 'ghost.service' }]);
  });

  it('fails on a host without systemd, and names a missing user manager', () => {
    expect(plan({ name: 'redis-server', state: 'started' }, f.sysvStopped).failure?.msg).to.match(/systemd is not running on this host/);
    const none: ExecResult = { stdout: '\n@@runbook-section@@ manager\nmanager=none\nuser=app\n\n@@runbook-section@@ .end\n', stderr: '', code: 0 };
    expect(plan({ name: 'x', state: 'started', scope: 'user' }, none).failure?.msg).to.match(/no systemd user manager answers for app .*enable-linger/);
  });

  it('is its own module now, with systemd_service as its alias; service keeps its arguments', () => {
    expect(getModule('systemd')).to.equal(systemdModule);
    expect(getModule('ansible.builtin.systemd_service')).to.equal(systemdModule);
    expect(() => getModule('service')!.parse({ name: 'x', masked: true }, loc)).to.throw(InputError, /has no argument 'masked'/);
  });

  it('refuses bad arguments at the task', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ name: 'x' }, /one of 'state', 'enabled', 'masked', 'daemon_reload' or 'daemon_reexec' is required|one of .*state.*is required/],
      [{ state: 'started' }, /'name' is required with 'state'/],
      [{ masked: true }, /'name' is required with 'masked'/],
      [{ name: 'x', masked: true, state: 'started' }, /a masked unit cannot be started/],
      [{ name: 'x', masked: true, enabled: true }, /cannot be enabled/],
      [{ name: 'x', state: 'started', scope: 'global' }, /scope=global has no running units/],
      [{ name: 'x*', state: 'started' }, /glob patterns/],
      [{ name: 'x', state: 'tried-restart' }, /state/],
      [{ name: 'x', state: 'started', scope: 'machine' }, /scope/],
    ];
    for (const [raw, message] of bad) expect(() => parseSystemdArgs(raw, loc), JSON.stringify(raw)).to.throw(InputError, message);
  });
});
