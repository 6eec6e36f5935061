// tempfile: the plan from a canned probe (the directory, mktemp's command), then for real here.
import { expect } from 'chai';
import { readdirSync, statSync } from 'node:fs';
import { planTempfile, tempfileModule, tempfileProbe } from '../../../../src/modules/generic/tempfile.js';
import type { ExecResult } from '../../../../src/transport/types.js';
import { apply, loc, planOnly, tempDir } from '../lib/local.js';

function host(dir: string, kind: 'dir' | 'file' | 'none'): ExecResult {
  const facts = `dir=${dir}\n${kind === 'dir' ? 'isdir=1\n' : kind === 'file' ? 'exists=1\n' : ''}`;
  return { stdout: `\n@@runbook-section@@ dir\n${facts}\n@@runbook-section@@ .end\n`, stderr: '', code: 0 };
}

const table: Array<[string, Record<string, unknown>, ExecResult, string]> = [
  ['a file in the default directory', {}, host('/tmp', 'dir'), "mktemp -p /tmp --suffix='' ansible.XXXXXXXX"],
  ['a directory with prefix and suffix', { state: 'directory', prefix: 'build-', suffix: '.d' }, host('/tmp', 'dir'), 'mktemp -d -p /tmp --suffix=.d build-XXXXXXXX'],
  ['in a given directory, quoted', { path: "/srv/my dir" }, host('/srv/my dir', 'dir'), "mktemp -p '/srv/my dir' --suffix='' ansible.XXXXXXXX"],
];

describe('modules/generic/tempfile', () => {
  for (const [what, raw, probe, command] of table) {
    it(what, () => {
      const plan = planTempfile(tempfileModule.parse(raw, loc), probe);
      expect(plan.steps.map((s) => s.script)).to.deep.equal([command]);
      expect(plan.changes).to.have.length(1);
      expect(plan.afterApply!([{ stdout: '/tmp/ansible.abcdefgh\n', stderr: '', code: 0 }]).data).to.deep.equal({ path: '/tmp/ansible.abcdefgh' });
    });
  }

  it('a missing directory fails, needing it (an earlier task may create it); a file there is refused', () => {
    expect(planTempfile(tempfileModule.parse({ path: '/srv/new' }, loc), host('/srv/new', 'none')).failure).to.deep.equal({
      msg: "[Errno 2] No such file or directory: '/srv/new'",
      needs: [{ kind: 'path', path: '/srv/new' }],
    });
    expect(planTempfile(tempfileModule.parse({ path: '/etc/hosts' }, loc), host('/etc/hosts', 'file')).failure?.msg).to.equal('/etc/hosts is not a directory');
    expect(tempfileProbe(tempfileModule.parse({}, loc))).to.contain('${TMPDIR:-/tmp}');
  });

  let t: ReturnType<typeof tempDir>;
  beforeEach(() => (t = tempDir()));
  afterEach(() => t.cleanup());

  it('creates a new 0600 file or 0700 directory on every run; check mode creates nothing', () => {
    expect(planOnly(tempfileModule, { path: t.dir }).changes).to.deep.equal([`create a temporary file ${t.dir}/ansible.XXXXXXXX`]);
    expect(readdirSync(t.dir)).to.deep.equal([]);
    const a = apply(tempfileModule, { path: t.dir, suffix: '.txt' }).after?.data?.path as string;
    const b = apply(tempfileModule, { path: t.dir, state: 'directory', prefix: 'x' }).after?.data?.path as string;
    expect(a).to.match(new RegExp(`^${t.dir}/ansible\\.\\w{8}\\.txt$`));
    expect(statSync(a).mode & 0o7777).to.equal(0o600);
    expect(statSync(b).isDirectory()).to.equal(true);
    expect(statSync(b).mode & 0o7777).to.equal(0o700);
    expect(apply(tempfileModule, { path: t.dir, suffix: '.txt' }).after?.data?.path).not.to.equal(a);
  });

  it('refuses bad arguments', () => {
    expect(() => tempfileModule.parse({ prefix: 'a/b' }, loc)).to.throw(/'prefix' may not contain '\/'/);
    expect(() => tempfileModule.parse({ state: 'link' }, loc)).to.throw(/state/);
    expect(() => tempfileModule.parse({ sufix: 'x' }, loc)).to.throw(/has no argument 'sufix'/);
  });
});
