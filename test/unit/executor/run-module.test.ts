// The executor's check mode for commands and forecasts, with real modules over a /bin/sh transport
// in a temporary directory (nothing outside it is touched).
import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Forecast } from '../../../src/executor/forecast.js';
import { registered } from '../../../src/executor/outcome.js';
import { runRemote } from '../../../src/executor/run-module.js';
import { commandModule } from '../../../src/modules/generic/command.js';
import { copyModule } from '../../../src/modules/generic/copy.js';
import type { RemoteModule } from '../../../src/modules/types.js';
import type { Transport } from '../../../src/transport/types.js';
import { fakeCtx, loc, sh } from '../modules/lib/local.js';

const shTransport: Transport = {
  host: 'local',
  exec: async (script, opts = {}) => sh(script, opts.stdin),
  forward: async () => {
    throw new Error('no forwarding');
  },
  close: async () => undefined,
};

describe('executor: check mode for commands and forecasts', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rb-run-module-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = <A>(mod: RemoteModule<A>, raw: Record<string, unknown>, forecasts: Forecast[] = []) =>
    runRemote(mod, mod.parse(raw, loc), fakeCtx({ check: true }), { transport: shTransport, check: true, forecasts });

  it('a command not run in check mode registers rc 0 and empty output, as Ansible does', async () => {
    const o = await run(commandModule, { cmd: `touch ${join(dir, 'f')}` });
    expect(o.status).to.equal('skipped');
    expect(registered(o)).to.deep.include({ rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [] });
    expect(existsSync(join(dir, 'f'))).to.equal(false);
  });

  it('a command whose creates says it would run is changed in check mode, not skipped', async () => {
    const o = await run(commandModule, { cmd: `touch ${join(dir, 'f')}`, creates: join(dir, 'f') });
    expect(o.status).to.equal('changed');
    expect(registered(o)).to.deep.include({ rc: 0, stdout: '', changed: true });
    expect(o.provides).to.deep.equal([{ kind: 'path', path: join(dir, 'f') }]);
    expect(existsSync(join(dir, 'f'))).to.equal(false);
    const removes = await run(commandModule, { cmd: 'true', removes: dir });
    expect(removes.status).to.equal('changed');
  });

  it('a failure is excused only by an earlier would-be change that provides what it needs', async () => {
    const dest = { content: 'x', dest: join(dir, 'new/conf') };
    const unrelated: Forecast = { task: 'make /tmp/x', provides: [{ kind: 'path', path: join(dir, 'x') }] };
    expect((await run(copyModule, dest, [unrelated])).status).to.equal('failed');
    const parent: Forecast = { task: 'make new', provides: [{ kind: 'path', path: join(dir, 'new') }] };
    const o = await run(copyModule, dest, [unrelated, parent]);
    expect(o.status).to.equal('changed');
    expect(o.changes?.[0]).to.match(/^would change once earlier changes are applied \('make new'\): destination directory .* does not exist/);
    // What the excused task would create counts for the next ones.
    expect(o.provides).to.deep.equal([{ kind: 'path', path: join(dir, 'new/conf') }]);
  });

  it('an excused command registers like any command check mode does not run', async () => {
    const chdir = join(dir, 'app');
    const o = await run(commandModule, { cmd: 'ls', chdir }, [{ task: 'make app', provides: [{ kind: 'path', path: chdir }] }]);
    expect(o.status).to.equal('skipped');
    expect(registered(o)).to.deep.include({ rc: 0, stdout: '' });
    expect((await run(commandModule, { cmd: 'ls', chdir })).status).to.equal('failed');
  });
});

describe('executor: a command that ran and failed', () => {
  it('is registered as changed, as Ansible reports it', async () => {
    const o = await runRemote(commandModule, commandModule.parse({ cmd: 'false' }, loc), fakeCtx(), { transport: shTransport, check: false, forecasts: [] });
    expect(o.status).to.equal('failed');
    expect(o.alsoChanged).to.equal(true);
    expect(registered(o)).to.deep.include({ changed: true, failed: true, rc: 1 });
  });
});

describe('executor: side steps (systemd daemon_reload)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rb-run-module-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // A plan with nothing to change but a side step, as the service module makes for daemon_reload alone.
  const sideOnly = (script: string): RemoteModule<null> => ({
    kind: 'remote',
    name: 'side',
    argNames: [],
    parse: () => null,
    probe: () => ({ script: '' }),
    plan: () => ({ changes: [], steps: [], sideSteps: [{ script }] }),
  });

  it('run outside check mode and leave the task ok; never run in check mode', async () => {
    const mark = join(dir, 'reloaded');
    const mod = sideOnly(`touch ${mark}`);
    const checked = await runRemote(mod, null, fakeCtx({ check: true }), { transport: shTransport, check: true, forecasts: [] });
    expect(checked.status).to.equal('ok');
    expect(existsSync(mark)).to.equal(false);
    const o = await runRemote(mod, null, fakeCtx(), { transport: shTransport, check: false, forecasts: [] });
    expect(o.status).to.equal('ok');
    expect(existsSync(mark)).to.equal(true);
  });

  it('a side step that fails fails the task', async () => {
    const o = await runRemote(sideOnly('echo nope >&2; exit 3'), null, fakeCtx(), { transport: shTransport, check: false, forecasts: [] });
    expect(o.status).to.equal('failed');
    expect(o.msg).to.equal('command failed with exit code 3: nope');
  });
});
