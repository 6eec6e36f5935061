// fetch run for real against this machine (the "host" is /bin/sh here): the per-host and flat layouts,
// changed only when the local copy differs (one read), Ansible's messages, check mode, and a hostile
// src or inventory name that must not write outside dest or through a link below it.
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../../src/core/errors.js';
import { fetchModule, fetchScript, localTarget, parseRemoteRead } from '../../../../src/modules/generic/fetch.js';
import type { ActionContext } from '../../../../src/modules/types.js';
import type { Transport } from '../../../../src/transport/types.js';
import { actionCtx, localTransport } from '../lib/action-ctx.js';
import { loc, tempDir } from '../lib/local.js';

describe('modules/generic/fetch', () => {
  let t: ReturnType<typeof tempDir>;
  let calls: string[];
  let ctx: (over?: Partial<ActionContext>) => ActionContext;
  const run = (raw: Record<string, unknown>, over: Partial<ActionContext> = {}) => fetchModule.run(fetchModule.parse(raw, loc), ctx(over));
  beforeEach(() => {
    t = tempDir();
    calls = [];
    const counting: Transport = { ...localTransport, exec: (s, o) => (calls.push(s), localTransport.exec(s, o)) };
    ctx = (over = {}) => actionCtx({}, { host: 'web1', playbookDir: t.path('play'), transport: counting, ...over });
    mkdirSync(t.path('remote'));
    writeFileSync(t.path('remote/app.conf'), 'listen 80\n');
  });
  afterEach(() => t.cleanup());

  it('writes DEST/HOST/SRC_PATH beside the playbook, then reports ok after one read when the copy is current', async () => {
    const first = await run({ src: t.path('remote/app.conf'), dest: 'collected' });
    const local = join(t.path('play/collected/web1'), t.path('remote/app.conf'));
    expect(first).to.deep.include({ changed: true });
    expect(first.data).to.deep.include({ dest: local, file: t.path('remote/app.conf'), checksum: 'c626afb138b79005a681b787a1b5b7d06a1dce8b', remote_checksum: 'c626afb138b79005a681b787a1b5b7d06a1dce8b', remote_md5sum: null });
    expect(readFileSync(local, 'utf8')).to.equal('listen 80\n');
    calls = [];
    const again = await run({ src: t.path('remote/app.conf'), dest: 'collected' });
    expect(again.changed).to.equal(false);
    expect(calls).to.have.length(1);
    expect(calls[0]).to.contain("[ c626afb138b79005a681b787a1b5b7d06a1dce8b != skip ]");
    writeFileSync(t.path('remote/app.conf'), 'listen 81\n');
    expect((await run({ src: t.path('remote/app.conf'), dest: 'collected' })).changed).to.equal(true);
    expect(readFileSync(local, 'utf8')).to.equal('listen 81\n');
  });

  it('flat: dest is the file, or the folder with a trailing slash; an existing folder without one is refused', async () => {
    expect((await run({ src: t.path('remote/app.conf'), dest: t.path('out/copy.conf'), flat: true })).changed).to.equal(true);
    expect(readFileSync(t.path('out/copy.conf'), 'utf8')).to.equal('listen 80\n');
    expect((await run({ src: t.path('remote/app.conf'), dest: `${t.path('out')}/`, flat: true })).changed).to.equal(true);
    expect(readFileSync(t.path('out/app.conf'), 'utf8')).to.equal('listen 80\n');
    expect((await run({ src: t.path('remote/app.conf'), dest: t.path('out'), flat: true })).failed).to.equal('dest is an existing directory, use a trailing slash if you want to fetch src into that directory');
  });

  it("Ansible's answers for a missing file or a directory, with and without fail_on_missing", async () => {
    expect((await run({ src: t.path('remote/none'), dest: 'c' })).failed).to.equal('the remote file does not exist, not transferring, ignored');
    const ignored = await run({ src: t.path('remote/none'), dest: 'c', fail_on_missing: false });
    expect(ignored.failed).to.equal(undefined);
    expect(ignored).to.deep.include({ changed: false, msg: 'the remote file does not exist, not transferring, ignored' });
    expect((await run({ src: t.path('remote'), dest: 'c' })).failed).to.equal('remote file is a directory, fetch cannot work on directories');
    expect(existsSync(t.path('play/c'))).to.equal(false);
  });

  it('check mode reads the checksum only and writes nothing', async () => {
    const out = await run({ src: t.path('remote/app.conf'), dest: 'collected' }, { check: true });
    expect(out.changed).to.equal(true);
    expect(calls[0]).to.contain("[ skip != skip ]");
    expect(existsSync(t.path('play/collected'))).to.equal(false);
  });

  describe('a hostile host or inventory cannot write outside dest', () => {
    const outside = () => t.path('outside');
    beforeEach(() => mkdirSync(outside()));

    it("refuses a src with '..', an inventory name with '/' or '..', and a flat src without a name", async () => {
      for (const src of ['../../outside/x', `${t.path('remote')}/../../outside/app.conf`]) {
        expect((await run({ src, dest: 'c' })).failed).to.match(/^Detected directory traversal: src '.*' has a '\.\.' component/);
      }
      for (const host of ['..', '../../outside', 'a/b']) {
        expect((await run({ src: t.path('remote/app.conf'), dest: 'c' }, { host })).failed).to.match(/^Detected directory traversal: the inventory name '.*' cannot be a folder name/);
      }
      expect((await run({ src: `${t.path('remote')}/..`, dest: `${outside()}/`, flat: true })).failed).to.match(/has no file name/);
      expect(calls).to.have.length(0);
      expect(existsSync(t.path('play/c'))).to.equal(false);
    });

    it('does not follow a link below dest: neither a folder nor the file itself', async () => {
      mkdirSync(t.path('play/c'), { recursive: true });
      symlinkSync(outside(), t.path('play/c/web1'));
      const out = await run({ src: t.path('remote/app.conf'), dest: 'c' });
      expect(out.failed).to.match(/web1 is a symbolic link inside the destination folder: not followed/);
      expect(existsSync(join(outside(), t.path('remote')))).to.equal(false);

      writeFileSync(join(outside(), 'target'), 'keep\n');
      const file = join(t.path('play/d/web1'), t.path('remote/app.conf'));
      mkdirSync(join(file, '..'), { recursive: true });
      symlinkSync(join(outside(), 'target'), file);
      expect((await run({ src: t.path('remote/app.conf'), dest: 'd' })).changed).to.equal(true);
      expect(readFileSync(join(outside(), 'target'), 'utf8')).to.equal('keep\n');
      expect(readFileSync(file, 'utf8')).to.equal('listen 80\n');
      expect(() => readlinkSync(file)).to.throw();
    });

    it('lays the target out from the inventory name and src alone', () => {
      const a = fetchModule.parse({ src: '/etc/app.conf', dest: 'c' }, loc);
      expect(localTarget(a, '/etc//app.conf', 'web1', '/play')).to.deep.equal({ root: '/play/c', dirs: ['web1', 'etc'], name: 'app.conf' });
      expect(localTarget(a, 'rel/x', 'web1', '/play')).to.deep.equal({ root: '/play/c', dirs: ['web1', 'rel'], name: 'x' });
    });
  });

  it('refuses bytes that do not match the checksum the host gave, writing nothing', async () => {
    const lying: Transport = { ...localTransport, exec: () => Promise.resolve({ stdout: `path=/x\nstate=ok\nsha1=${'0'.repeat(40)}\ndata\n${Buffer.from('evil').toString('base64')}`, stderr: '', code: 0 }) };
    const out = await run({ src: '/x', dest: 'c' }, { transport: lying });
    expect(out.failed).to.equal('checksum mismatch');
    expect(existsSync(t.path('play/c'))).to.equal(false);
  });

  it('reads the answer and passes the local sha1 in the one script', () => {
    expect(parseRemoteRead('path=/a\nstate=ok\nsha1=abc\ndata\naGk=', '', 0)).to.deep.include({ state: 'ok', path: '/a', sha1: 'abc', data: Buffer.from('hi') });
    expect(parseRemoteRead('path=/a\nstate=missing\n', '', 0)).to.deep.equal({ state: 'missing', path: '/a' });
    expect(parseRemoteRead('', 'Permission denied', 1)).to.deep.include({ state: 'error', error: 'Permission denied' });
    expect(fetchScript("~/it's", 'none')).to.contain(`p="$HOME"/'it'\\''s'`);
  });

  it('refuses bad arguments at the task', () => {
    expect(() => fetchModule.parse({ src: '/a' }, loc)).to.throw(InputError, /'dest' is required/);
    expect(() => fetchModule.parse({ src: '/a', dest: 'b', flatt: true }, loc)).to.throw(InputError, /has no argument 'flatt'/);
  });
});
