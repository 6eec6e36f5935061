// --list-tasks and --list-tags: the tasks and tags of the tasks a run would select, inherited ones included, per play.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { defaultRunOptions } from '../../../src/executor/options.js';
import { listTags, listTasks, tagsOfPlay } from '../../../src/cli/listings.js';
import { play, task } from '../executor/harness.js';

describe('--list-tags', () => {
  const tasks = [
    task('kv', { key: 'a', value: '1' }, { tags: ['web', 'config'] }),
    task('kv', { key: 'b', value: '1' }, { tags: ['db'] }),
    task('kv', { key: 'c', value: '1' }, { tags: ['always'] }),
    task('kv', { key: 'd', value: '1' }),
  ];

  it('lists every tag, sorted and once', () => {
    expect(tagsOfPlay(tasks, { tags: [], skipTags: [] })).to.deep.equal(['always', 'config', 'db', 'web']);
  });

  it('only the tags of the tasks --tags / --skip-tags select', () => {
    expect(tagsOfPlay(tasks, { tags: ['web'], skipTags: [] })).to.deep.equal(['always', 'config', 'web']);
    expect(tagsOfPlay(tasks, { tags: [], skipTags: ['db'] })).to.deep.equal(['always', 'config', 'web']);
  });

  it('prints one TASK TAGS line per play', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    listTags({ file: 'p.yml', dir: '.', plays: [play(tasks, { name: 'site' })] }, defaultRunOptions(), out);
    expect(text).to.equal('\n  play: site\n      TASK TAGS: [always, config, db, web]\n');
  });
});

describe('--list-tasks', () => {
  const text = (write: (out: PassThrough) => void): string => {
    const out = new PassThrough();
    let t = '';
    out.on('data', (d: Buffer) => (t += d.toString()));
    write(out);
    return t;
  };
  const tasks = [task('kv', { key: 'a', value: '1' }, { name: 'first', tags: ['web'] }), task('kv', { key: 'b', value: '1' }, { name: 'second' })];
  const checks = [task('kv', { key: 'c', value: '1' }, { name: 'health', tags: ['web'] })];

  it('lists a play\'s tasks, then its checks: under their own heading', () => {
    const p = { ...play(tasks, { name: 'site' }), checks };
    expect(text((out) => listTasks({ file: 'p.yml', dir: '.', plays: [p] }, defaultRunOptions(), out))).to.equal(
      "\n  play: site\n    first\tTAGS: [web]\n    second\n    checks (after each batch's handlers):\n      health\tTAGS: [web]\n",
    );
  });

  it('applies --tags to checks too, and prints no heading when none is selected', () => {
    const p = { ...play(tasks, { name: 'site' }), checks };
    const options = { ...defaultRunOptions(), tags: ['nope'] };
    expect(text((out) => listTasks({ file: 'p.yml', dir: '.', plays: [p] }, options, out))).to.equal('\n  play: site\n\n');
  });
});
