// Writing files on a real host that a hostile local user shares: a symlink planted at the
// destination or in its directory path never redirects root's write, owner or mode, and -D never
// shows what such a link points at; follow: yes still writes through a legitimate link; a content
// stream that ends early leaves the old file as it was.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteStep } from '../../src/modules/lib/atomic-write.js';
import { onHost, type Lab } from './lab/fixture.js';
import { oneHostLab, type OneHost } from './support/one-host.js';
import { describeRun } from './support/runbook.js';

const HOST = 'ws1';
const SECRET = 'TOPSECRET-victim-content';
/** Stands for /etc/shadow: root's, 0640, something a local user must never get. */
const VICTIM = '/etc/runbook-victim';

describe('writing files on a host: planted symlinks, follow, truncated streams', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let play: OneHost['play'];
  let sh: OneHost['sh'];
  let cleanup = (): void => {};

  /** Content, owner and mode of the victim: must never change. */
  const victimState = () => sh(`sha1sum < ${VICTIM}; stat -c '%U:%G %a %h' ${VICTIM}`);

  before(async () => {
    ({ lab, work, play, sh, cleanup } = await oneHostLab({ host: HOST, prefix: 'write-safety', reset: false }));
    writeFileSync(join(work, 'app.conf.hbs'), 'templated = {{inventory_hostname}}\n');
    await sh(
      [
        'id mallory >/dev/null 2>&1 || useradd -m -s /bin/sh mallory',
        // ssh as mallory with the lab's key, so her links are made by her own process.
        'install -d -o mallory -m 0700 /home/mallory/.ssh && cp /root/.ssh/authorized_keys /home/mallory/.ssh/ && chown mallory /home/mallory/.ssh/authorized_keys',
      ].join('\n'),
    );
  });

  // Every test starts from an intact victim: one that a failing test overwrote must not hide the next one's leak.
  beforeEach(() => sh(`printf '%s\\n' ${SECRET} > ${VICTIM}; chown root:root ${VICTIM}; chmod 0640 ${VICTIM}`));

  after(() => cleanup());

  const modules: Array<[string, (dest: string) => Record<string, unknown>, string]> = [
    ['copy', (dest) => ({ copy: { dest, content: 'new = 1\n', owner: 'mallory' } }), 'new = 1\n'],
    ['template', (dest) => ({ template: { src: 'app.conf.hbs', dest, owner: 'mallory' } }), `templated = ${HOST}\n`],
    ['lineinfile', (dest) => ({ lineinfile: { path: dest, line: 'new = 1', owner: 'mallory' } }), `new = 1\n`],
    ['ini_file', (dest) => ({ ini_file: { path: dest, section: 'main', option: 'new', value: '1', owner: 'mallory' } }), '\n[main]\nnew = 1\n'], // a new ini file starts with a blank line, as Ansible's
  ];

  for (const [mod, task, expected] of modules) {
    it(`${mod}: a link a user planted at dest is replaced by a regular file; the link's target keeps its content, owner and mode`, async () => {
      const dest = `/home/mallory/${mod}.conf`;
      await sh(`rm -f ${dest}; ln -s ${VICTIM} ${dest}`, 'mallory');
      const before = await victimState();
      const run = await play(`${mod}-link`, [{ name: 'write', ...task(dest) }], '--json');
      expect(run.code, describeRun(run)).to.equal(0);
      expect(await victimState()).to.equal(before);
      expect(await sh(`stat -c '%F %U' ${dest}; cat ${dest}`)).to.equal(`regular file mallory\n${expected}`);
    });
  }

  it('-D (with and without --check) never shows the content of what a planted link points at', async () => {
    const dest = '/home/mallory/diff.conf';
    for (const mode of [['--check'], []]) {
      await sh(`rm -f ${dest}; ln -s ${VICTIM} ${dest}`, 'mallory');
      const run = await play('diff', [{ name: 'write', copy: { dest, content: 'new = 1\n' } }], '-D', ...mode);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(run.stdout + run.stderr).not.to.contain(SECRET);
      expect(run.stdout).to.contain('new = 1');
    }
    await sh(`rm -f ${dest}; ln -s ${VICTIM} ${dest}`, 'mallory');
    const edit = await play('diff-edit', [{ name: 'edit', lineinfile: { path: dest, line: 'x' } }], '-D', '--check');
    expect(edit.stdout + edit.stderr).not.to.contain(SECRET);
  });

  it('follow: yes writes through a link root made, and keeps the link', async () => {
    await sh('printf "old\\n" > /etc/app-real.conf; ln -sfn app-real.conf /etc/app-link.conf');
    const run = await play('follow', [
      { name: 'copy', copy: { dest: '/etc/app-link.conf', content: 'via link\n', follow: true } },
      { name: 'line', lineinfile: { path: '/etc/app-link.conf', line: 'line = 2', follow: true } },
    ], '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(await sh('stat -c %F /etc/app-link.conf; cat /etc/app-real.conf')).to.equal('symbolic link\nvia link\nline = 2\n');
  });

  it("follow: yes refuses a user's link to a file that is not hers: the task fails, the target is untouched", async () => {
    const dest = '/home/mallory/follow.conf';
    await sh(`rm -f ${dest}; ln -s ${VICTIM} ${dest}`, 'mallory');
    const before = await victimState();
    for (const task of [
      { copy: { dest, content: 'x\n', owner: 'mallory', follow: true } },
      { file: { path: dest, owner: 'mallory' } },
      { file: { path: dest, mode: '0666', state: 'file' } },
    ]) {
      const run = await play('follow-refused', [{ name: 'write', ...task }], '--json', '-D');
      expect(run.code, `${JSON.stringify(task)}\n${describeRun(run)}`).to.equal(2);
      expect(describeRun(run)).to.match(/link/);
      expect(run.stdout).not.to.contain(SECRET);
      expect(await victimState()).to.equal(before);
    }
  });

  it("file state=touch on a user's dangling link does not create the file it points at", async () => {
    const dest = '/home/mallory/touch.conf';
    await sh(`rm -f ${dest}; ln -s /etc/runbook-created-by-touch ${dest}`, 'mallory');
    const run = await play('touch', [{ name: 'touch', file: { path: dest, state: 'touch', owner: 'mallory' } }], '--json');
    expect(run.code, describeRun(run)).to.equal(2);
    expect(await sh('ls /etc/runbook-created-by-touch 2>&1 || true')).to.match(/No such file/);
  });

  it("a directory in dest's path that a user swapped for a link is not followed", async () => {
    await sh('rm -rf /etc/runbook-victim-dir; mkdir /etc/runbook-victim-dir');
    await sh('rm -rf /home/mallory/conf.d; ln -s /etc/runbook-victim-dir /home/mallory/conf.d', 'mallory');
    for (const task of [
      { copy: { dest: '/home/mallory/conf.d/app.conf', content: 'x\n', owner: 'mallory' } },
      { lineinfile: { path: '/home/mallory/conf.d/app.conf', line: 'x', create: true, owner: 'mallory' } },
    ]) {
      const run = await play('parent', [{ name: 'write', ...task }], '--json');
      expect(run.code, describeRun(run)).to.equal(2);
      expect(describeRun(run)).to.match(/conf\.d.*link/);
      expect(await sh('ls -A /etc/runbook-victim-dir')).to.equal('');
    }
  });

  it('a content stream that ends early leaves the old file, removes the temporary file and fails', async () => {
    const dir = '/var/tmp/runbook-trunc';
    await sh(`rm -rf ${dir}; mkdir ${dir}; printf 'old content\\n' > ${dir}/big.conf`);
    // 4 MB of text; the host gets only the first 1.5 MB before its stdin ends, as when the
    // controller or the link dies mid-transfer.
    const content = 'x'.repeat(63).concat('\n').repeat(64 * 1024);
    const step = atomicWriteStep({ path: `${dir}/big.conf`, content });
    const r = await onHost(lab, HOST, step.script, { input: content.slice(0, 1_500_000) });
    expect(r.code, r.stderr).to.not.equal(0);
    expect(r.stderr).to.match(/1500000 of 4194304 bytes/);
    expect(await sh(`cat ${dir}/big.conf; ls -A ${dir}`)).to.equal('old content\nbig.conf\n');
    // The same step with all of it: written, and the checksum is what was sent.
    const ok = await onHost(lab, HOST, step.script, { input: content });
    expect(ok.code, ok.stderr).to.equal(0);
    expect((await sh(`sha256sum < ${dir}/big.conf`)).split(' ')[0]).to.equal(createHash('sha256').update(content).digest('hex'));
  });
});
