// A failing handler restores the files its notifying tasks replaced, runs again and reports failed:
// the executor with the real copy and shell modules over a transport that runs /bin/sh here, in a
// temporary directory. The "service" is a shell handler that only starts on `port 1`.
import { expect } from 'chai';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import type { ExecResult, Transport } from '../../../src/transport/types.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import type { RunEvent } from '../../../src/executor/events.js';
import { copyModule } from '../../../src/modules/generic/copy.js';
import { lineinfileModule } from '../../../src/modules/generic/lineinfile.js';
import { shellModule } from '../../../src/modules/generic/shell.js';
import type { Task } from '../../../src/playbook/types.js';
import { runSh } from '../modules/lib/action-ctx.js';
import { tempDir } from '../modules/lib/local.js';
import { harness, play, recapOf, task } from './harness.js';

/** Runs scripts with /bin/sh on this machine, with the kept copies in `kept`. */
function shTransport(kept: string): Transport & { scripts: string[] } {
  const scripts: string[] = [];
  return {
    host: 'web1',
    scripts,
    exec(script, options): Promise<ExecResult> {
      scripts.push(script);
      return runSh(script, { stdin: options?.stdin, env: { ...process.env, RUNBOOK_BACKUP_DIR: kept } });
    },
    forward: () => Promise.reject(new Error('no forwarding')),
    close: () => Promise.resolve(),
  };
}

describe('executor: a failing handler restores what its notifying tasks changed', () => {
  let t: ReturnType<typeof tempDir>;
  let conf: string;
  let kept: string;
  beforeEach(() => {
    t = tempDir();
    conf = t.path('app.conf');
    kept = t.path('kept');
  });
  afterEach(() => t.cleanup());

  /** The handler: "restarts" (appends to starts.log) only when app.conf says port 1. */
  function restartHandler(): Task {
    const cmd = `echo "start $(cat ${conf} 2>/dev/null)" >> ${t.path('starts.log')}; grep -qx 'port 1' ${conf} || { echo "bind: address already in use" >&2; exit 1; }`;
    return task('shell', { cmd }, { name: 'restart app' });
  }

  async function apply(tasks: Task[]): Promise<{ code: number; events: RunEvent[]; transport: ReturnType<typeof shTransport>; h: ReturnType<typeof harness> }> {
    const h = harness([play(tasks, { handlers: [restartHandler()] })], ['web1'], {}, [], [copyModule, lineinfileModule, shellModule]);
    const transport = shTransport(kept);
    h.ctx.connections = { get: async () => transport, closeAll: async () => {} };
    const code = await runPlaybook(h.ctx);
    return { code, events: h.events, transport, h };
  }

  const handlerResult = (events: RunEvent[]) => events.find((e) => e.type === 'host_result' && e.handler);
  const starts = () => readFileSync(t.path('starts.log'), 'utf8').trim().split('\n');
  const keptCopies = () => (existsSync(kept) ? readdirSync(kept) : []);

  it('restores the old file (content and mode), restarts on it, and reports failed saying so', async () => {
    writeFileSync(conf, 'port 1\n');
    chmodSync(conf, 0o640);
    const run = await apply([task('copy', { dest: conf, content: 'port 2\n', mode: '0644' }, { name: 'write app.conf', notify: ['restart app'] })]);
    expect(run.code).to.equal(2);
    expect(readFileSync(conf, 'utf8')).to.equal('port 1\n');
    expect(statSync(conf).mode & 0o777).to.equal(0o640);
    expect(starts()).to.deep.equal(['start port 2', 'start port 1']);
    const r = handlerResult(run.events);
    expect(r && r.type === 'host_result' ? r.status : '').to.equal('failed');
    const msg = r && r.type === 'host_result' ? r.msg ?? '' : '';
    expect(msg).to.include(`'restart app' failed after a change, so runbook restored what the tasks notifying it changed: ${conf} (changed by 'write app.conf')`);
    expect(msg).to.include('then ran it again, and it succeeded: the service is back on its old config');
    expect(msg, msg).to.match(/the first failure: [\s\S]*bind: address already in use/);
    expect(r && r.type === 'host_result' ? r.changes : []).to.deep.equal([`restored ${conf}`]);
    expect(recapOf(run.h).hosts.web1).to.include({ failed: 1 });
    expect(keptCopies(), 'the copy is used up').to.deep.equal([]);
  });

  it('a handler that succeeds leaves the new file and removes the kept copy', async () => {
    writeFileSync(conf, 'port 0\n');
    const run = await apply([task('copy', { dest: conf, content: 'port 1\n' }, { name: 'write app.conf', notify: ['restart app'] })]);
    expect(run.code).to.equal(0);
    expect(readFileSync(conf, 'utf8')).to.equal('port 1\n');
    expect(keptCopies()).to.deep.equal([]);
    // The copy existed between the write and the handler: the write step reported it.
    expect(run.transport.scripts.some((s) => s.startsWith('rm -f -- ') && s.includes(kept))).to.equal(true);
  });

  it('restores the content from before the first of several changes, and removes a file the tasks created', async () => {
    writeFileSync(conf, 'port 1\n');
    const extra = t.path('extra.conf');
    const run = await apply([
      task('copy', { dest: conf, content: 'port 2\n' }, { name: 'first change', notify: ['restart app'] }),
      task('copy', { dest: conf, content: 'port 3\n' }, { name: 'second change', notify: ['restart app'] }),
      task('copy', { dest: extra, content: 'new\n' }, { name: 'add extra', notify: ['restart app'] }),
    ]);
    expect(run.code).to.equal(2);
    expect(readFileSync(conf, 'utf8')).to.equal('port 1\n');
    expect(existsSync(extra)).to.equal(false);
    const r = handlerResult(run.events);
    const msg = r && r.type === 'host_result' ? r.msg ?? '' : '';
    expect(msg).to.include(`${conf} (changed by 'first change'), ${extra} (created by 'add extra', removed again)`);
    expect(keptCopies()).to.deep.equal([]);
  });

  it('says so when the handler fails again on the restored files', async () => {
    writeFileSync(conf, 'port 9\n');
    const run = await apply([task('copy', { dest: conf, content: 'port 2\n' }, { name: 'write app.conf', notify: ['restart app'] })]);
    expect(run.code).to.equal(2);
    expect(readFileSync(conf, 'utf8')).to.equal('port 9\n');
    const r = handlerResult(run.events);
    expect(r && r.type === 'host_result' ? r.msg : '').to.match(/restored .*app\.conf.*; then ran it again, and it failed again: .*bind: address already in use/);
  });

  it('restores a file that lineinfile edited', async () => {
    writeFileSync(conf, '# app\nport 1\n');
    const run = await apply([task('lineinfile', { path: conf, regexp: '^port ', line: 'port 7' }, { name: 'set port', notify: ['restart app'] })]);
    expect(run.code).to.equal(2);
    expect(readFileSync(conf, 'utf8')).to.equal('# app\nport 1\n');
    const r = handlerResult(run.events);
    expect(r && r.type === 'host_result' ? r.msg : '').to.include(`${conf} (changed by 'set port')`);
  });

  it('keeps no copy for a task that notifies nothing', async () => {
    writeFileSync(conf, 'port 1\n');
    const run = await apply([task('copy', { dest: conf, content: 'port 2\n' }, { name: 'write app.conf' })]);
    expect(run.code).to.equal(0);
    expect(existsSync(kept)).to.equal(false);
  });
});
