// The ssh transport against a real sshd on 127.0.0.1: exec, stdin, MaxSessions, host keys, drops, abort, tunnels.
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { InterruptedError, TaskFailure, UnreachableError } from '../../../src/core/errors.js';
import { ConnectionPool, openTransport } from '../../../src/transport/pool.js';
import { openSsh } from '../../../src/transport/ssh.js';
import type { Transport } from '../../../src/transport/types.js';
import { fingerprintOf, freePort, generateKey, sshdAvailable, startSshd, type TestSshd } from './sshd.js';

const run = promisify(execFile);

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err as Error,
  );
}

describe('ssh transport (real sshd on 127.0.0.1)', function () {
  let sshd: TestSshd;
  let t: Transport;

  before(async function () {
    if (!sshdAvailable()) this.skip();
    sshd = await startSshd({ maxSessions: 3 });
    t = await openSsh(sshd.spec());
  });

  after(async () => {
    await t?.close();
    await sshd?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && sshd) console.error(`--- sshd log ---\n${await sshd.log()}`);
  });

  describe('exec', () => {
    it('runs the script with /bin/sh whatever the login shell, with stdin, stdout, stderr and the exit code', async () => {
      const script = `read a; printf '%s|%s\\n' "$a" "it's"; echo oops >&2; exit 3`;
      const r = await t.exec(script, { stdin: 'hello world\n' });
      expect(r).to.deep.equal({ stdout: 'hello world|it\'s\n', stderr: 'oops\n', code: 3 });
    });

    it('keeps output untrimmed and UTF-8 intact', async () => {
      const r = await t.exec("printf '  €uro\\n\\n'");
      expect(r.stdout).to.equal('  €uro\n\n');
      expect(r.code).to.equal(0);
    });

    it('passes 1 MB of binary stdin intact', async () => {
      const data = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) % 256;
      const r = await t.exec('sha256sum | cut -d" " -f1; ', { stdin: data });
      expect(r.stdout.trim()).to.equal(createHash('sha256').update(data).digest('hex'));
    });

    it('survives a script that ignores a large stdin', async () => {
      const r = await t.exec('exit 0', { stdin: Buffer.alloc(1024 * 1024) });
      expect(r.code).to.equal(0);
    });

    it('streams output through onOutput as it arrives', async () => {
      const seen: string[] = [];
      const r = await t.exec('echo one; echo two >&2; echo three', { onOutput: (c, s) => seen.push(`${s}:${c}`) });
      const streamed = seen.filter((x) => x.startsWith('stdout:')).map((x) => x.slice(7)).join('');
      expect(streamed).to.equal(r.stdout);
      expect(seen.some((x) => x.startsWith('stderr:'))).to.equal(true);
    });

    it('runs 20 commands at once over one connection although sshd allows 3 sessions (MaxSessions 3)', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => t.exec(`sleep 0.2; echo ${i}`)),
      );
      expect(results.map((r) => r.stdout)).to.deep.equal(Array.from({ length: 20 }, (_, i) => `${i}\n`));
      expect(results.every((r) => r.code === 0)).to.equal(true);
      // Still one connection: sshd forked one session process for it.
      expect(await sshd.sessionPids()).to.have.length(1);
    });

    it('abort rejects at once, stops the remote command (root login: no SSH signals) and frees the session', async () => {
      const ac = new AbortController();
      // A duration no other process on this shared machine sleeps for, so ps finds only ours.
      const marker = `59.${process.pid}${Date.now() % 1000}`;
      const started = t.exec(`echo started; sleep ${marker}; echo never`, { signal: ac.signal, onOutput: () => ac.abort() });
      expect(await rejection(started)).to.be.instanceOf(InterruptedError);
      // The kill script runs on its own channel; give it its grace time (longer on a loaded machine),
      // then the sleep must be gone.
      let left = '';
      for (let i = 0; i < 200; i++) {
        left = (await t.exec(`ps -eo args= | grep -Fx 'sleep ${marker}' || true`)).stdout;
        if (left === '') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(left).to.equal('');
      expect((await t.exec('echo ok')).stdout).to.equal('ok\n');
    });
  });

  describe('connection failures are UnreachableError', () => {
    it('connection refused', async () => {
      const port = await freePort();
      const err = await rejection(openSsh(sshd.spec({ name: 'nobody', port })));
      expect(err).to.be.instanceOf(UnreachableError);
      expect((err as UnreachableError).host).to.equal('nobody');
      expect(err.message).to.include('connection refused');
    });

    it('authentication failure names the user and what was tried', async () => {
      const other = await generateKey(sshd.dir, 'stranger');
      const err = await rejection(openSsh(sshd.spec({ privateKeyFile: other }), { env: {} }));
      expect(err).to.be.instanceOf(UnreachableError);
      expect(err.message).to.include('authentication').and.include(other);
    });

    it('a connection that drops mid-command rejects it, and later commands, as unreachable', async () => {
      const before = await sshd.sessionPids();
      const victim = await openSsh(sshd.spec());
      const ours = (await sshd.sessionPids()).filter((p) => !before.includes(p));
      expect(ours).to.have.length(1);
      // Killing the per-connection sshd cuts the link the way a crashed host or a reset would.
      let remotePid = 0;
      const running = victim.exec('echo $$; sleep 30', {
        onOutput: (chunk) => {
          remotePid = Number(chunk.trim());
          process.kill(ours[0]!, 'SIGKILL');
        },
      });
      const err = await rejection(running);
      expect(err).to.be.instanceOf(UnreachableError);
      expect(err.message).to.include('lost');
      expect(await rejection(victim.exec('true'))).to.be.instanceOf(UnreachableError);
      await victim.close();
      // A cut connection does not stop what it started (as on a real host); end our sleep by its group.
      if (remotePid > 0) process.kill(-remotePid, 'SIGTERM');
      // The shared transport's connection is untouched.
      expect((await t.exec('echo alive')).stdout).to.equal('alive\n');
    });
  });

  describe('host keys', () => {
    it('accepts the key listed in known_hosts (plain and hashed)', async () => {
      const hashed = join(sshd.dir, 'known_hosts.hashed');
      await writeFile(hashed, await readFile(sshd.knownHostsFile));
      await run('ssh-keygen', ['-H', '-f', hashed]);
      expect(await readFile(hashed, 'utf8')).to.match(/^\|1\|/);
      const tr = await openSsh(sshd.spec({ knownHostsFile: hashed }));
      expect((await tr.exec('echo ok')).stdout).to.equal('ok\n');
      await tr.close();
    });

    it('refuses an unknown host with its fingerprint and what to do', async () => {
      const empty = join(sshd.dir, 'known_hosts.empty');
      await writeFile(empty, '');
      const err = await rejection(openSsh(sshd.spec({ knownHostsFile: empty })));
      expect(err).to.be.instanceOf(UnreachableError);
      expect(err.message).to.include(sshd.hostKeyFingerprint).and.include('not known');
      expect((err as UnreachableError).hint).to.include(`ssh-keyscan -p ${sshd.port} -t ed25519 127.0.0.1 >> ${empty}`);
    });

    it('refuses a CHANGED host key with both fingerprints and ssh-keygen -R', async () => {
      const impostor = await generateKey(sshd.dir, 'old_host_key');
      const [type, blob] = (await readFile(`${impostor}.pub`, 'utf8')).split(/\s+/);
      const changed = join(sshd.dir, 'known_hosts.changed');
      await writeFile(changed, `[127.0.0.1]:${sshd.port} ${type} ${blob}\n`);
      const err = await rejection(openSsh(sshd.spec({ knownHostsFile: changed })));
      expect(err).to.be.instanceOf(UnreachableError);
      expect(err.message).to.include('HOST KEY CHANGED').and.include(sshd.hostKeyFingerprint).and.include(await fingerprintOf(`${impostor}.pub`));
      expect((err as UnreachableError).hint).to.include(`ssh-keygen -R '[127.0.0.1]:${sshd.port}'`);
    });

    it('connects to an unknown host only when checking is explicitly off', async () => {
      const tr = await openSsh(sshd.spec({ knownHostsFile: join(sshd.dir, 'nope'), hostKeyChecking: false }));
      expect((await tr.exec('echo ok')).stdout).to.equal('ok\n');
      await tr.close();
    });
  });

  describe('authentication methods', () => {
    let agent: ChildProcess | undefined;
    after(() => {
      if (agent?.pid) process.kill(agent.pid, 'SIGTERM');
    });

    it('authenticates through ssh-agent when no key file is given', async function () {
      const sock = join(sshd.dir, 'agent.sock');
      agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
      for (let i = 0; i < 100; i++) {
        if (await readFile(sock).then(() => true, (e: NodeJS.ErrnoException) => e.code !== 'ENOENT')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await run('ssh-add', [sshd.clientKeyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const { privateKeyFile: _none, ...spec } = sshd.spec();
      const tr = await openSsh(spec, { env: { SSH_AUTH_SOCK: sock } });
      expect((await tr.exec('echo via agent')).stdout).to.equal('via agent\n');
      await tr.close();
    });
  });

  describe('forward', () => {
    let echo: Server;
    let port: number;
    before(async () => {
      echo = createServer((s) => s.pipe(s));
      await new Promise<void>((r) => echo.listen(0, '127.0.0.1', () => r()));
      port = (echo.address() as { port: number }).port;
    });
    after(async () => {
      await new Promise((r) => echo.close(r));
    });

    it('opens a TCP stream through the SSH connection', async () => {
      const stream = await t.forward('127.0.0.1', port);
      const got = new Promise<string>((r) => stream.once('data', (d: Buffer) => r(d.toString())));
      stream.write('ping through the tunnel');
      expect(await got).to.equal('ping through the tunnel');
      stream.end();
    });

    it('a closed remote port is a task failure, not an unreachable host', async () => {
      const closedPort = await freePort();
      const err = await rejection(t.forward('127.0.0.1', closedPort));
      expect(err).to.be.instanceOf(TaskFailure);
      expect((await t.exec('echo still here')).stdout).to.equal('still here\n');
    });
  });

  describe('ConnectionPool with the real opener', () => {
    it('keeps one connection per host and remembers an unreachable one', async () => {
      let opens = 0;
      const pool = new ConnectionPool(async (spec) => {
        opens++;
        return openTransport(spec);
      });
      const spec = sshd.spec({ name: 'pooled' });
      const [a, b] = await Promise.all([pool.get('pooled', spec), pool.get('pooled', spec)]);
      expect(a).to.equal(b);
      const dead = sshd.spec({ name: 'dead', port: await freePort() });
      expect(await rejection(pool.get('dead', dead))).to.be.instanceOf(UnreachableError);
      expect(await rejection(pool.get('dead', dead))).to.be.instanceOf(UnreachableError);
      expect(opens).to.equal(2);
      await pool.closeAll();
      expect(await rejection(a.exec('true'))).to.be.instanceOf(UnreachableError);
    });
  });
});
