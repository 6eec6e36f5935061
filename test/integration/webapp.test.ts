// Issue 19 end to end: a small web application deployed the way an Ansible user writes it
// (test/fixtures/webapp): a system user with a deploy key, a git checkout and a release tarball
// served over HTTP from the controller, an apt source, a managed settings block, a systemd unit,
// a sysctl file, a cron job, and a file fetched back. --check on the bare host forecasts and
// changes nothing, the run converges and the page answers, and a second run changes nothing.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { stringify } from 'yaml';
import { getLab, onHost, resetHost, type Lab } from './lab/fixture.js';
import { REPO, describeRun, runbook, totalChanged } from './support/runbook.js';

const HOST = 'webapp1';
const DEPLOY_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0h5ZK0fixturekeyforwebapptestonly0000000000 deploy@ci';

/** What the deployment leaves on the host, one fact per line, for before/after comparisons. */
const STATE = [
  '{ getent passwd webapp || echo no-user; } | cut -d: -f1,6,7',
  'test -d /srv/webapp/src/.git && git -c safe.directory="*" -C /srv/webapp/src rev-parse HEAD 2>/dev/null || echo no-checkout',
  'readlink /srv/webapp/current || echo no-current',
  'cat /etc/default/webapp 2>/dev/null || echo no-settings',
  'test -f /etc/systemd/system/webapp.service && echo unit || echo no-unit',
  'cat /etc/sysctl.d/60-webapp.conf 2>/dev/null || echo no-sysctl',
  'crontab -u webapp -l 2>/dev/null || echo no-crontab',
  'cat /etc/apt/sources.list.d/webapp-mirror.list 2>/dev/null || echo no-source',
  'systemctl is-active webapp 2>/dev/null || true',
].join('; ');

/** Serves `dir` read-only on the lab's bridge address (what the hosts reach the controller on). */
function serve(dir: string, address: string): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    const path = normalize(join(dir, decodeURIComponent((req.url ?? '/').split('?')[0]!)));
    if (!path.startsWith(dir) || !existsSync(path)) {
      res.writeHead(404).end();
      return;
    }
    try {
      res.writeHead(200).end(readFileSync(path));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, base: `http://${address}:${port}` });
    });
  });
}

describe('the second job end to end: a web application on a lab host (issue 19)', function () {
  this.timeout(1_200_000);
  let lab: Lab;
  let work: string;
  let server: Server | undefined;
  let args: string[];

  before(async () => {
    lab = await getLab({ hosts: [{ name: HOST, groups: ['app'] }] });
    await resetHost(lab, HOST);
    const host = lab.hosts.find((h) => h.name === HOST)!;
    const bridge = host.address.replace(/\.\d+$/, '.1');
    work = mkdtempSync(join(tmpdir(), 'runbook-webapp-'));
    cpSync(join(REPO, 'test/fixtures/webapp'), join(work, 'project'), { recursive: true });

    // The code: a git repository with a tag, served by dumb HTTP (static files after update-server-info).
    const src = join(work, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'app.txt'), 'the application\n');
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=ci', '-c', 'user.email=ci@example.invalid', ...a], { cwd: src });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'v1');
    git('tag', 'v1');
    const served = join(work, 'served');
    mkdirSync(served);
    execFileSync('git', ['clone', '-q', '--bare', src, join(served, 'app.git')]);
    execFileSync('git', ['update-server-info'], { cwd: join(served, 'app.git') });

    // The release: a tarball with the page and its version, and its sha256.
    const release = join(work, 'release', 'webapp-1.0');
    mkdirSync(release, { recursive: true });
    writeFileSync(join(release, 'index.html'), '<h1>webapp 1.0</h1>\n');
    writeFileSync(join(release, 'VERSION'), '1.0\n');
    const tarball = join(served, 'webapp-1.0.tar.gz');
    execFileSync('tar', ['-czf', tarball, '-C', join(work, 'release'), 'webapp-1.0']);
    const checksum = createHash('sha256').update(readFileSync(tarball)).digest('hex');

    const http = await serve(served, bridge);
    server = http.server;
    const inventory = join(work, 'inventory.yml');
    writeFileSync(inventory, stringify({
      all: {
        vars: { ansible_user: 'root', ansible_ssh_private_key_file: lab.keyFile, ssh_known_hosts_file: lab.knownHostsFile },
        children: { app: { hosts: { [HOST]: { ansible_host: host.address } } } },
      },
    }));
    const extra = join(work, 'extra.yml');
    writeFileSync(extra, stringify({
      webapp_git_repo: `${http.base}/app.git`,
      webapp_release_url: `${http.base}/webapp-1.0.tar.gz`,
      webapp_release_checksum: checksum,
      webapp_deploy_key: DEPLOY_KEY,
      webapp_fetch_dir: join(work, 'fetched'),
      // The lab's hosts are containers with a read-only /proc/sys: the file is written, not loaded.
      webapp_sysctl_reload: false,
    }));
    args = [join(work, 'project', 'site.yml'), '-i', inventory, '-e', `@${extra}`, '--json'];
  });

  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('--check on the bare host forecasts the deployment and changes nothing', async () => {
    const before = (await onHost(lab, HOST, STATE)).stdout;
    expect(before).to.include('no-user').and.include('no-unit').and.include('no-crontab');
    const run = await runbook(['apply', ...args, '--check']);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.be.greaterThan(8);
    expect((await onHost(lab, HOST, STATE)).stdout).to.equal(before);
  });

  it('converges: the page answers from the release, the cron job and settings are in place', async () => {
    const run = await runbook(['apply', ...args]);
    expect(run.code, describeRun(run)).to.equal(0);
    expect(totalChanged(run)).to.be.greaterThan(8);
    const page = await onHost(lab, HOST, 'curl -fsS http://127.0.0.1:8080/ || python3 -c "import urllib.request;print(urllib.request.urlopen(\'http://127.0.0.1:8080/\').read().decode())"');
    expect(page.stdout).to.include('webapp 1.0');
    const state = (await onHost(lab, HOST, STATE)).stdout;
    expect(state).to.include('webapp:/srv/webapp:/usr/sbin/nologin');
    expect(state).to.include('/srv/webapp/releases/webapp-1.0');
    expect(state).to.include('WEBAPP_PORT=8080');
    expect(state).to.include('net.core.somaxconn');
    expect(state).to.match(/#Ansible: webapp cleanup\n@daily find \/srv\/webapp\/releases/);
    expect(state).to.include('deb [arch=amd64 trusted=yes] file:/opt/runbook-repo ./');
    expect(state).to.match(/\nactive\n?$/);
    const head = (await onHost(lab, HOST, 'git -c safe.directory="*" -C /srv/webapp/src rev-parse HEAD')).stdout.trim();
    expect(head).to.match(/^[0-9a-f]{40}$/);
    expect((await onHost(lab, HOST, 'cat /srv/webapp/.ssh/authorized_keys')).stdout).to.include(DEPLOY_KEY);
    expect(readFileSync(join(work, 'fetched', HOST, 'srv/webapp/current/VERSION'), 'utf8')).to.equal('1.0\n');
  });

  it('a second run changes nothing', async () => {
    const run = await runbook(['apply', ...args]);
    expect(run.code, describeRun(run)).to.equal(0);
    const changed = run.events.flatMap((e) => (e.type === 'host_result' && e.status === 'changed' ? [e.task] : []));
    expect(changed, 'tasks that changed on the second run').to.deep.equal([]);
    expect(totalChanged(run)).to.equal(0);
  });
});
