// unarchive on this machine: real tar and zip archives unpacked into temp dirs, compared with dest
// by the probe's trial extraction (idempotence, local changes, keep_newer), owner/mode, creates,
// list_files, include/exclude, controller archives on stdin; plus canned plans for failures.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { InputError } from '../../../../src/core/errors.js';
import { parseUnarchiveArgs, planUnarchive, unarchiveModule } from '../../../../src/modules/generic/unarchive.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { apply, fakeCtx, loc, planOnly, tempDir } from '../lib/local.js';

function run(cmd: string, cwd: string): void {
  const r = spawnSync('sh', ['-c', cmd], { cwd });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr.toString()}`);
}

/** Canned probe output with the given sections. */
function host(parts: Record<string, string>): ExecResult {
  const all = { creates: '', accounts: '', dest: 'dest=ok\n', archive: 'kind=tar\nhandler=TgzArchive\nneed=\n', compare: 'entries=3\ndifferences=0\n', ...parts };
  const body = Object.entries(all).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const canned: [string, Record<string, unknown>, Record<string, string>, RegExp | string[]][] = [
  ['nothing to do when dest holds the archive', {}, {}, []],
  ['unpacks when entries differ', {}, { compare: 'missing app/a.txt\ndiffers app/b.txt\nentries=3\ndifferences=2\n' }, ['unpack /srv/app.tgz into /opt/app (missing app/a.txt, differs app/b.txt)']],
  ['does nothing when creates exists', { creates: '/opt/app/app' }, { creates: 'exists=1\n', compare: 'differences=5\n' }, []],
  ['fails on a missing dest, naming it for forecasts', {}, { dest: 'dest=2 /opt/app does not exist\n' }, /^Destination '\/opt\/app' does not exist$/],
  ['fails on a dest that is a file', {}, { dest: 'dest=3 /opt/app is not a directory\n' }, /is not a directory/],
  ['fails on a missing remote archive', {}, { archive: 'missing=1\n' }, /^Source '\/srv\/app.tgz' does not exist$/],
  ['fails when the tool for the format is missing', {}, { archive: 'kind=zip\nhandler=ZipArchive\nneed=unzip\n' }, /ZipArchive and needs the unzip package/],
  ['fails when the archive does not unpack', {}, { compare: 'extract_failed=tar: This does not look like a tar archive\n' }, /Failed to unpack \/srv\/app.tgz \(TgzArchive\): tar: This does not look/],
];

describe('modules/generic/unarchive', () => {
  for (const [what, raw, parts, want] of canned) {
    it(what, () => {
      const plan = planUnarchive(parseUnarchiveArgs({ src: '/srv/app.tgz', dest: '/opt/app', remote_src: true, ...raw }, loc), host(parts), fakeCtx());
      if (Array.isArray(want)) {
        expect(plan.failure).to.equal(undefined);
        expect(plan.changes).to.deep.equal(want);
      } else expect(plan.failure?.msg).to.match(want);
    });
  }

  it('a missing dest or remote archive names what it needs, for check-mode forecasts', () => {
    const args = parseUnarchiveArgs({ src: '/srv/app.tgz', dest: '/opt/app', remote_src: true }, loc);
    expect(planUnarchive(args, host({ dest: 'dest=2 x\n' }), fakeCtx()).failure?.needs).to.deep.equal([{ kind: 'path', path: '/opt/app' }]);
    expect(planUnarchive(args, host({ archive: 'missing=1\n' }), fakeCtx()).failure?.needs).to.deep.equal([{ kind: 'path', path: '/srv/app.tgz' }]);
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseUnarchiveArgs({ src: 'https://h/a.tgz', dest: '/opt' }, loc)).to.throw(InputError, /is a URL/);
    expect(() => parseUnarchiveArgs({ src: 'a.tgz', dest: 'opt' }, loc)).to.throw(InputError, /dest must be an absolute path/);
    expect(() => parseUnarchiveArgs({ src: 'a.tgz', dest: '/opt', remote_src: true }, loc)).to.throw(InputError, /must be an absolute path on the host or a URL/);
    expect(() => unarchiveModule.parse({ src: 'a', dest: '/o', exclude_files: ['x'] }, loc)).to.throw(InputError, /has no argument 'exclude_files'/);
  });

  it("takes copy, the old inverted spelling of remote_src, as ansible-core 2.14's action plugin does", () => {
    expect(parseUnarchiveArgs({ src: '/opt/a.zip', dest: '/usr/share', copy: 'no' }, loc).remote_src).to.equal(true);
    expect(parseUnarchiveArgs({ src: 'a.zip', dest: '/usr/share', copy: true }, loc).remote_src).to.equal(false);
    expect(parseUnarchiveArgs({ src: 'a.zip', dest: '/usr/share' }, loc).remote_src).to.equal(false);
    expect(parseUnarchiveArgs({ src: '/opt/a.zip', dest: '/usr/share', copy: false }, loc)).to.not.have.property('copy');
    expect(() => parseUnarchiveArgs({ src: '/opt/a.zip', dest: '/o', copy: false, remote_src: true }, loc)).to.throw(InputError, /'copy' and 'remote_src' are mutually exclusive|'remote_src' and 'copy' are mutually exclusive/);
  });

  describe('on this machine', () => {
    let t: ReturnType<typeof tempDir>;
    beforeEach(() => {
      t = tempDir();
      mkdirSync(t.path('src/app/lib'), { recursive: true });
      writeFileSync(t.path('src/app/README'), 'hello\n');
      writeFileSync(t.path('src/app/lib/run.sh'), '#!/bin/sh\necho run\n');
      chmodSync(t.path('src/app/lib/run.sh'), 0o755);
      mkdirSync(t.path('out'));
      run('tar -czf ../app.tar.gz app && tar -cJf ../app.tar.xz app && tar -cjf ../app.tar.bz2 app && tar -cf ../app.tar app && zip -qr ../app.zip app', t.path('src'));
    });
    afterEach(() => t.cleanup());

    for (const ext of ['tar.gz', 'tar.xz', 'tar.bz2', 'tar', 'zip']) {
      it(`unpacks a .${ext}, then finds nothing to do; a changed file is unpacked again`, () => {
        const raw = { src: t.path(`app.${ext}`), dest: t.path('out'), remote_src: true };
        const first = apply(unarchiveModule, raw);
        expect(first.plan.failure, JSON.stringify(first.plan.failure)).to.equal(undefined);
        expect(first.plan.changes[0]).to.match(/^unpack .* \(missing app/);
        expect(first.results[0]!.code, first.results[0]!.stderr).to.equal(0);
        expect(readFileSync(t.path('out/app/lib/run.sh'), 'utf8')).to.equal('#!/bin/sh\necho run\n');
        expect(statSync(t.path('out/app/lib/run.sh')).mode & 0o777).to.equal(0o755);
        expect(planOnly(unarchiveModule, raw)).to.deep.include({ changes: [], steps: [] });
        writeFileSync(t.path('out/app/README'), 'local edit\n');
        expect(planOnly(unarchiveModule, raw).changes).to.deep.equal([`unpack ${raw.src} into ${raw.dest} (differs app/README)`]);
        apply(unarchiveModule, raw);
        expect(readFileSync(t.path('out/app/README'), 'utf8')).to.equal('hello\n');
      });
    }

    it('check mode (the plan) changes nothing in dest and leaves no temporary directory', () => {
      const tmp = t.path('tmp');
      mkdirSync(tmp);
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = tmp;
      try {
        const plan = planOnly(unarchiveModule, { src: t.path('app.tar.gz'), dest: t.path('out'), remote_src: true }, fakeCtx({ check: true }));
        expect(plan.changes).to.have.length(1);
      } finally {
        // Assigning undefined would set the text 'undefined' and break every later test's temp folder.
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
      }
      expect(readdirSync(t.path('out'))).to.deep.equal([]);
      expect(readdirSync(tmp)).to.deep.equal([]);
    });

    it('sends a controller archive on stdin, sets mode on every member, lists the files', () => {
      const bytes = readFileSync(t.path('app.tar.gz'));
      const ctx = fakeCtx({ readFile: (p) => (p === 'app.tar.gz' ? bytes : Buffer.alloc(0)) });
      const raw = { src: 'app.tar.gz', dest: t.path('out'), mode: 'u=rwX,g=rX,o=', list_files: true };
      const first = apply(unarchiveModule, raw, ctx);
      expect(first.results[0]!.code, first.results[0]!.stderr).to.equal(0);
      expect(first.plan.steps[0]!.stdin).to.equal(bytes);
      expect([...(first.plan.data!.files as string[])].sort()).to.deep.equal(['app/', 'app/README', 'app/lib/', 'app/lib/run.sh']);
      expect(statSync(t.path('out/app/README')).mode & 0o777).to.equal(0o640);
      expect(statSync(t.path('out/app/lib')).mode & 0o777).to.equal(0o750);
      expect(planOnly(unarchiveModule, raw, ctx).changes).to.deep.equal([]);
      chmodSync(t.path('out/app/README'), 0o644);
      expect(planOnly(unarchiveModule, raw, ctx).changes).to.deep.equal([`unpack app.tar.gz into ${t.path('out')} (differs app/README)`]);
    });

    it('keep_newer leaves a newer local file, exclude and include limit what is unpacked and compared', () => {
      apply(unarchiveModule, { src: t.path('app.tar'), dest: t.path('out'), remote_src: true });
      writeFileSync(t.path('out/app/README'), 'mine\n');
      const future = new Date(Date.now() + 3600_000);
      utimesSync(t.path('out/app/README'), future, future);
      const keep = { src: t.path('app.tar'), dest: t.path('out'), remote_src: true, keep_newer: true };
      expect(planOnly(unarchiveModule, keep).changes).to.deep.equal([]);
      const other = t.path('other');
      mkdirSync(other);
      const ex = apply(unarchiveModule, { src: t.path('app.zip'), dest: other, remote_src: true, exclude: ['app/README'] });
      expect(ex.results[0]!.code, ex.results[0]!.stderr).to.equal(0);
      expect(existsSync(`${other}/app/README`)).to.equal(false);
      expect(planOnly(unarchiveModule, { src: t.path('app.zip'), dest: other, remote_src: true, exclude: ['app/README'] }).changes).to.deep.equal([]);
      const only = t.path('only');
      mkdirSync(only);
      apply(unarchiveModule, { src: t.path('app.tar.gz'), dest: only, remote_src: true, include: ['app/README'], extra_opts: ['--strip-components=1'] });
      expect(readdirSync(only)).to.deep.equal(['README']);
    });

    it('creates: nothing is read or unpacked when the path exists', () => {
      writeFileSync(t.path('out/marker'), '');
      const plan = planOnly(unarchiveModule, { src: t.path('app.zip'), dest: t.path('out'), remote_src: true, creates: t.path('out/marker') });
      expect(plan).to.deep.include({ changes: [], steps: [] });
      expect(plan.data!.msg).to.equal(`skipped, since ${t.path('out/marker')} exists`);
    });

    it('a file that is not an archive fails the task clearly', () => {
      writeFileSync(t.path('bogus.tgz'), 'not an archive\n');
      const plan = planOnly(unarchiveModule, { src: t.path('bogus.tgz'), dest: t.path('out'), remote_src: true });
      expect(plan.failure?.msg).to.match(/^Failed to unpack .*bogus\.tgz \(TarArchive\): tar: /);
    });
  });
});
