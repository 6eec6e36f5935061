// reboot and wait_for_connection with fake transports: a reboot is proven by a new boot_id seen over
// a fresh connection, and a host that does not answer is waited for, not reported unreachable.
import { expect } from 'chai';
import type { Duplex } from 'node:stream';
import { InputError } from '../../../../src/core/errors.js';
import { rebootModule, waitForConnectionModule } from '../../../../src/modules/system/reboot.js';
import type { ActionContext } from '../../../../src/modules/types.js';
import type { ExecOptions, ExecResult, Transport } from '../../../../src/transport/types.js';
import { context, loc } from './fixtures/context.js';

/** A host whose boot id is `boot`, that answers only when `up`. */
class FakeHost implements Transport {
  readonly host = 'web1';
  scripts: string[] = [];
  constructor(private readonly state: { boot: string; up: boolean }) {}
  async exec(script: string, _o?: ExecOptions): Promise<ExecResult> {
    if (!this.state.up) throw new Error('connection refused');
    this.scripts.push(script);
    if (script.includes('boot_id')) return { stdout: `${this.state.boot}\n`, stderr: '', code: 0 };
    return { stdout: '', stderr: '', code: 0 };
  }
  forward(): Promise<Duplex> {
    throw new Error('no');
  }
  async close(): Promise<void> {}
}

function actx(transport: Transport, reconnect: ActionContext['reconnect'], check = false): ActionContext {
  return { ...context({}, check), transport, reconnect, playHosts: ['web1'], hostVars: () => ({}), connect: () => Promise.reject(new Error('no')) };
}

describe('modules/system/reboot and wait_for_connection', () => {
  it('reboot: reconnects until the boot id changed, then runs test_command', async () => {
    const state = { boot: 'aaa', up: true };
    const first = new FakeHost(state);
    let reconnects = 0;
    const out = await rebootModule.run(rebootModule.parse({ reboot_timeout: 30, test_command: 'systemctl is-system-running' }, loc), actx(first, async () => {
      reconnects++;
      // The first reconnect reaches the old system (not rebooted yet), the second a host that is down, then the new boot.
      if (reconnects === 2) {
        state.up = false;
        throw new Error('connection refused');
      }
      if (reconnects === 3) Object.assign(state, { boot: 'bbb', up: true });
      return new FakeHost(state);
    }));
    expect(out).to.deep.include({ changed: true });
    expect(out.failed).to.equal(undefined);
    expect(out.data).to.include({ rebooted: true });
    expect(first.scripts[1]).to.match(/^setsid sh -c .*shutdown -r now .*Reboot initiated by Ansible/);
    expect(reconnects).to.equal(3);
  });

  it('reboot: check mode reports changed and touches nothing', async () => {
    const host = new FakeHost({ boot: 'a', up: true });
    const out = await rebootModule.run(rebootModule.parse({}, loc), actx(host, undefined, true));
    expect(out).to.deep.include({ changed: true, data: { rebooted: true, elapsed: 0 } });
    expect(host.scripts).to.deep.equal([]);
  });

  it('reboot: a host that never comes back fails after reboot_timeout', async () => {
    const state = { boot: 'aaa', up: true };
    const out = await rebootModule.run(rebootModule.parse({ reboot_timeout: 3 }, loc), actx(new FakeHost(state), async () => new FakeHost(state)));
    expect(out.failed).to.match(/did not come back within reboot_timeout \(3 s\): the host has not rebooted yet/);
  });

  it('wait_for_connection: waits on fresh connections until the host answers', async () => {
    const state = { boot: 'a', up: false };
    let tries = 0;
    const out = await waitForConnectionModule.run(waitForConnectionModule.parse({ timeout: 20, sleep: 1 }, loc), actx(new FakeHost(state), async () => {
      if (++tries === 2) state.up = true;
      return new FakeHost(state);
    }));
    expect(out.failed).to.equal(undefined);
    expect(tries).to.equal(2);
    expect(waitForConnectionModule.waitsForConnection).to.equal(true);
  });

  it('refuses bad arguments at the task', () => {
    expect(() => rebootModule.parse({ reboot_timout: 5 }, loc)).to.throw(InputError, /has no argument 'reboot_timout'/);
    expect(() => waitForConnectionModule.parse({ sleep: 0 }, loc)).to.throw(InputError);
  });
});
