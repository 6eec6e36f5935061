// find: arguments mapped to the find expression the host runs (a table), canned output mapped to
// Ansible's stat dicts, and the real script run on this machine (GNU find, grep -P) against a tree.
import { expect } from 'chai';
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { InputError } from '../../../../src/core/errors.js';
import { basenameRegex, findModule, findScript, findTests, parseFindArgs, planFind } from '../../../../src/modules/generic/find.js';
import { loc, planOnly, tempDir } from '../lib/local.js';

const tests: [string, Record<string, unknown>, string[]][] = [
  ['files, no hidden ones, by default', {}, ['-type f', "! -name '.*'"]],
  ['globs become -name tests', { patterns: '*.log,*.gz' }, ['-type f', "! -name '.*'", "\\( -name '*.log' -o -name '*.gz' \\)"]],
  ['excludes are taken out', { patterns: ['*.conf'], excludes: 'old*' }, ['-type f', "! -name '.*'", "\\( -name '*.conf' \\)", "! \\( -name 'old*' \\)"]],
  ['hidden: yes selects dotfiles too', { hidden: true }, ['-type f']],
  ['directories', { file_type: 'directory' }, ['-type d', "! -name '.*'"]],
  ['links, with follow: the link itself', { file_type: 'link', follow: true }, ['-xtype l', "! -name '.*'"]],
  ['any kind', { file_type: 'any', hidden: true }, []],
  ['age: at least two days old', { age: '2d' }, ['-type f', "! -name '.*'", '! -newermt "@$((rb_now - 172800))"']],
  ['age: at most an hour old, by ctime', { age: '-1h', age_stamp: 'ctime' }, ['-type f', "! -name '.*'", '-newerct "@$((rb_now - 3600))"']],
  ['age in weeks and seconds', { age: '1w', hidden: true }, ['-type f', '! -newermt "@$((rb_now - 604800))"']],
  ['size: at least 10k', { size: '10k', hidden: true }, ['-type f', '-size +10239c']],
  ['size: at most 1m', { size: '-1m', hidden: true }, ['-type f', '-size -1048577c']],
  ['size in bytes, 0 is everything', { size: '0', hidden: true }, ['-type f']],
  ['size does not apply to directories', { size: '1g', file_type: 'directory', hidden: true }, ['-type d']],
  ['size with any kind applies to files only', { size: '5', file_type: 'any', hidden: true }, ['\\( ! -type f -o -size +4c \\)']],
  ['regex patterns are matched by grep, not find', { patterns: ['^a.*'], use_regex: true, hidden: true }, ['-type f']],
];

describe('modules/generic/find', () => {
  describe('the find expression', () => {
    for (const [what, raw, want] of tests) {
      it(what, () => expect(findTests(parseFindArgs({ paths: '/srv', ...raw }, loc))).to.deep.equal(want));
    }

    it('looks one level down unless recurse, and depth levels with it', () => {
      expect(findScript(parseFindArgs({ paths: '/srv' }, loc))).to.contain('-mindepth 1 -maxdepth 1 ');
      expect(findScript(parseFindArgs({ paths: '/srv', recurse: true }, loc))).to.match(/-mindepth 1 -fprintf/);
      expect(findScript(parseFindArgs({ paths: '/srv', recurse: true, depth: 3 }, loc))).to.contain('-maxdepth 3 ');
    });

    it('narrows by regex and content with grep -P, and sums files only when asked', () => {
      const s = findScript(parseFindArgs({ paths: '/srv', patterns: 'app', excludes: 'tmp', use_regex: true, contains: 'ERR.R', get_checksum: true }, loc));
      expect(s).to.contain("grep -zP -e '^.*/(?=[^/]*$)(?:(?:app))'");
      expect(s).to.contain("grep -zvP -e '^.*/(?=[^/]*$)(?:(?:tmp))'");
      expect(s).to.contain("xargs -0 -r grep -lZP -e '^(?:ERR.R)' --");
      expect(s).to.contain('sha1sum -z');
      expect(findScript(parseFindArgs({ paths: '/srv' }, loc))).not.to.contain('sha1sum');
      expect(findScript(parseFindArgs({ paths: '/srv', contains: 'x', read_whole_file: true }, loc))).to.contain('grep -lZzP -e x --');
    });

    it("anchors a regex's ^ and \\A at the basename, never inside a class or escaped", () => {
      expect(basenameRegex(['^a[^^b]\\^', '\\Ax|y'])).to.equal('^.*/(?=[^/]*$)(?:(?:(?<=/)a[^^b]\\^)|(?:(?<=/)x|y))');
    });

    it('quotes paths, expands ~ to the home, and keeps a relative path from reading as an option', () => {
      const s = findScript(parseFindArgs({ paths: ["/srv/it's", '~/logs', '-rf'] }, loc));
      expect(s).to.contain(`p='/srv/it'\\''s'`).and.to.contain('p="$HOME"/logs').and.to.contain('p=./-rf');
    });
  });

  it('maps a record to the stat dict Ansible returns, and a missing path to skipped_paths', () => {
    const rec = ['f', '4755', '12', '1700000000.5', '1700000001.25', '1700000002', '0', '0', 'root', 'root', '42', '2049', '1', '/srv/a'].join('\0') + '\0';
    const stdout = `\n@@runbook-section@@ p0\nexamined=3\n${rec}\n@@runbook-section@@ e0\n\n@@runbook-section@@ c0\n${'a'.repeat(40)}  /srv/a\0\n@@runbook-section@@ p1\nnotdir\n\n@@runbook-section@@ e1\n\n@@runbook-section@@ c1\n\n@@runbook-section@@ .end\n`;
    const plan = planFind(parseFindArgs({ paths: ['/srv', '/nope'], get_checksum: true }, loc), { stdout, stderr: '', code: 0 });
    expect(plan.changes).to.deep.equal([]);
    expect(plan.data).to.deep.include({ matched: 1, examined: 3, skipped_paths: { '/nope': "'/nope' is not a directory" }, msg: 'Not all paths examined, check warnings for details' });
    expect((plan.data!.files as unknown[])[0]).to.deep.equal({
      path: '/srv/a', mode: '4755', isdir: false, ischr: false, isblk: false, isreg: true, isfifo: false, islnk: false, issock: false,
      uid: 0, gid: 0, size: 12, inode: 42, dev: 2049, nlink: 1, atime: 1700000000.5, mtime: 1700000001.25, ctime: 1700000002,
      gr_name: 'root', pw_name: 'root', wusr: true, rusr: true, xusr: true, wgrp: false, rgrp: true, xgrp: true, woth: false, roth: true, xoth: true,
      isuid: true, isgid: false, checksum: 'a'.repeat(40),
    });
  });

  describe('on this machine', () => {
    let t: ReturnType<typeof tempDir>;
    const now = Date.now() / 1000;
    const names = (raw: Record<string, unknown>): string[] =>
      ((planOnly(findModule, { paths: t.dir, ...raw }).data!.files as { path: string }[]).map((f) => f.path.slice(t.dir.length + 1))).sort();
    beforeEach(() => {
      t = tempDir();
      mkdirSync(t.path('sub/deeper'), { recursive: true });
      mkdirSync(t.path('.hid'));
      writeFileSync(t.path('app.log'), 'started\nERROR: disk full\n');
      writeFileSync(t.path('app.conf'), 'x'.repeat(2048));
      writeFileSync(t.path('.secret'), 'x');
      writeFileSync(t.path('sub/old.log'), 'old\n');
      writeFileSync(t.path('sub/deeper/deep.log'), 'deep\n');
      writeFileSync(t.path('.hid/inside.log'), 'in\n');
      writeFileSync(t.path("sub/it's odd\nname.log"), 'odd');
      symlinkSync('app.log', t.path('link.log'));
      symlinkSync('sub', t.path('sublink'));
      utimesSync(t.path('sub/old.log'), now - 10 * 86400, now - 10 * 86400);
    });
    afterEach(() => t.cleanup());

    it('lists the files directly in the path; recurse and depth go further, hidden dirs are searched', () => {
      expect(names({})).to.deep.equal(['app.conf', 'app.log']);
      expect(names({ recurse: true })).to.deep.equal(['.hid/inside.log', 'app.conf', 'app.log', "sub/deeper/deep.log", "sub/it's odd\nname.log", 'sub/old.log']);
      expect(names({ recurse: true, depth: 2 })).to.deep.equal(['.hid/inside.log', 'app.conf', 'app.log', "sub/it's odd\nname.log", 'sub/old.log']);
      expect(names({ hidden: true })).to.deep.equal(['.secret', 'app.conf', 'app.log']);
    });

    it('patterns, excludes, regex, age, size, contains, and kinds', () => {
      expect(names({ patterns: '*.log', recurse: true, excludes: 'deep*' })).to.deep.equal(['.hid/inside.log', 'app.log', "sub/it's odd\nname.log", 'sub/old.log']);
      expect(names({ patterns: ['^app\\.(log|conf)$'], use_regex: true })).to.deep.equal(['app.conf', 'app.log']);
      expect(names({ patterns: ['ap'], use_regex: true, excludes: ['.*conf'] })).to.deep.equal(['app.log']);
      expect(names({ age: '5d', recurse: true })).to.deep.equal(['sub/old.log']);
      expect(names({ age: '-5d', recurse: true, patterns: '*.log', excludes: '*name*' })).to.deep.equal(['.hid/inside.log', 'app.log', 'sub/deeper/deep.log']);
      expect(names({ size: '2k' })).to.deep.equal(['app.conf']);
      expect(names({ size: '-1k' })).to.deep.equal(['app.log']);
      expect(names({ contains: 'ERROR' })).to.deep.equal(['app.log']);
      expect(names({ contains: 'disk' })).to.deep.equal([]);
      expect(names({ contains: 'ERROR: disk', read_whole_file: true })).to.deep.equal(['app.log']);
      expect(names({ file_type: 'directory' })).to.deep.equal(['sub']);
      expect(names({ file_type: 'link' })).to.deep.equal(['link.log', 'sublink']);
      expect(names({ file_type: 'any' })).to.deep.equal(['app.conf', 'app.log', 'link.log', 'sub', 'sublink']);
      expect(names({ follow: true, recurse: true, patterns: 'old.log' })).to.deep.equal(['sub/old.log', 'sublink/old.log']);
    });

    it('returns stat dicts with checksums, and counts what it examined', () => {
      const plan = planOnly(findModule, { paths: [t.dir, t.path('missing')], patterns: 'app.log', get_checksum: true });
      const [file] = plan.data!.files as Record<string, unknown>[];
      expect(file).to.deep.include({ path: t.path('app.log'), isreg: true, size: 25, checksum: 'b5abb60061c83d08d9e9548aa74eb74c8b7fa557' });
      expect(plan.data).to.deep.include({ matched: 1, examined: 7 });
      expect(plan.data!.skipped_paths).to.deep.equal({ [t.path('missing')]: `'${t.path('missing')}' is not a directory` });
    });
  });

  it('refuses bad arguments at the task', () => {
    expect(() => parseFindArgs({}, loc)).to.throw(InputError, /'paths' is required/);
    expect(() => parseFindArgs({ paths: '/x', age: '2y' }, loc)).to.throw(InputError, /failed to process age '2y'/);
    expect(() => parseFindArgs({ paths: '/x', size: 'big' }, loc)).to.throw(InputError, /failed to process size 'big'/);
    expect(() => parseFindArgs({ paths: '/x', depth: 2 }, loc)).to.throw(InputError, /depth needs recurse/);
    expect(() => parseFindArgs({ paths: '/x', contains: 'a', file_type: 'any' }, loc)).to.throw(InputError, /contains applies to file_type: file only/);
    expect(() => parseFindArgs({ paths: '/x', file_type: 'socket' }, loc)).to.throw(InputError, /file_type/);
    expect(() => findModule.parse({ paths: '/x', pattrens: '*' }, loc)).to.throw(InputError, /has no argument 'pattrens'/);
  });
});
