// get_url: plans from canned probe output (a table), then real downloads on this machine through
// file:// URLs with curl: checksums, no download when a checksum matches, atomic replace, backups.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { InputError } from '../../../../src/core/errors.js';
import { getUrlModule, parseGetUrlArgs, planGetUrl } from '../../../../src/modules/generic/get_url.js';
import { curlConfig, digestFromList, urlFilename } from '../../../../src/modules/lib/download.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { apply, fakeCtx, loc, planOnly, tempDir } from '../lib/local.js';

/** The probe's output: curl present or not, dest's stat line (undefined: missing), its digest. */
function host(o: { curl?: boolean; stat?: string; sha1?: string; digest?: string; list?: string; compare?: string } = {}): ExecResult {
  const parts: Record<string, string> = {
    tools: o.curl === false ? '' : 'curl=1\n',
    dest: `parent=dir\n${o.stat ? `stat=${o.stat}\nsha1=${o.sha1 ?? ''}  -\n` : ''}`,
    'dest.content': '',
    accounts: '',
  };
  if (o.digest !== undefined) parts.digest = `digest=${o.digest}  -\n`;
  if (o.list !== undefined) parts.list = o.list;
  if (o.compare !== undefined) parts.compare = o.compare;
  const body = Object.entries(parts).map(([name, text]) => `\n@@runbook-section@@ ${name}\n${text}`);
  return { stdout: `${body.join('')}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const FILE = 'regular file|644|0|0|root|root|5|1700000000';
const DIR = 'directory|755|0|0|root|root|4096|1700000000';
const URL = 'https://example.com/app-1.2.tar.gz';
const sum = (algo: string, text: string) => createHash(algo).update(text).digest('hex');

const table: [string, Record<string, unknown>, ExecResult, string[]][] = [
  ['downloads a missing file', { url: URL, dest: '/opt/app.tgz' }, host(), ['create /opt/app.tgz from https://example.com/app-1.2.tar.gz']],
  ['fetches an existing file again (If-Modified-Since) without a checksum', { url: URL, dest: '/opt/app.tgz' }, host({ stat: FILE, sha1: 'aa' }), ['update /opt/app.tgz from https://example.com/app-1.2.tar.gz']],
  ['does not download a file whose checksum matches', { url: URL, dest: '/opt/app.tgz', checksum: 'sha256:ABCD' }, host({ stat: FILE, digest: 'abcd' }), []],
  ['does not download a matching file even with force', { url: URL, dest: '/opt/app.tgz', checksum: 'sha256:abcd', force: true }, host({ stat: FILE, digest: 'abcd' }), []],
  ['downloads again when the checksum does not match', { url: URL, dest: '/opt/app.tgz', checksum: 'sha256:abcd' }, host({ stat: FILE, digest: 'ef01' }), ['update /opt/app.tgz from https://example.com/app-1.2.tar.gz']],
  ['downloads into a directory every time', { url: URL, dest: '/opt/' }, host({ stat: DIR }), ['download https://example.com/app-1.2.tar.gz into /opt/']],
  ['reads the digest from a checksum file', { url: URL, dest: '/opt/app.tgz', checksum: `sha256:https://example.com/SHA256SUMS` }, host({ stat: FILE, digest: 'abcd', list: 'ok\n1234  other.tgz\nabcd *app-1.2.tar.gz\n' }), []],
  ['check mode: the same bytes are no change', { url: URL, dest: '/opt/app.tgz' }, host({ stat: FILE, sha1: 'aa', compare: 'sha1=aa  -\n' }), []],
];

describe('modules/generic/get_url', () => {
  for (const [what, raw, probe, changes] of table) {
    it(what, () => {
      const plan = planGetUrl(parseGetUrlArgs(raw, loc), probe, { check: what.startsWith('check') });
      expect(plan.failure).to.equal(undefined);
      expect(plan.changes).to.deep.equal(changes);
      expect(plan.steps.length).to.equal(changes.length);
    });
  }

  it('sends the password and headers to curl on stdin, never in the script', () => {
    const plan = planGetUrl(parseGetUrlArgs({ url: URL, dest: '/opt/a', url_username: 'deploy', url_password: 's3cr"et', headers: { Authorization: 'Bearer tok' } }, loc), host(), { check: false });
    const step = plan.steps[0]!;
    expect(step.script).not.to.contain('s3cr').and.not.to.contain('tok').and.not.to.contain('example.com');
    expect(step.script).to.contain("curl -K - -sS --fail -L --connect-timeout 10 --speed-time 10 --speed-limit 1 --anyauth");
    expect(step.stdin).to.equal(`url = "${URL}"\nuser = "deploy:s3cr\\"et"\nheader = "Authorization: Bearer tok"\nuser-agent = "ansible-httpget"\n`);
    const forced = planGetUrl(parseGetUrlArgs({ url: URL, dest: '/opt/a', url_username: 'u', force_basic_auth: true, validate_certs: false }, loc), host(), { check: false });
    expect(forced.steps[0]!.script).to.contain('--basic').and.contain(' -k ');
  });

  it('sends If-Modified-Since only for an existing file without a checksum and without force', () => {
    const cond = (raw: Record<string, unknown>, probe: ExecResult) => planGetUrl(parseGetUrlArgs({ url: URL, dest: '/opt/a', ...raw }, loc), probe, { check: false }).steps[0]!.script.includes('-z "$name"');
    expect(cond({}, host({ stat: FILE }))).to.equal(true);
    expect(cond({ force: true }, host({ stat: FILE }))).to.equal(false);
    expect(cond({}, host())).to.equal(false);
    expect(cond({ checksum: 'md5:00' }, host({ stat: FILE, digest: '11' }))).to.equal(false);
  });

  it('fails clearly without curl, naming the package an earlier task may install', () => {
    const plan = planGetUrl(parseGetUrlArgs({ url: URL, dest: '/opt/a' }, loc), host({ curl: false }), { check: true });
    expect(plan.failure?.msg).to.match(/curl is not installed/);
    expect(plan.failure?.needs).to.deep.equal([{ kind: 'package', name: 'curl' }]);
  });

  it('fails when the checksum file has no line for the file', () => {
    const plan = planGetUrl(parseGetUrlArgs({ url: URL, dest: '/opt/a', checksum: 'sha1:http://x/SUMS' }, loc), host({ list: 'ok\nabcd  other\n' }), { check: false });
    expect(plan.failure?.msg).to.equal("Unable to find a checksum for file 'app-1.2.tar.gz' in 'http://x/SUMS'");
  });

  it('reads checksum files as Ansible does', () => {
    expect(digestFromList('ABCD\n', 'x')).to.equal('abcd');
    expect(digestFromList('11  a.tgz\n22 *b.tgz\n33  ./c.tgz\n', 'b.tgz')).to.equal('22');
    expect(digestFromList('11  a.tgz\n33  ./c.tgz\n', 'c.tgz')).to.equal('33');
    expect(digestFromList('11  a.tgz\n', 'c.tgz')).to.equal(undefined);
    expect(urlFilename('https://h/a/b.tgz?x=1')).to.equal('b.tgz');
    expect(urlFilename('https://h')).to.equal('index.html');
    expect(curlConfig({ url: 'http://h/a\nb' })).to.equal('url = "http://h/a\\nb"\n');
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseGetUrlArgs({ url: 'h/x', dest: '/a' }, loc)).to.throw(InputError, /url must be http/);
    expect(() => parseGetUrlArgs({ url: URL, dest: 'rel' }, loc)).to.throw(InputError, /dest must be an absolute path/);
    expect(() => parseGetUrlArgs({ url: URL, dest: '/a', checksum: 'crc:12' }, loc)).to.throw(InputError, /ALGORITHM one of md5/);
    expect(() => parseGetUrlArgs({ url: URL, dest: '/a', checksum: 'sha256:xyz' }, loc)).to.throw(InputError, /not hexadecimal/);
    expect(() => getUrlModule.parse({ url: URL, dest: '/a', checksumm: 'x' }, loc)).to.throw(InputError, /has no argument 'checksumm'/);
    expect(getUrlModule.noLogArgs).to.deep.equal(['url_password', 'password']);
  });

  describe('on this machine (file:// URLs, curl)', () => {
    let t: ReturnType<typeof tempDir>;
    beforeEach(() => {
      t = tempDir();
      mkdirSync(t.path('srv'));
      mkdirSync(t.path('out'));
      writeFileSync(t.path('srv/app.tgz'), 'release-1\n');
    });
    afterEach(() => t.cleanup());
    const url = () => `file://${t.path('srv/app.tgz')}`;

    it('downloads, then a second run downloads the same bytes and reports no change', () => {
      const dest = t.path('out/app.tgz');
      const first = apply(getUrlModule, { url: url(), dest, mode: '0640' });
      expect(first.results[0]!.code, first.results[0]!.stderr).to.equal(0);
      expect(readFileSync(dest, 'utf8')).to.equal('release-1\n');
      expect(statSync(dest).mode & 0o7777).to.equal(0o640);
      expect(first.after!.unchanged).to.equal(undefined);
      expect(first.after!.data).to.include({ dest, checksum_src: sum('sha1', 'release-1\n'), size: 10 });
      const second = apply(getUrlModule, { url: url(), dest, mode: '0640', force: true });
      expect(second.after).to.deep.include({ unchanged: true });
      expect(readdirSync(t.path('out'))).to.deep.equal(['app.tgz']);
    });

    it('with a matching checksum, nothing is downloaded; a new release replaces the file, with a backup', () => {
      const dest = t.path('out/app.tgz');
      writeFileSync(dest, 'release-1\n');
      const same = planOnly(getUrlModule, { url: url(), dest, checksum: `sha256:${sum('sha256', 'release-1\n')}` });
      expect(same).to.deep.include({ changes: [], steps: [] });
      writeFileSync(t.path('srv/app.tgz'), 'release-2\n');
      const next = apply(getUrlModule, { url: url(), dest, backup: true, checksum: `sha1:${sum('sha1', 'release-2\n')}` });
      expect(next.results[0]!.code, next.results[0]!.stderr).to.equal(0);
      expect(readFileSync(dest, 'utf8')).to.equal('release-2\n');
      const backup = next.after!.data!.backup_file as string;
      expect(readFileSync(backup, 'utf8')).to.equal('release-1\n');
    });

    it('a checksum mismatch fails and leaves dest as it was, with no temporary file', () => {
      const dest = t.path('out/app.tgz');
      writeFileSync(dest, 'old\n');
      const run = apply(getUrlModule, { url: url(), dest, checksum: `sha256:${sum('sha256', 'something else')}` });
      expect(run.results[0]!.code).to.equal(5);
      expect(run.after!.failed).to.match(/^The checksum for file:.* did not match [0-9a-f]+; it was [0-9a-f]+\. .* is unchanged\.$/);
      expect(readFileSync(dest, 'utf8')).to.equal('old\n');
      expect(readdirSync(t.path('out'))).to.deep.equal(['app.tgz']);
    });

    it('reads the digest from a checksum file, downloads into a directory under the URL name', () => {
      writeFileSync(t.path('srv/SHA256SUMS'), `${sum('sha256', 'release-1\n')}  app.tgz\n`);
      const run = apply(getUrlModule, { url: url(), dest: `${t.path('out')}/`, checksum: `sha256:file://${t.path('srv/SHA256SUMS')}` });
      expect(run.results[0]!.code, run.results[0]!.stderr).to.equal(0);
      expect(readFileSync(t.path('out/app.tgz'), 'utf8')).to.equal('release-1\n');
      expect(run.after!.data).to.include({ dest: t.path('out/app.tgz') });
    });

    it('replaces a link at dest instead of writing through it', () => {
      writeFileSync(t.path('victim'), 'keep\n');
      symlinkSync(t.path('victim'), t.path('out/app.tgz'));
      const run = apply(getUrlModule, { url: url(), dest: t.path('out/app.tgz') });
      expect(run.results[0]!.code, run.results[0]!.stderr).to.equal(0);
      expect(readFileSync(t.path('victim'), 'utf8')).to.equal('keep\n');
      expect(readFileSync(t.path('out/app.tgz'), 'utf8')).to.equal('release-1\n');
    });

    it('a missing source fails the task and creates nothing', () => {
      const run = apply(getUrlModule, { url: `file://${t.path('srv/none')}`, dest: t.path('out/x') });
      expect(run.after!.failed).to.match(/^Request failed: /);
      expect(existsSync(t.path('out/x'))).to.equal(false);
      expect(readdirSync(t.path('out'))).to.deep.equal([]);
    });

    it('check mode downloads to compare and leaves nothing behind', () => {
      const dest = t.path('out/app.tgz');
      writeFileSync(dest, 'release-1\n');
      const tmp = t.path('tmp');
      mkdirSync(tmp);
      const ctx = fakeCtx({ check: true });
      expect(planOnly(getUrlModule, { url: url(), dest, tmp_dest: tmp }, ctx).changes).to.deep.equal([]);
      writeFileSync(dest, 'release-0\n');
      expect(planOnly(getUrlModule, { url: url(), dest, tmp_dest: tmp }, ctx).changes).to.deep.equal([`update ${dest} from ${url()}`]);
      expect(readdirSync(tmp)).to.deep.equal([]);
    });
  });
});
