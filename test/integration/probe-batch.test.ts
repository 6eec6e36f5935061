// Batched probes on a real host over SSH (src/executor/probe-ahead.ts): a no-op re-run reads the host
// once for all its tasks where --probe-batch 1 reads it once per task, and a file changed by one task
// is seen as changed by a later task whose probe had been read ahead before the change.
import { expect } from 'chai';
import { after, before, describe, it } from 'mocha';
import type { RunEvent } from '../../src/executor/events.js';
import { oneHostLab, type OneHost } from './support/one-host.js';
import type { CliRun } from './support/runbook.js';

const DIR = '/srv/probe-batch';

/** Eight everyday tasks that a re-run leaves as they are. */
const TASKS = [
  { name: 'app directory', file: { path: DIR, state: 'directory', mode: '0755' } },
  { name: 'conf directory', file: { path: `${DIR}/conf.d`, state: 'directory', mode: '0750' } },
  { name: 'main config', copy: { dest: `${DIR}/app.conf`, content: 'port = 8080\n', mode: '0644' } },
  { name: 'limits', copy: { dest: `${DIR}/conf.d/limits.conf`, content: 'max = 512\n', mode: '0640' } },
  { name: 'workers', lineinfile: { path: `${DIR}/settings.ini`, regexp: '^workers', line: 'workers = 4', create: true } },
  { name: 'clients', lineinfile: { path: `${DIR}/clients.allow`, line: '10.0.0.0/8', create: true } },
  { name: 'initialise once', command: { cmd: `touch ${DIR}/initialised`, creates: `${DIR}/initialised` } },
  { name: 'current link', file: { src: `${DIR}/app.conf`, dest: `${DIR}/current.conf`, state: 'link' } },
];

function recapEvent(run: CliRun): Extract<RunEvent, { type: 'recap' }> {
  const r = run.events.find((e) => e.type === 'recap');
  if (!r || r.type !== 'recap') throw new Error(`no recap:\n${run.stdout}\n${run.stderr}`);
  return r;
}

describe('batched probes on a real host', () => {
  let t: OneHost;
  before(async () => {
    t = await oneHostLab({ host: 'probes1', prefix: 'probe-batch' });
  });
  after(() => t?.cleanup());

  it('a no-op re-run reads the host in one command for eight tasks; --probe-batch 1 takes eight', async () => {
    const first = await t.play('converge', TASKS, '--json');
    expect(first.code, first.stderr).to.equal(0);
    expect(first.recap[t.host]).to.include({ changed: TASKS.length });

    const batched = await t.play('converge', TASKS, '--json');
    expect(batched.code, batched.stderr).to.equal(0);
    expect(batched.recap[t.host]).to.include({ ok: TASKS.length, changed: 0, failed: 0 });
    expect(recapEvent(batched).probes).to.deep.equal({ commands: 1, answered: TASKS.length, readAhead: TASKS.length - 1, dropped: 0 });

    const single = await t.play('converge', TASKS, '--json', '--probe-batch', '1');
    expect(single.code, single.stderr).to.equal(0);
    expect(single.recap[t.host]).to.include({ ok: TASKS.length, changed: 0 });
    expect(recapEvent(single).probes).to.deep.equal({ commands: TASKS.length, answered: TASKS.length, readAhead: 0, dropped: 0 });
  });

  it('a file one task changes is seen changed by a later task whose probe was read before the change', async () => {
    const tasks = [
      { name: 'write the file', copy: { dest: `${DIR}/seen`, content: 'hello\n' } },
      { name: 'read it back', stat: { path: `${DIR}/seen` }, register: 'seen' },
      { name: 'the config still holds', copy: { dest: `${DIR}/app.conf`, content: 'port = 8080\n', mode: '0644' } },
      { name: 'what was read is what was written', assert: { that: ['seen.stat.size == 6'] } },
    ];
    // Something longer than 'hello\n', so a stale read of it would show in the size.
    await t.sh(`mkdir -p ${DIR} && printf 'an older and longer content\\n' > ${DIR}/seen`);
    const run = await t.play('seen', tasks, '--json');
    expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
    expect(run.recap[t.host]).to.include({ changed: 1, failed: 0 });
    const probes = recapEvent(run).probes!;
    // The first command read all three probes; the write dropped the two read ahead, and each was read again.
    expect(probes).to.deep.equal({ commands: 3, answered: 3, readAhead: 0, dropped: 2 });
    expect((await t.sh(`cat ${DIR}/seen`))).to.equal('hello\n');
  });
});
