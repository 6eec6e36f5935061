import { expect } from 'chai';
import type { RunEvent } from '../../../src/executor/events.js';
import type { ResumeRequest } from '../../../src/executor/resume.js';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import type { Block } from '../../../src/playbook/types.js';
import { harness, play, recapOf, task, type Harness } from './harness.js';

type Aborted = Extract<RunEvent, { type: 'aborted' }>;
const abortedOf = (h: Harness): Aborted | undefined => h.events.find((e): e is Aborted => e.type === 'aborted');
const SIX = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];

function block(body: Partial<Block>): Block {
  return { kind: 'block', block: [], rescue: [], always: [], when: [], tags: [], vars: {}, ignoreErrors: false, loc: { file: 'play.yml', line: 1, col: 1 }, ...body };
}

/** Records what the executor asked the CLI to spell, and answers with a recognisable command. */
function commandRecorder(): { requests: ResumeRequest[]; build: (r: ResumeRequest) => { command: string; cwd: string; notes: string[] } } {
  const requests: ResumeRequest[] = [];
  return { requests, build: (r) => (requests.push(r), { command: `runbook apply site.yml --limit ${r.hosts.join(',')}`, cwd: '/srv', notes: [] }) };
}

describe('executor: rollouts', () => {
  it('a serial batch where every host failed stops the rollout even without max_fail_percentage; exit 8', async () => {
    const h = harness([play([task('kv', { key: 'a', value: '1' })], { serial: [1] })], ['a', 'b', 'c']);
    h.hosts.get('a')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(8);
    expect(h.hosts.get('b')!.scripts).to.deep.equal([]);
    expect(abortedOf(h)).to.include({ reason: 'every host of batch 1/3 failed (a): the rollout stops' });
    expect(abortedOf(h)!.notRun).to.deep.equal(['b', 'c']);
  });

  it('a partly failed batch goes on to the next batch when no limit is set (Ansible\'s default); exit 2', async () => {
    const h = harness([play([task('kv', { key: 'a', value: '1' })], { serial: [2] })], ['a', 'b', 'c']);
    h.hosts.get('a')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(h.hosts.get('c')!.kv.get('a')).to.equal('1');
  });

  it('a failure that a rescue handles does not trip any_errors_fatal', async () => {
    const rescued = block({ block: [task('kv', { key: 'a', value: '1' }), task('note', 'rest of the block')], rescue: [task('note', 'rolled back')] });
    const h = harness([play([], { tasks: [rescued, task('note', 'after', { name: 'after' })], anyErrorsFatal: true })], ['a', 'b']);
    h.hosts.get('a')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(abortedOf(h)).to.equal(undefined);
    expect(recapOf(h).hosts.a).to.include({ ok: 2, failed: 0, rescued: 1 });
    expect(recapOf(h).hosts.b, 'b ran the rest of the block and the play').to.include({ ok: 3, failed: 0 });
  });

  it('an unrescued failure in a block trips any_errors_fatal before the next task', async () => {
    const plain = block({ block: [task('kv', { key: 'a', value: '1' })] });
    const h = harness([play([], { tasks: [plain, task('kv', { key: 'after', value: 'yes' })], anyErrorsFatal: true })], ['a', 'b']);
    h.hosts.get('a')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(8);
    expect(h.hosts.get('b')!.kv.has('after')).to.equal(false);
  });

  it('a failed run_once task fails every host of its batch (as Ansible), which max_fail_percentage then counts', async () => {
    const tasks = [task('kv', { key: 'lb', value: 'out' }, { name: 'drain', runOnce: true }), task('kv', { key: 'deployed', value: 'yes' })];
    const h = harness([play(tasks, { serial: [2], maxFailPercentage: 50 })], ['a', 'b', 'c', 'd']);
    h.hosts.get('a')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(8);
    expect(recapOf(h).hosts.b).to.include({ failed: 1 });
    expect(h.hosts.get('b')!.scripts, 'b ran nothing itself').to.deep.equal([]);
    const line = h.events.find((e) => e.type === 'host_result' && e.host === 'b');
    expect(line).to.include({ status: 'failed', msg: 'the run_once task failed on a' });
    expect(abortedOf(h)!.notRun).to.deep.equal(['c', 'd']);
  });

  it('an abort names every host to resume: the failed one, its batch\'s cut-short one, the later batches and later plays\' hosts', async () => {
    const rec = commandRecorder();
    const plays = [
      play([task('kv', { key: 'a', value: '1' }, { name: 'deploy' })], { name: 'web', hosts: 'web', serial: [2], maxFailPercentage: 0 }),
      play([task('note', 'report')], { name: 'report', hosts: 'ops' }),
    ];
    const h = harness(plays, [...SIX, 'ops1'], { resumeCommand: rec.build });
    h.ctx.inventory.match = (p) => (p === 'web' ? SIX : p === 'ops' ? ['ops1'] : []);
    h.hosts.get('w3')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(8);
    const aborted = abortedOf(h)!;
    expect(aborted.notRun, 'never run: later batches, then the later play\'s hosts').to.deep.equal(['w5', 'w6', 'ops1']);
    expect(aborted.resume).to.deep.equal({ hosts: ['w3', 'w4', 'w5', 'w6', 'ops1'], command: 'runbook apply site.yml --limit w3,w4,w5,w6,ops1', cwd: '/srv', notes: [] });
    // w4 and the never-run hosts did not stop at deploy: no --start-at-task.
    expect(rec.requests.map((r) => r.startAtTask)).to.deep.equal([undefined]);
    expect(recapOf(h).resume, 'the recap carries the same hint').to.deep.equal(aborted.resume);
  });

  it('failed hosts without an abort get a hint too; --start-at-task when they all stopped at the same named task', async () => {
    const tasks = [task('note', 'hello', { name: 'greet' }), task('kv', { key: 'a', value: '1' }, { name: 'write value' }), task('kv', { key: 'b', value: '2' })];
    const h = harness([play(tasks)], ['a', 'b', 'c']);
    h.hosts.get('b')!.kv.set('broken', 'yes');
    h.hosts.get('c')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(abortedOf(h)).to.equal(undefined);
    expect(recapOf(h).resume).to.deep.equal({ hosts: ['b', 'c'], startAtTask: 'write value' });
  });

  it('no --start-at-task when a task from there on reads what an earlier task registered', async () => {
    const tasks = [task('note', 'hello', { name: 'greet', register: 'greeting' }), task('kv', { key: 'a', value: '{{greeting.text}}' }, { name: 'write value' })];
    const h = harness([play(tasks)], ['a', 'b']);
    h.hosts.get('b')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(recapOf(h).resume).to.deep.equal({ hosts: ['b'] });
  });

  it('no --start-at-task while a handler notified before the failure is still pending (the skipped change would never notify it again)', async () => {
    const tasks = [task('note', 'hi', { name: 'greet' }), task('kv', { key: 'conf', value: 'v2' }, { name: 'configure', notify: ['restart'] }), task('kv', { key: 'b', value: '2' }, { name: 'later' })];
    const handler = task('kv', { key: 'restarted', value: 'yes' }, { name: 'restart' });
    const h = harness([play(tasks, { handlers: [handler] })], ['a', 'b']);
    const b = h.hosts.get('b')!;
    // b changes conf, then breaks: its `later` fails with the restart still pending.
    const exec = b.exec.bind(b);
    b.exec = async (script, options) => {
      if (script === 'set b') return { stdout: '', stderr: 'disk on fire', code: 3 };
      return exec(script, options);
    };
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(recapOf(h).resume).to.deep.equal({ hosts: ['b'] });
  });

  it('no --start-at-task for a failure in a handler or a check, which --start-at-task cannot name', async () => {
    const check = task('kv', { key: 'health', value: 'ok' }, { name: 'health' });
    const h = harness([play([task('note', 'x', { name: 'greet' })], { checks: [check] })], ['a', 'b']);
    h.hosts.get('b')!.kv.set('broken', 'yes');
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(recapOf(h).resume).to.deep.equal({ hosts: ['b'] });
  });

  it('a clean run carries no resume hint', async () => {
    const h = harness([play([task('kv', { key: 'a', value: '1' })])], ['a']);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect(recapOf(h).resume).to.equal(undefined);
  });
});
