// Issue 15: `--queue rediss://` against a real redis-server that answers only TLS. A private CA made
// here with openssl, trusted through NODE_EXTRA_CA_CERTS as docs/distributed.md says; a worker and a
// submitter run a play on the controller itself (connection local), so no lab host is needed.
import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { REPO, runbook } from './support/runbook.js';

/** A CA and a server certificate for localhost / 127.0.0.1, signed by it. */
function makeCerts(dir: string): { ca: string; cert: string; key: string } {
  const f = (name: string): string => join(dir, name);
  const run = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '2', '-subj', '/CN=runbook test CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=localhost']);
  writeFileSync(f('san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  run(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.pem'), '-days', '2', '-extfile', f('san.ext')]);
  return { ca: f('ca.pem'), cert: f('server.pem'), key: f('server.key') };
}

describe('queue over TLS: rediss:// with a private CA (real redis-server)', function () {
  this.timeout(300_000);
  let dir: string;
  let redis: RedisServer;
  let certs: { ca: string; cert: string; key: string };
  let worker: ChildProcess | undefined;
  let workerLog = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-queue-tls-'));
    certs = makeCerts(dir);
    redis = await startRedis({ tls: certs });
    writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    here: { ansible_connection: local }\n');
    writeFileSync(
      join(dir, 'site.yml'),
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: mark\n      copy: { dest: ${join(dir, 'mark.txt')}, content: "over tls\\n" }\n`,
    );
  });

  after(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      worker.kill('SIGKILL');
      await new Promise((r) => worker!.once('exit', r));
    }
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const trusted = (): NodeJS.ProcessEnv => ({ RUNBOOK_QUEUE_PASSWORD: redis.userPassword, NODE_EXTRA_CA_CERTS: certs.ca });

  it('a worker and apply --queue rediss:// run the play through TLS; the recap names the worker', async () => {
    const workDir = join(dir, 'worker');
    spawnSync('mkdir', ['-p', workDir]);
    worker = spawn(process.execPath, [join(REPO, 'bin/runbook.js'), 'worker', '--queue', redis.url, '--name', 'tls-w1', '-c', '1', '--cache-dir', join(workDir, 'cache')], {
      cwd: workDir, env: { ...process.env, ...trusted(), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout!.on('data', (d: Buffer) => (workerLog += d.toString()));
    worker.stderr!.on('data', (d: Buffer) => (workerLog += d.toString()));

    const r = await runbook(['apply', join(dir, 'site.yml'), '-i', join(dir, 'inventory.yml'), '--queue', redis.url, '--json'], { cwd: dir, env: trusted() });
    expect(r.code, r.stderr + workerLog).to.equal(0);
    expect(r.recap.here).to.include({ changed: 1, failed: 0 });
    expect(readFileSync(join(dir, 'mark.txt'), 'utf8')).to.equal('over tls\n');
    const result = r.events.find((e) => e.type === 'host_result') as { worker?: string } | undefined;
    expect(result?.worker).to.equal('tls-w1');
    for (const out of [r.stdout, r.stderr, workerLog]) expect(out).to.not.include(redis.userPassword);

    const again = await runbook(['apply', join(dir, 'site.yml'), '-i', join(dir, 'inventory.yml'), '--queue', redis.url, '--json'], { cwd: dir, env: trusted() });
    expect(again.code, again.stderr).to.equal(0);
    expect(again.recap.here).to.include({ changed: 0 });
  });

  it('without the CA the certificate is refused: exit 1 naming host:port, never the password', async () => {
    const r = await runbook(['runs', '--queue', redis.url], { cwd: dir, env: { RUNBOOK_QUEUE_PASSWORD: redis.userPassword, NODE_EXTRA_CA_CERTS: '' } });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`localhost:${redis.port}`);
    expect(r.stderr.toLowerCase()).to.match(/certificate|self.signed|verify/);
    expect(r.stdout + r.stderr).to.not.include(redis.userPassword);
  });

  it('redis:// (no TLS) to a TLS-only port fails with exit 1, never the password', async () => {
    const plain = redis.url.replace('rediss://', 'redis://');
    const r = await runbook(['runs', '--queue', plain], { cwd: dir, env: trusted(), timeoutMs: 120_000 });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain(`localhost:${redis.port}`);
    expect(r.stdout + r.stderr).to.not.include(redis.userPassword);
    expect(existsSync(join(dir, 'mark.txt'))).to.equal(true);
  });
});
