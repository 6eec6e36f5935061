// blockinfile, replace, assemble and tempfile on a real host: --check on a bare host forecasts and
// writes nothing, the real run converges, a second run reports changed=0 (but tempfile, which makes
// a new file each time, as Ansible's), and a link a user planted at the destination is not followed.
import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { oneHostLab, type OneHost } from './support/one-host.js';
import { describeRun, totalChanged } from './support/runbook.js';

const HOST = 'fe1';
const D = '/srv/fe';
const SECRET = 'TOPSECRET-victim-content';
const VICTIM = '/etc/runbook-victim';

const TASKS = [
  { name: 'dir', file: { path: D, state: 'directory' } },
  { name: 'config', copy: { dest: `${D}/app.conf`, content: 'port = 80\nhost = old.example.com\nend = 1\n', force: false } },
  { name: 'block after port', blockinfile: { path: `${D}/app.conf`, marker: '# {mark} cache', insertafter: '^port', block: 'cache = on\nttl = 60' } },
  { name: 'new sudoers file', blockinfile: { path: `${D}/sudoers`, create: true, mode: '0440', block: 'deploy ALL=(root) NOPASSWD: /bin/true', validate: 'grep -q deploy %s' } },
  { name: 'host renamed', replace: { path: `${D}/app.conf`, regexp: '^host = old\\.example\\.com$', replace: 'host = new.example.com', backup: true } },
  { name: 'parts', file: { path: `${D}/parts`, state: 'directory' } },
  { name: 'part 10', copy: { dest: `${D}/parts/10-main`, content: 'main = 1\n' } },
  { name: 'part 20', copy: { dest: `${D}/parts/20-extra`, content: 'extra = 2' } },
  { name: 'assembled on the host', assemble: { src: `${D}/parts`, dest: `${D}/assembled.conf`, mode: '0640' } },
  { name: 'assembled from the controller', assemble: { src: 'conf.d', remote_src: false, dest: `${D}/controller.conf`, delimiter: '# --' } },
  { name: 'scratch dir', tempfile: { state: 'directory', path: D, suffix: '.build' }, register: 'scratch' },
  { name: 'scratch noted', copy: { dest: `${D}/scratch-path`, content: '{{ scratch.path }}\n' }, when: 'scratch.path is defined' },
];

/** Everything the tasks write, as text, for comparing before and after. */
const STATE = `cd ${D} 2>/dev/null || { echo none; exit 0; }; for f in app.conf sudoers assembled.conf controller.conf; do echo "== $f $(stat -c %a $f)"; cat $f; done; ls -A`;

describe('file edits on a lab host (blockinfile, replace, assemble, tempfile)', function () {
  this.timeout(600_000);
  let work: string;
  let play: OneHost['play'];
  let sh: OneHost['sh'];
  let cleanup = (): void => {};

  before(async () => {
    ({ work, play, sh, cleanup } = await oneHostLab({ host: HOST, prefix: 'file-edits' }));
    mkdirSync(join(work, 'files/conf.d'), { recursive: true });
    writeFileSync(join(work, 'files/conf.d/b.conf'), 'b = 2\n');
    writeFileSync(join(work, 'files/conf.d/a.conf'), 'a = 1');
    await sh([
      'id mallory >/dev/null 2>&1 || useradd -m -s /bin/sh mallory',
      'install -d -o mallory -m 0700 /home/mallory/.ssh && cp /root/.ssh/authorized_keys /home/mallory/.ssh/ && chown mallory /home/mallory/.ssh/authorized_keys',
      `printf '%s\\n' ${SECRET} > ${VICTIM}; chmod 0640 ${VICTIM}`,
    ].join('\n'));
  });

  after(() => cleanup());

  it('--check on a bare host forecasts every change and writes nothing', async () => {
    const run = await play('site', TASKS, '--check', '--json');
    expect(run.code, describeRun(run)).to.equal(0);
    // scratch noted is skipped: in check mode tempfile sets no path.
    expect(totalChanged(run)).to.equal(TASKS.length - 1);
    expect(await sh(STATE)).to.equal('none\n');
  });

  it('converges, then a second run changes only tempfile (a new one each run, as Ansible)', async () => {
    const first = await play('site', TASKS, '--json');
    expect(first.code, describeRun(first)).to.equal(0);
    expect(totalChanged(first)).to.equal(TASKS.length);
    const state = await sh(STATE);
    expect(state).to.contain('== app.conf 644\nport = 80\n# BEGIN cache\ncache = on\nttl = 60\n# END cache\nhost = new.example.com\nend = 1\n');
    expect(state).to.contain('== sudoers 440\n# BEGIN ANSIBLE MANAGED BLOCK\ndeploy ALL=(root) NOPASSWD: /bin/true\n# END ANSIBLE MANAGED BLOCK\n');
    expect(state).to.contain('== assembled.conf 640\nmain = 1\nextra = 2== controller.conf');
    expect(state).to.contain('== controller.conf 644\na = 1\n# --\nb = 2\n');
    // The backup replace kept, and the scratch directory tempfile made (0700).
    expect(state).to.match(/\napp\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~\n/);
    const scratch = (await sh(`cat ${D}/scratch-path`)).trim();
    expect(scratch).to.match(new RegExp(`^${D}/ansible\\.\\w{8}\\.build$`));
    expect(await sh(`stat -c '%F %a' ${scratch}`)).to.equal('directory 700\n');

    const again = await play('site', TASKS, '--json');
    expect(again.code, describeRun(again)).to.equal(0);
    const changed = again.events.filter((e) => e.type === 'host_result' && e.status === 'changed').map((e) => (e as { task: string }).task);
    expect(changed).to.deep.equal(['scratch dir', 'scratch noted']);
  });

  it('a link a user planted at the destination is replaced, never followed; -D never shows its target', async () => {
    const link = (name: string) => sh(`rm -f /home/mallory/${name}; ln -s ${VICTIM} /home/mallory/${name}`, 'mallory');
    await sh('rm -rf /home/mallory/parts; mkdir /home/mallory/parts; echo part > /home/mallory/parts/a', 'mallory');
    for (const name of ['block.conf', 'replace.conf', 'assemble.conf']) await link(name);
    const victim = await sh(`sha1sum < ${VICTIM}; stat -c '%U:%G %a' ${VICTIM}`);
    const run = await play('links', [
      { name: 'block', blockinfile: { path: '/home/mallory/block.conf', block: 'x = 1', owner: 'mallory' } },
      { name: 'replace', replace: { path: '/home/mallory/replace.conf', regexp: 'TOPSECRET', replace: 'leaked' } },
      { name: 'assemble', assemble: { src: '/home/mallory/parts', dest: '/home/mallory/assemble.conf', owner: 'mallory' } },
    ], '--json', '-D');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(run.stdout + run.stderr).not.to.contain(SECRET);
    expect(await sh(`sha1sum < ${VICTIM}; stat -c '%U:%G %a' ${VICTIM}`)).to.equal(victim);
    expect(await sh("cd /home/mallory && stat -c '%n %F %U' block.conf assemble.conf && cat block.conf assemble.conf")).to.equal(
      'block.conf regular file mallory\nassemble.conf regular file mallory\n# BEGIN ANSIBLE MANAGED BLOCK\nx = 1\n# END ANSIBLE MANAGED BLOCK\npart\n',
    );
    // replace edits the link's own (empty) text, which has no match: nothing is written anywhere.
    expect(await sh("stat -c '%F' /home/mallory/replace.conf")).to.equal('symbolic link\n');
  });
});
