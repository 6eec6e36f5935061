import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeError } from '../../../src/core/errors.js';
import { describeRedisError } from '../../../src/queue/connect.js';
import { parseQueueUrl, passwordSources } from '../../../src/queue/url.js';

describe('queue/url', () => {
  it('reads host, port, db, user and TLS, and shows only host:port[/db]', () => {
    const a = parseQueueUrl('rediss://runbook:s3cret@queue.example:6380/2');
    expect(a).to.include({ host: 'queue.example', port: 6380, db: 2, tls: true, username: 'runbook', password: 's3cret', display: 'queue.example:6380/2' });
    expect(parseQueueUrl('redis://127.0.0.1')).to.include({ port: 6379, db: 0, tls: false, display: '127.0.0.1:6379' });
  });

  it('takes the password from the URL, then RUNBOOK_QUEUE_PASSWORD, then a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rb-qurl-'));
    try {
      const file = join(dir, 'pw');
      writeFileSync(file, 'from-file\nignored\n');
      expect(parseQueueUrl('redis://:url-pw@h:1', passwordSources({ RUNBOOK_QUEUE_PASSWORD: 'env-pw' }, file)).password).to.equal('url-pw');
      expect(parseQueueUrl('redis://h:1', passwordSources({ RUNBOOK_QUEUE_PASSWORD: 'env-pw' }, file)).password).to.equal('env-pw');
      expect(parseQueueUrl('redis://h:1', passwordSources({}, file)).password).to.equal('from-file');
      expect(parseQueueUrl('redis://h:1', passwordSources({ RUNBOOK_QUEUE_PASSWORD_FILE: file })).password).to.equal('from-file');
      expect(parseQueueUrl('redis://h:1', passwordSources({})).password).to.equal(undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never repeats the address text in its errors (it may hold a password)', () => {
    for (const bad of ['http://u:topsecret@h:1', 'redis://u:topsecret@h:1/x', 'not a url topsecret']) {
      let err: unknown;
      try {
        parseQueueUrl(bad);
      } catch (e) {
        err = e;
      }
      expect(describeError(err)).to.match(/--queue/).and.not.include('topsecret');
    }
  });

  it('names host:port, never the password, when Redis refuses or is not there', () => {
    const addr = parseQueueUrl('redis://ops:hunter2@10.0.0.5:6390');
    const refused = describeError(describeRedisError(addr, Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6390'), { code: 'ECONNREFUSED' })));
    expect(refused).to.include('10.0.0.5:6390').and.include('ECONNREFUSED').and.not.include('hunter2');
    const wrong = describeError(describeRedisError(addr, new Error('WRONGPASS invalid username-password pair or user is disabled.')));
    expect(wrong).to.include('refused the credentials').and.include("'ops'").and.not.include('hunter2');
  });
});
