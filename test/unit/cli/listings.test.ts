// --list-tags: the tags of the tasks a run would select, inherited ones included, per play.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { defaultRunOptions } from '../../../src/executor/options.js';
import { listTags, tagsOfPlay } from '../../../src/cli/listings.js';
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
