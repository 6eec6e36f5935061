// service plans from canned systemctl / init script states: Ansible's state rules, enablement, missing units, start verification.
import { expect } from 'chai';
import { InputError } from '../../../../src/core/errors.js';
import { parseServiceArgs, serviceModule } from '../../../../src/modules/system/service.js';
import { NOT_RUNNING } from '../../../../src/modules/system/service-script.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { context, loc } from './fixtures/context.js';
import * as f from './fixtures/service.js';

function plan(raw: Record<string, unknown>, probe: ExecResult) {
  return serviceModule.plan(parseServiceArgs(raw, loc), probe, context());
}

describe('service module', () => {
  it('changes nothing when the service is running and enabled', () => {
    const p = plan({ name: 'redis-server', state: 'started', enabled: true }, f.redisRunning);
    expect(p.changes).to.deep.equal([]);
    expect(p.steps).to.deep.equal([]);
    expect(p.data).to.deep.include({ name: 'redis-server', state: 'started', enabled: true });
  });

  it('enables then starts a stopped, disabled service, verifying it came up', () => {
    const p = plan({ name: 'redis-server', state: 'started', enabled: true }, f.redisStoppedDisabled);
    expect(p.changes).to.deep.equal(['enable redis-server', 'start redis-server']);
    expect(p.steps[0]!.script).to.equal('systemctl enable redis-server.service');
    const start = p.steps[1]!.script;
    expect(start).to.match(/^systemctl start redis-server\.service; rb_rc=\$\?/);
    expect(start).to.include('systemctl is-active redis-server.service');
    expect(start).to.include('journalctl -u redis-server.service -n 20 --no-pager');
    // Type=notify: systemctl itself waits for readiness, no extra settle second.
    expect(start).to.include('rb_settle=0');
  });

  it('always restarts and reloads, starting a service that is down', () => {
    expect(plan({ name: 'redis-server', state: 'restarted' }, f.redisRunning).changes).to.deep.equal(['restart redis-server']);
    expect(plan({ name: 'redis-server', state: 'reloaded' }, f.redisRunning).changes).to.deep.equal(['reload redis-server']);
    expect(plan({ name: 'nginx', state: 'restarted' }, f.nginxFailed).changes).to.deep.equal(['start nginx']);
  });

  it('stops only a running service', () => {
    expect(plan({ name: 'redis-server', state: 'stopped' }, f.redisRunning).steps.map((s) => s.script)).to.deep.equal(['systemctl stop redis-server.service']);
    expect(plan({ name: 'redis-server', state: 'stopped' }, f.redisStoppedDisabled).changes).to.deep.equal([]);
  });

  it('gives simple services a second look after start, and daemon-reloads first when asked, which is no change of its own', () => {
    const p = plan({ name: 'myapp', state: 'started', daemon_reload: true }, f.simpleStopped);
    expect(p.changes).to.deep.equal(['start myapp']);
    expect(p.sideSteps).to.deep.equal([{ script: 'systemctl daemon-reload' }]);
    expect(p.steps[0]!.script).to.include('rb_settle=1');
  });

  it('daemon_reload runs every time and reports ok, as in Ansible (alone, or with a unit already as asked)', () => {
    const alone = plan({ daemon_reload: true }, f.managerOnly);
    expect(alone.changes).to.deep.equal([]);
    expect(alone.steps).to.deep.equal([]);
    expect(alone.sideSteps).to.deep.equal([{ script: 'systemctl daemon-reload' }]);
    const running = plan({ name: 'redis-server', state: 'started', daemon_reload: true }, f.redisRunning);
    expect(running.changes).to.deep.equal([]);
    expect(running.sideSteps).to.deep.equal([{ script: 'systemctl daemon-reload' }]);
    expect(plan({ name: 'redis-server', state: 'started' }, f.redisRunning).sideSteps).to.equal(undefined);
  });

  it('a unit that does not exist: the failure needs that unit (a package not installed yet in check mode)', () => {
    const p = plan({ name: 'redis-server', state: 'started', enabled: true }, f.missing);
    expect(p.failure).to.deep.equal({ msg: 'service redis-server not found on this host (no unit redis-server.service)', needs: [{ kind: 'unit', name: 'redis-server.service' }] });
    expect(p.steps).to.deep.equal([]);
  });

  it('loads a unit file written before daemon-reload instead of failing', () => {
    const p = plan({ name: 'myapp.service', state: 'started', daemon_reload: true }, f.newUnitFile);
    expect(p.failure).to.equal(undefined);
    expect(p.sideSteps).to.deep.equal([{ script: 'systemctl daemon-reload' }]);
    expect(p.steps.map((s) => s.script.split('\n')[0])).to.deep.equal(['systemctl start myapp.service; rb_rc=$?']);
  });

  it('refuses to start a masked unit, and leaves static units alone on enabled', () => {
    expect(plan({ name: 'redis-server', state: 'started' }, f.masked).failure?.msg).to.match(/masked; unmask it first \(systemctl unmask redis-server.service\)/);
    expect(plan({ name: 'fstrim', enabled: false }, f.staticUnit).changes).to.deep.equal([]);
  });

  it('turns a start that did not take into a message with the journal', () => {
    const p = plan({ name: 'redis-server', state: 'restarted' }, f.redisRunning);
    const stderr = 'Job for redis-server.service failed because the control process exited with error code.\nrunbook-service: redis-server.service failed to restart (state: failed)\nJan 01 redis-server[99]: *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nJan 01 redis-server[99]: >>> \'maxmemory 64mbb\'\n';
    const after = p.afterApply!([{ stdout: '', stderr, code: NOT_RUNNING }]);
    expect(after.failed).to.equal([
      'service redis-server.service failed to restart (state: failed)',
      'Job for redis-server.service failed because the control process exited with error code.',
      "last journal lines (journalctl -u redis-server -n 20):\nJan 01 redis-server[99]: *** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nJan 01 redis-server[99]: >>> 'maxmemory 64mbb'",
    ].join('\n'));
  });

  describe('without systemd', () => {
    it('starts through the init script and checks its status', () => {
      const p = plan({ name: 'redis-server', state: 'started', enabled: true }, f.sysvStopped);
      expect(p.changes).to.deep.equal(['start redis-server']);
      expect(p.steps[0]!.script).to.match(/^\/etc\/init\.d\/redis-server start \|\| exit \$\?\n/);
      expect(p.steps[0]!.script).to.include('until /etc/init.d/redis-server status');
    });

    it('fails needing the unit when there is no init script', () => {
      expect(plan({ name: 'redis-server', state: 'started' }, f.sysvMissing).failure?.needs).to.deep.equal([{ kind: 'unit', name: 'redis-server' }]);
    });

    it('disables with update-rc.d', () => {
      expect(plan({ name: 'redis-server', enabled: false }, f.sysvStopped).steps.map((s) => s.script)).to.deep.equal(['update-rc.d redis-server disable']);
    });
  });

  it('validates arguments before any connection', () => {
    expect(() => parseServiceArgs({ name: 'redis-server' }, loc)).to.throw(InputError, /at least one of 'state', 'enabled' or 'daemon_reload'/);
    expect(() => parseServiceArgs({ name: 'redis-server', state: 'running' }, loc)).to.throw(InputError, /must be one of started, stopped, restarted, reloaded/);
    expect(() => parseServiceArgs({ name: 'a b', state: 'started' }, loc)).to.throw(InputError, /not a service name/);
    expect(parseServiceArgs({ unit: 'nginx', 'daemon-reload': 'yes' }, loc)).to.deep.equal({ name: 'nginx', state: undefined, enabled: undefined, daemonReload: true });
  });
});
