// File transfer modules on a real host (slurp, find, fetch, synchronize), sharing one lab host:
// --check on a bare host forecasts and changes nothing on either side, the real run converges, a
// second run reports changed=0. Also: a file holding a template stays text after slurp, fetch
// writes nothing outside dest whatever src or the inventory name says, and synchronize deletes.
import { expect } from 'chai';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { onHost, type Lab } from './lab/fixture.js';
import { oneHostLab } from './support/one-host.js';
import { describeRun, runbook, totalChanged } from './support/runbook.js';

const TRICKY = "{{ lookup('pipe','id') }}";

/** Host files the read modules look at: present before any run, as a host's own data is. */
const FIXTURE = [
  'mkdir -p /srv/rbx/etc /srv/rbx/logs/sub',
  "printf 'listen 80\\n' > /srv/rbx/etc/app.conf",
  "head -c 3000 /dev/zero | tr '\\0' x > /srv/rbx/logs/big.log",
  'echo small > /srv/rbx/logs/small.log',
  'echo cfg > /srv/rbx/logs/app.conf',
  "echo old > /srv/rbx/logs/sub/old.log && touch -d '10 days ago' /srv/rbx/logs/sub/old.log",
].join(' && ');

/** What the play may change on the host: the copy of the slurped file and the synchronized site. */
const HOST_STATE = 'cat /srv/rbx/etc/tricky-copy.txt 2>/dev/null || echo no-copy; ls -A /srv/rbx/site 2>/dev/null || echo no-site';

describe('file transfer modules on a lab host (slurp, find, fetch, synchronize)', function () {
  this.timeout(600_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let cleanup = (): void => {};
  let play: string;

  const tasks = () => [
    { name: 'slurp a file holding a template', slurp: { src: '/srv/rbx/etc/tricky.txt' }, register: 'tricky' },
    { name: 'keep its text', set_fact: { tricky_text: '{{ tricky.content | b64decode }}' } },
    { name: 'show its text', debug: { msg: 'slurped: {{ tricky.content | b64decode }}' } },
    { name: 'write its text back', copy: { content: '{{ tricky_text }}', dest: '/srv/rbx/etc/tricky-copy.txt' } },
    { name: 'big logs', find: { paths: '/srv/rbx/logs', patterns: '*.log', recurse: true, size: '1k' }, register: 'big' },
    { name: 'old logs', find: { paths: '/srv/rbx/logs', patterns: '*.log', recurse: true, age: '5d', get_checksum: true }, register: 'old' },
    { name: 'top-level logs', find: { paths: ['/srv/rbx/logs', '/srv/rbx/none'], patterns: '*.log,*.conf', excludes: 'app*' }, register: 'top' },
    {
      name: 'find found what it should',
      assert: {
        that: [
          'big.matched == 1', "big.files[0].path == '/srv/rbx/logs/big.log'", 'big.files[0].size == 3000', 'big.files[0].isreg',
          'old.matched == 1', "old.files[0].path == '/srv/rbx/logs/sub/old.log'", "old.files[0].checksum == '281bac2b704617e807850e07e54bae3469f6a2e7'",
          'top.matched == 2', "'/srv/rbx/none' in top.skipped_paths", 'top.examined >= 4',
        ],
      },
    },
    { name: 'fetch per host', fetch: { src: '/srv/rbx/etc/app.conf', dest: join(work, 'fetched') } },
    { name: 'fetch flat', fetch: { src: '/srv/rbx/etc/app.conf', dest: join(work, 'flat', '{{ inventory_hostname }}.conf'), flat: true } },
    { name: 'publish the site', synchronize: { src: `${join(work, 'site')}/`, dest: '/srv/rbx/site/', delete: true, rsync_opts: ['--exclude=*.tmp'] } },
    { name: 'bring the logs back', synchronize: { mode: 'pull', src: '/srv/rbx/logs/', dest: `${join(work, 'pulled')}/` } },
  ];

  const writePlay = (file: string, t: unknown[]): string => {
    const path = join(work, file);
    writeFileSync(path, stringify([{ name: 'files', hosts: 'all', gather_facts: false, tasks: t }]));
    return path;
  };

  before(async () => {
    ({ lab, work, inventory, cleanup } = await oneHostLab({ host: 'xfer1', prefix: 'xfer' }));
    expect((await onHost(lab, 'xfer1', FIXTURE)).code).to.equal(0);
    expect((await onHost(lab, 'xfer1', 'cat > /srv/rbx/etc/tricky.txt', { input: `${TRICKY}\n` })).code).to.equal(0);
    mkdirSync(join(work, 'site/css'), { recursive: true });
    writeFileSync(join(work, 'site/index.html'), '<h1>hello</h1>\n');
    writeFileSync(join(work, 'site/css/site.css'), 'body{}\n');
    writeFileSync(join(work, 'site/draft.tmp'), 'not published\n');
    // An Ansible project (ansible.cfg beside the playbook): its templates are Jinja2.
    writeFileSync(join(work, 'ansible.cfg'), '[defaults]\n');
    play = writePlay('site.yml', tasks());
  });

  after(() => cleanup());

  it('synchronize without rsync on the host fails naming copy; then rsync is installed (from the offline repo)', async () => {
    await onHost(lab, 'xfer1', 'command -v rsync >/dev/null && apt-get remove -y -q rsync >/dev/null 2>&1; :');
    const only = writePlay('sync-only.yml', tasks().filter((t) => 'synchronize' in t));
    const run = await runbook(['apply', only, '-i', inventory, '--json']);
    expect(run.code).to.equal(2);
    expect(run.stdout).to.include('synchronize needs rsync on the host xfer1, and it is not installed there: install it first (apt: name=rsync), or use the copy module to send files instead');
    const installed = await onHost(lab, 'xfer1', 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q rsync >/dev/null 2>&1; command -v rsync');
    expect(installed.stdout.trim()).to.equal('/usr/bin/rsync');
  });

  it('--check on a bare host forecasts the changes and changes nothing, on the host or the controller', async () => {
    const before = (await onHost(lab, 'xfer1', HOST_STATE)).stdout;
    const run = await runbook(['apply', play, '-i', inventory, '--check', '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    // copy, fetch twice, synchronize push and pull (dry runs).
    expect(totalChanged(run)).to.equal(5);
    expect((await onHost(lab, 'xfer1', HOST_STATE)).stdout).to.equal(before);
    expect(before).to.equal('no-copy\nno-site\n');
    expect(existsSync(join(work, 'fetched'))).to.equal(false);
    expect(existsSync(join(work, 'flat'))).to.equal(false);
    expect(existsSync(join(work, 'pulled'))).to.equal(false);
  });

  it('converges, keeps slurped text literal, then a second run reports changed=0', async () => {
    const first = await runbook(['apply', play, '-i', inventory, '--json']);
    expect(first.code, describeRun(first)).to.equal(0);
    expect(totalChanged(first)).to.equal(5);
    // The host's text came back as data: never rendered, so no lookup ran on the controller.
    expect((await onHost(lab, 'xfer1', 'cat /srv/rbx/etc/tricky-copy.txt')).stdout).to.equal(`${TRICKY}\n`);
    expect(first.stdout).to.include(`slurped: ${TRICKY}`);
    expect(first.stdout).not.to.match(/uid=\d+\(/);
    expect(readFileSync(join(work, 'fetched/xfer1/srv/rbx/etc/app.conf'), 'utf8')).to.equal('listen 80\n');
    expect(readFileSync(join(work, 'flat/xfer1.conf'), 'utf8')).to.equal('listen 80\n');
    expect((await onHost(lab, 'xfer1', 'cd /srv/rbx/site && find . -type f | sort && cat index.html')).stdout).to.equal('./css/site.css\n./index.html\n<h1>hello</h1>\n');
    expect(readFileSync(join(work, 'pulled/sub/old.log'), 'utf8')).to.equal('old\n');
    expect(readFileSync(join(work, 'pulled/big.log'), 'utf8')).to.have.length(3000);
    const again = await runbook(['apply', play, '-i', inventory, '--json']);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again)).to.equal(0);
  });

  it('fetch changes when the host file changes; synchronize deletes what the source lacks', async () => {
    await onHost(lab, 'xfer1', "printf 'listen 81\\n' > /srv/rbx/etc/app.conf && echo stale > /srv/rbx/site/stale.html");
    const run = await runbook(['apply', play, '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.equal(3);
    expect(readFileSync(join(work, 'fetched/xfer1/srv/rbx/etc/app.conf'), 'utf8')).to.equal('listen 81\n');
    expect((await onHost(lab, 'xfer1', 'ls /srv/rbx/site')).stdout).to.equal('css\nindex.html\n');
  });

  it("fetch writes nothing outside dest: a '..' in src, a link planted below dest", async () => {
    const outside = join(work, 'outside');
    mkdirSync(outside);
    mkdirSync(join(work, 'trap'));
    symlinkSync(outside, join(work, 'trap/xfer1'));
    const hostile = writePlay('hostile.yml', [
      { name: 'dot-dot', fetch: { src: '/srv/rbx/../rbx/etc/app.conf', dest: join(work, 'fetched') }, ignore_errors: true, register: 'dots' },
      { name: 'planted link', fetch: { src: '/srv/rbx/etc/app.conf', dest: join(work, 'trap') }, ignore_errors: true, register: 'link' },
      { name: 'both refused', assert: { that: ["dots.msg is search('Detected directory traversal')", "link.msg is search('symbolic link inside the destination folder')"] } },
    ]);
    const run = await runbook(['apply', hostile, '-i', inventory, '--json']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(readdirSync(outside)).to.deep.equal([]);
    expect(existsSync(join(work, 'fetched/xfer1/srv/rbx/rbx'))).to.equal(false);
  });
});
