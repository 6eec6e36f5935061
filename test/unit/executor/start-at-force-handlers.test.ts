// --start-at-task (across plays, role-qualified names, wildcards) and --force-handlers, with the fake transport.
import { expect } from 'chai';
import { runPlaybook } from '../../../src/executor/run-playbook.js';
import { playbookHasTask, startsHere } from '../../../src/executor/start-at.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlaybook } from '../../../src/playbook/load.js';
import type { Role } from '../../../src/playbook/types.js';
import { fakeModules } from '../playbook/fake-modules.js';
import { harness, play, recapOf, task, type FakeHost } from './harness.js';
import { scratchDir } from '../../support/temp-dir.js';

const role = { name: 'web', dir: '/roles/web', params: {} } as unknown as Role;

describe('--start-at-task', () => {
  it('matches a name, `role : name`, or a wildcard; never an unnamed task', () => {
    const t = task('kv', { key: 'a', value: '1' }, { name: 'install nginx', role });
    expect(startsHere('install nginx', t)).to.equal(true);
    expect(startsHere('web : install nginx', t)).to.equal(true);
    expect(startsHere('install *', t)).to.equal(true);
    expect(startsHere('install', t)).to.equal(false);
    expect(startsHere('*', task('kv', { key: 'a', value: '1' }))).to.equal(false);
  });

  it('skips every task before the first match, even in earlier plays, then runs the rest', async () => {
    const plays = [
      play([task('kv', { key: 'p1a', value: '1' }, { name: 'first' })]),
      play([
        task('kv', { key: 'p2a', value: '1' }, { name: 'second' }),
        task('kv', { key: 'p2b', value: '1' }, { name: 'third' }),
        task('kv', { key: 'p2c', value: '1' }, { name: 'second' }),
      ]),
    ];
    const h = harness(plays, ['web1'], { startAtTask: 'third' });
    expect(playbookHasTask(h.ctx.playbook, 'third')).to.equal(true);
    expect(playbookHasTask(h.ctx.playbook, 'fourth')).to.equal(false);
    expect(await runPlaybook(h.ctx)).to.equal(0);
    const kv = h.hosts.get('web1')!.kv;
    expect([...kv.keys()].sort()).to.deep.equal(['p2b', 'p2c']);
    expect(recapOf(h).hosts.web1).to.include({ changed: 2, skipped: 0 });
  });

  it('finds the start task inside a block', async () => {
    const block = {
      kind: 'block' as const, block: [task('kv', { key: 'in1', value: '1' }, { name: 'in1' }), task('kv', { key: 'in2', value: '1' }, { name: 'in2' })],
      rescue: [], always: [], tags: [], when: [], vars: {}, loc: { file: 'play.yml', line: 1, col: 1 },
    } as unknown as Parameters<typeof play>[0][number];
    const h = harness([play([task('kv', { key: 'before', value: '1' }, { name: 'before' }), block])], ['web1'], { startAtTask: 'in2' });
    expect(await runPlaybook(h.ctx)).to.equal(0);
    expect([...h.hosts.get('web1')!.kv.keys()]).to.deep.equal(['in2']);
  });
});

describe('--force-handlers', () => {
  const tasks = [
    task('kv', { key: 'conf', value: 'v2' }, { notify: ['restart app'] }),
    task('kv', { key: 'later', value: 'x' }),
  ];
  const handler = task('kv', { key: 'restarted', value: 'yes' }, { name: 'restart app' });

  function failingLater(force: boolean, playKeyword = false) {
    const h = harness([play(tasks, { handlers: [handler], forceHandlers: playKeyword })], ['web1', 'web2'], { forceHandlers: force });
    // web1's second task fails after the first one notified the handler.
    const web1 = h.hosts.get('web1')!;
    const real: FakeHost['exec'] = web1.exec.bind(web1);
    web1.exec = async (script, options) => (script === 'set later' ? { stdout: '', stderr: 'disk full', code: 1 } : real(script, options));
    return h;
  }

  it('without it, a host that failed after a notify does not run the handler', async () => {
    const h = failingLater(false);
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(h.hosts.get('web1')!.kv.has('restarted')).to.equal(false);
    expect(h.hosts.get('web2')!.kv.get('restarted')).to.equal('yes');
  });

  it('with it, the handler runs on the failed host too, and the host still counts as failed', async () => {
    const h = failingLater(true);
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(h.hosts.get('web1')!.kv.get('restarted')).to.equal('yes');
    expect(h.hosts.get('web2')!.kv.get('restarted')).to.equal('yes');
    expect(recapOf(h).hosts.web1).to.include({ failed: 1 });
  });

  it('the play keyword force_handlers does the same', async () => {
    const h = failingLater(false, true);
    expect(await runPlaybook(h.ctx)).to.equal(2);
    expect(h.hosts.get('web1')!.kv.get('restarted')).to.equal('yes');
  });
});

describe('force_handlers: on a play', () => {
  it('is read from the playbook', () => {
    const dir = scratchDir('runbook-fh-');
    const file = join(dir, 'site.yml');
    writeFileSync(file, '- hosts: all\n  force_handlers: yes\n  tasks: []\n');
    expect(loadPlaybook(file, fakeModules).plays[0]!.forceHandlers).to.equal(true);
  });
});
