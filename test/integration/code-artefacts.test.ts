// get_url, unarchive and git on a real host, fed by an HTTP server of this test on the lab's
// controller-side address (tarballs, a checksum file, a file behind basic auth, a git repository
// over dumb HTTP): --check on a bare host changes nothing, the run converges, a second run reports
// changed=0, a checksum mismatch fails without touching dest, and url_password never shows in the
// output or in the host's process list.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';
import { stringify } from 'yaml';
import type { LabState } from '../../src/lab/state.js';
import { onHost, type Lab } from './lab/fixture.js';
import { oneHostLab } from './support/one-host.js';
import { describeRun, runbook, totalChanged, type CliRun } from './support/runbook.js';

/** The tasks a run reports changed, with what changed: the message when a re-run is not idempotent. */
function changedTasks(run: CliRun): string {
  const events = run.events as unknown as { type: string; status?: string; task?: string; changes?: string[] }[];
  return events.filter((e) => e.type === 'host_result' && e.status === 'changed').map((e) => `${e.task}: ${(e.changes ?? []).join('; ')}`).join('\n');
}

const HOST = 'code1';
const USER = 'deploy';

function sh(cmd: string, cwd: string): string {
  const r = spawnSync('sh', ['-c', cmd], { cwd });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr.toString()}`);
  return r.stdout.toString().trim();
}

/** Static files from `root`; /private/ needs basic auth and answers slowly (so ps can see curl). */
function serve(root: string, address: string, password: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!));
    const send = () => {
      try {
        const file = join(root, path);
        const st = statSync(file);
        if (!st.isFile()) throw new Error('not a file');
        res.writeHead(200, { 'content-length': st.size, 'last-modified': st.mtime.toUTCString() });
        createReadStream(file).pipe(res);
      } catch {
        res.writeHead(404).end('not found\n');
      }
    };
    if (path.startsWith('/private/')) {
      const want = `Basic ${Buffer.from(`${USER}:${password}`).toString('base64')}`;
      if (req.headers.authorization !== want) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="rb"' }).end('no\n');
        return;
      }
      setTimeout(send, 1500);
      return;
    }
    send();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, base: `http://${address}:${port}` });
    });
  });
}

/** What the host has under /opt/rbcode (names, sizes, modes, owners) and which of the tools are installed. */
const STATE = `find /opt/rbcode -printf '%p %s %m %u\\n' 2>/dev/null | grep -v '/.git/' | sort; for p in curl git unzip xz-utils; do dpkg-query -W -f='\${Package} \${Status}\\n' $p 2>/dev/null | grep ' installed$' || true; done`;

describe('code and artefacts on a lab host (get_url, unarchive, git)', function () {
  this.timeout(900_000);
  let lab: Lab;
  let work: string;
  let inventory: string;
  let cleanup = (): void => {};
  let site: string;
  let base: string;
  let server: Server | undefined;
  let secrets: string;
  let tgzSum: string;
  let tagSha: string;
  let headSha: string;
  const password = `pw-${randomInt(1e9)}&=+!${randomInt(1e9)}`;

  const apply = (play: string, ...more: string[]) => runbook(['apply', play, '-i', inventory, '-e', `@${secrets}`, '--json', ...more]);

  before(async function () {
    this.timeout(1_800_000);
    ({ lab, work, inventory, cleanup } = await oneHostLab({ host: HOST, prefix: 'code' }));
    const state = JSON.parse(readFileSync(join(lab.dir, 'state.json'), 'utf8')) as LabState;
    const www = join(work, 'www');
    mkdirSync(join(www, 'private'), { recursive: true });
    mkdirSync(join(work, 'src/app/bin'), { recursive: true });
    mkdirSync(join(work, 'files'));
    writeFileSync(join(work, 'src/app/README'), 'release 1.0\n');
    writeFileSync(join(work, 'src/app/bin/run.sh'), '#!/bin/sh\necho run\n', { mode: 0o755 });
    sh(`tar -czf ${www}/app-1.0.tar.gz app && tar -cJf ${www}/app-1.0.tar.xz app && zip -qr ${work}/files/app-1.0.zip app`, join(work, 'src'));
    tgzSum = createHash('sha256').update(readFileSync(join(www, 'app-1.0.tar.gz'))).digest('hex');
    sh('sha256sum app-1.0.tar.gz app-1.0.tar.xz > SHA256SUMS', www);
    writeFileSync(join(www, 'private/secret.txt'), 'for deploy only\n');
    // A repository over dumb HTTP: a bare copy with its info/refs written by update-server-info.
    const g = 'git -c user.email=t@t -c user.name=t';
    sh(`git init -q -b main repo && cd repo && echo one > README && git add README && ${g} commit -q -m one && ${g} tag -a v1 -m v1 && echo two > README && ${g} commit -q -am two`, work);
    tagSha = sh('git rev-parse v1^{commit}', join(work, 'repo'));
    headSha = sh('git rev-parse HEAD', join(work, 'repo'));
    sh(`git clone -q --bare repo ${www}/repo.git && git -C ${www}/repo.git update-server-info`, work);
    ({ server, base } = await serve(www, state.bridgeAddress, password));

    secrets = join(work, 'secrets.yml');
    writeFileSync(secrets, stringify({ artefacts_password: password }), { mode: 0o600 });
    site = join(work, 'site.yml');
    writeFileSync(site, stringify([{
      name: 'code and artefacts',
      hosts: 'all',
      gather_facts: false,
      tasks: [
        { name: 'tools', apt: { name: ['curl', 'git', 'unzip', 'xz-utils'], state: 'present' } },
        { name: 'dirs', file: { path: '{{ item }}', state: 'directory' }, loop: ['/opt/rbcode', '/opt/rbcode/app', '/opt/rbcode/zip', '/opt/rbcode/xz'] },
        { name: 'tarball with a checksum', get_url: { url: `${base}/app-1.0.tar.gz`, dest: '/opt/rbcode/app-1.0.tar.gz', checksum: `sha256:${tgzSum}`, mode: '0640' } },
        { name: 'into a directory, checked against a checksum file', get_url: { url: `${base}/app-1.0.tar.xz`, dest: '/opt/rbcode/', checksum: `sha256:${base}/SHA256SUMS` } },
        { name: 'behind basic auth', get_url: { url: `${base}/private/secret.txt`, dest: '/opt/rbcode/secret.txt', url_username: USER, url_password: '{{ artefacts_password }}', mode: '0600' } },
        { name: 'unpack the downloaded tarball', unarchive: { src: '/opt/rbcode/app-1.0.tar.gz', dest: '/opt/rbcode/app', remote_src: true, owner: 'nobody', group: 'nogroup' } },
        { name: 'unpack a zip from the controller', unarchive: { src: 'app-1.0.zip', dest: '/opt/rbcode/zip', list_files: true } },
        { name: 'unpack a tar.xz straight from its URL', unarchive: { src: `${base}/app-1.0.tar.xz`, dest: '/opt/rbcode/xz', remote_src: true, extra_opts: ['--strip-components=1'] } },
        { name: 'checkout at a tag, over http', git: { repo: `${base}/repo.git`, dest: '/opt/rbcode/tagged', version: 'v1' } },
        { name: 'checkout at HEAD, over http', git: { repo: `${base}/repo.git`, dest: '/opt/rbcode/main' } },
        { name: 'checkout from a local path', git: { repo: '/opt/rbcode/main', dest: '/opt/rbcode/local', version: 'main' } },
      ],
    }]));
  });

  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    cleanup();
  });

  it('--check on a bare host forecasts every task and changes nothing', async () => {
    const before = (await onHost(lab, HOST, STATE)).stdout;
    expect(before).to.equal('');
    const run = await apply(site, '--check');
    expect(run.code, describeRun(run)).to.equal(0);
    expect(run.recap[HOST]!.failed).to.equal(0);
    // Every task would change: tools, dirs, 3 downloads, 3 unpacks, 3 checkouts.
    expect(run.recap[HOST]!.changed, describeRun(run)).to.equal(11);
    expect((await onHost(lab, HOST, STATE)).stdout).to.equal(before);
  });

  it('converges, then a second run reports changed=0', async () => {
    const first = await apply(site);
    expect(first.code, describeRun(first)).to.equal(0);
    const host = await onHost(lab, HOST, [
      'sha256sum /opt/rbcode/app-1.0.tar.gz | cut -d" " -f1',
      'stat -c %a /opt/rbcode/app-1.0.tar.gz',
      'cat /opt/rbcode/secret.txt /opt/rbcode/app/app/README /opt/rbcode/zip/app/README /opt/rbcode/xz/README',
      'stat -c %U:%G /opt/rbcode/app/app/bin/run.sh; test -x /opt/rbcode/zip/app/bin/run.sh && echo exec',
      'git -C /opt/rbcode/tagged rev-parse HEAD; git -C /opt/rbcode/main rev-parse HEAD; git -C /opt/rbcode/main symbolic-ref --short HEAD; git -C /opt/rbcode/local rev-parse HEAD',
      'test -f /opt/rbcode/app-1.0.tar.xz && echo xz-downloaded',
    ].join('; '));
    expect(host.stdout.split('\n')).to.deep.equal([
      tgzSum, '640', 'for deploy only', 'release 1.0', 'release 1.0', 'release 1.0', 'nobody:nogroup', 'exec', tagSha, headSha, 'main', headSha, 'xz-downloaded', '',
    ]);
    const again = await apply(site);
    expect(again.code, describeRun(again)).to.equal(0);
    expect(totalChanged(again), changedTasks(again)).to.equal(0);
    const check = await apply(site, '--check');
    expect(check.code, describeRun(check)).to.equal(0);
    // Only the directory dest is forecast as a change: its file name is known once downloaded (docs/modules.md).
    expect(changedTasks(check)).to.match(/^into a directory, checked against a checksum file: download \S+ into \/opt\/rbcode\/$/);
  });

  it('a checksum mismatch fails the task and leaves dest as it was', async () => {
    const play = join(work, 'mismatch.yml');
    writeFileSync(play, stringify([{ name: 'mismatch', hosts: 'all', gather_facts: false, tasks: [
      { name: 'wrong checksum', get_url: { url: `${base}/app-1.0.tar.xz`, dest: '/opt/rbcode/app-1.0.tar.gz', checksum: `sha256:${'0'.repeat(64)}` } },
    ] }]));
    const before = (await onHost(lab, HOST, 'sha256sum /opt/rbcode/app-1.0.tar.gz; ls -a /opt/rbcode')).stdout;
    const run = await apply(play);
    expect(run.code).to.equal(2);
    expect(run.stdout).to.match(/The checksum for http:.*app-1\.0\.tar\.xz did not match 0{64}; it was [0-9a-f]{64}/);
    expect((await onHost(lab, HOST, 'sha256sum /opt/rbcode/app-1.0.tar.gz; ls -a /opt/rbcode')).stdout).to.equal(before);
  });

  it('url_password is in neither the --json output nor the host\'s process list', async () => {
    // A poller on the host: full-width ps snapshots, the password read from stdin into a root-only file.
    const poller = [
      'umask 077; d=/run/runbook-codew; rm -rf "$d"; mkdir -p "$d"; cat > "$d/pats"; : > "$d/hits"; : > "$d/curl"',
      `setsid sh -c 'd=/run/runbook-codew; n=0; while [ ! -e "$d/stop" ]; do ps -ww -eo args= > "$d/snap"; grep -F -f "$d/pats" "$d/snap" >> "$d/hits"; grep -c "^curl -K -" "$d/snap" >> "$d/curl"; n=$((n + 1)); done; echo $n > "$d/count"' >/dev/null 2>&1 < /dev/null &`,
      'echo started',
    ].join('\n');
    expect((await onHost(lab, HOST, poller, { input: `${password}\n` })).stdout.trim()).to.equal('started');
    const play = join(work, 'secret.yml');
    writeFileSync(play, stringify([{ name: 'secret', hosts: 'all', gather_facts: false, tasks: [
      { name: 'behind basic auth, fetched again', get_url: { url: `${base}/private/secret.txt`, dest: '/opt/rbcode/secret.txt', url_username: USER, url_password: '{{ artefacts_password }}', force: true } },
    ] }]));
    let run;
    try {
      run = await apply(play, '-v');
    } finally {
      await onHost(lab, HOST, 'touch /run/runbook-codew/stop');
    }
    expect(run.code, describeRun(run)).to.equal(0);
    expect(run.stdout + run.stderr).not.to.contain(password);
    let out = '';
    for (let i = 0; i < 50; i++) {
      const r = await onHost(lab, HOST, 'd=/run/runbook-codew; [ -e "$d/count" ] || exit 7; cat "$d/count"; awk "{s+=\\$1} END {print s+0}" "$d/curl"; wc -c < "$d/hits"');
      if (r.code !== 7) {
        out = r.stdout;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const [polls, curlSeen, hitBytes] = out.split('\n').map((l) => Number(l.trim()));
    expect(polls, 'ps polls').to.be.greaterThan(10);
    expect(curlSeen, 'ps saw curl running (the server answers after 1.5 s)').to.be.greaterThan(0);
    expect(hitBytes, 'bytes of ps lines holding the password').to.equal(0);
  });
});
