// Issue 15 on lab hosts: `runbook worker` processes against a real redis-server, `apply --queue`
// following them, one worker killed with -9 mid-run, rollout rules across workers, and Redis
// unreachable, refusing the password, or killed mid-run (then restarted and the run resumed).
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { RunEvent } from '../../src/executor/events.js';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { startRedis, type RedisServer } from './support/redis-server.js';
import { REPO, describeRun, runbook, type CliRun } from './support/runbook.js';

const HOSTS = ['host1', 'host2', 'host3', 'host4'];
const VAULT_PASSWORD = 'queue-test-vault-pw';
const SECRET_WORD = 'PlumTreeMarmalade42';

type HostResult = Extract<RunEvent, { type: 'host_result' }>;

interface WorkerProc {
  name: string;
  child: ChildProcess;
  log: () => string;
}

const PLAYBOOK = `
- name: converge
  hosts: all
  gather_facts: false
  vars_files: [secrets.yml]
  vars: { pause: 0 }
  tasks:
    - name: marker folder
      file: { path: /tmp/rbq, state: directory, mode: "0700" }
    - name: marker holds the secret
      copy: { dest: /tmp/rbq/marker, content: "{{ secret_word }}\\n", mode: "0600" }
    - name: slow step
      command: sleep {{pause}}
      changed_when: false
    - name: read the host name
      command: hostname
      register: hn
      changed_when: false
- name: later play
  hosts: all
  gather_facts: false
  tasks:
    - name: a value registered in the first play, on whichever worker
      assert: { that: ["hn.stdout | length > 0"] }
`;

const SERIAL = `
- name: one by one
  hosts: host1:host2:host3
  gather_facts: false
  serial: 1
  tasks:
    - name: slow step
      command: sleep {{pause}}
      changed_when: false
`;

// Two batches; the second's hosts wait at their second task until the test removes /tmp/rbq-hold.
const LOST = `
- name: two batches
  hosts: all
  gather_facts: false
  serial: 2
  tasks:
    - name: first step
      command: "true"
      changed_when: false
    - name: wait for the hold to go
      shell: "while [ -e /tmp/rbq-hold ]; do sleep 0.2; done"
      changed_when: false
    - name: last step
      command: "true"
      changed_when: false
`;

// Every host waits at its second task until /tmp/rbq-hold goes; the third leaves a mark.
const HOLD = `
- name: held
  hosts: all
  gather_facts: false
  tasks:
    - name: first step
      command: "true"
      changed_when: false
    - name: wait for the hold to go
      shell: "while [ -e /tmp/rbq-hold ]; do sleep 0.2; done"
      changed_when: false
    - name: after the hold
      file: { path: /tmp/rbq-after, state: touch }
`;

// One host, one task that leaves a mark, waits for /tmp/rbq-lockhold to go, and leaves another.
const LOCKED = `
- name: one host
  hosts: host1
  gather_facts: false
  tasks:
    - name: mark, hold, mark
      shell: "echo start-{{ tag }} >> /tmp/rbq-lock.log; while [ -e /tmp/rbq-lockhold ]; do sleep 0.2; done; echo end-{{ tag }} >> /tmp/rbq-lock.log"
      changed_when: false
`;

const FATAL = `
- name: fatal rollout
  hosts: all
  gather_facts: false
  serial: 2
  any_errors_fatal: true
  tasks:
    - name: host1 is broken
      command: "false"
      when: inventory_hostname == 'host1'
    - name: the others are fine
      command: "true"
      changed_when: false
`;

const ROLLOUT = `
- name: rollout
  hosts: all
  gather_facts: false
  serial: 2
  max_fail_percentage: 0
  tasks:
    - name: host3 is broken
      command: "false"
      when: inventory_hostname == 'host3'
    - name: the others are fine
      command: "true"
      changed_when: false
`;

describe('queue: workers on BullMQ over a real Redis (issue 15)', function () {
  this.timeout(1_200_000);
  let lab: Lab;
  let dir: string;
  let workDir: string;
  let redis: RedisServer;
  const workers: WorkerProc[] = [];

  const env = (): NodeJS.ProcessEnv => ({ RUNBOOK_QUEUE_PASSWORD: redis.userPassword, RUNBOOK_VAULT_PASSWORD: VAULT_PASSWORD });

  function startWorker(name: string, extra: string[] = []): WorkerProc {
    // A worker needs no project: it runs in an empty folder of its own.
    const child = spawn(process.execPath, [join(REPO, 'bin/runbook.js'), 'worker', '--queue', redis.url, '--name', name, '-c', '1', '--stall-seconds', '4', '--cache-dir', join(workDir, name), ...extra], {
      cwd: workDir, env: { ...process.env, ...env(), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
    const w = { name, child, log: () => text };
    workers.push(w);
    return w;
  }

  async function waitFor(what: string, test: () => boolean, limitMs = 120_000): Promise<void> {
    const until = Date.now() + limitMs;
    while (!test()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The id of the run a submitter process started. */
  async function runOf(pid: number): Promise<string> {
    for (let i = 0; i < 100; i++) {
      const r = await runbook(['runs', '--queue', redis.url, '--json'], { cwd: dir, env: env() });
      const id = r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; submitter: string }).find((x) => x.submitter.endsWith(`:${pid}`))?.id;
      if (id !== undefined) return id;
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error(`no run listed for submitter ${pid}`);
  }

  /** The newest run's id. */
  async function lastRunId(): Promise<string> {
    const r = await runbook(['runs', '--queue', redis.url, '--json', '--limit', '1'], { cwd: dir, env: env() });
    return (JSON.parse(r.stdout.trim().split('\n')[0]!) as { id: string }).id;
  }

  async function stopWorkers(): Promise<void> {
    for (const w of workers.splice(0)) {
      if (w.child.exitCode === null && w.child.signalCode === null) {
        w.child.kill('SIGKILL');
        await new Promise((r) => w.child.once('exit', r));
      }
    }
  }

  function apply(playbook: string, extra: string[] = [], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
    return runbook(['apply', join(dir, playbook), '-i', join(dir, 'inventory.yml'), '--queue', redis.url, '--json', ...extra], { cwd: dir, env: { ...env(), ...opts.env } });
  }

  /** Every value Redis holds, as text: the secret must be in none of it. */
  async function redisDump(): Promise<string> {
    const r = new Redis({ port: redis.port, host: '127.0.0.1', password: redis.password });
    try {
      const parts: string[] = [];
      for (const key of await r.keys('*')) {
        const type = await r.type(key);
        if (type === 'string') parts.push((await r.getBuffer(key))!.toString('latin1'));
        else if (type === 'hash') parts.push(JSON.stringify(await r.hgetall(key)));
        else if (type === 'stream') parts.push(JSON.stringify(await r.xrange(key, '-', '+')));
        else if (type === 'list') parts.push(JSON.stringify(await r.lrange(key, 0, -1)));
        else if (type === 'set') parts.push(JSON.stringify(await r.smembers(key)));
        else if (type === 'zset') parts.push(JSON.stringify(await r.zrange(key, 0, -1)));
      }
      return parts.join('\n');
    } finally {
      r.disconnect();
    }
  }

  before(async () => {
    lab = await getLab({ hosts: 4 });
    dir = await mkdtemp(join(tmpdir(), 'runbook-queue-'));
    workDir = await mkdtemp(join(tmpdir(), 'runbook-queue-workers-'));
    await writeFile(join(dir, 'inventory.yml'), await readFile(lab.inventoryFile, 'utf8'));
    await writeFile(join(dir, 'site.yml'), PLAYBOOK);
    await writeFile(join(dir, 'rollout.yml'), ROLLOUT);
    await writeFile(join(dir, 'serial.yml'), SERIAL);
    await writeFile(join(dir, 'lost.yml'), LOST);
    await writeFile(join(dir, 'hold.yml'), HOLD);
    await writeFile(join(dir, 'locked.yml'), LOCKED);
    await writeFile(join(dir, 'fatal.yml'), FATAL);
    await writeFile(join(dir, 'secrets.yml'), `secret_word: ${SECRET_WORD}\n`);
    const enc = await runbook(['vault', 'encrypt', join(dir, 'secrets.yml')], { cwd: dir, env: { RUNBOOK_VAULT_PASSWORD: VAULT_PASSWORD } });
    expect(enc.code, enc.stderr).to.equal(0);
    redis = await startRedis();
  });

  afterEach(async function () {
    // A failure here is hard to read from the events alone: show what the workers and Redis said.
    if (this.currentTest?.state !== 'failed') return;
    for (const w of workers) console.log(`--- worker ${w.name}\n${w.log().slice(-3000)}`);
    const r = new Redis({ port: redis.port, host: '127.0.0.1', password: redis.password, lazyConnect: true, retryStrategy: () => null });
    r.on('error', () => {});
    try {
      await r.connect();
      console.log('--- ACL LOG', JSON.stringify(await r.call('ACL', 'LOG', '5')));
    } catch {
      /* Redis is gone (the last test stops it) */
    } finally {
      r.disconnect();
    }
  });

  after(async () => {
    await stopWorkers();
    await redis?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('runs a playbook on three workers, loses none of its hosts when one is killed with -9, and names each result\'s worker', async () => {
    const ws = ['w1', 'w2', 'w3'].map((n) => startWorker(n));
    await waitFor('three workers', () => ws.every((w) => w.log().includes('waiting for jobs')));
    const report = join(dir, 'report.html');
    const running = apply('site.yml', ['-e', 'pause=4', '--report', report, '--diff']);
    // Kill the first worker seen working on the first play, during its slow step.
    let victim: WorkerProc | undefined;
    await waitFor('a worker to take a job', () => (victim = ws.find((w) => w.log().includes('play 1,'))) !== undefined);
    await new Promise((r) => setTimeout(r, 1500));
    victim!.child.kill('SIGKILL');
    const run = await running;
    expect(run.code, describeRun(run)).to.equal(0);
    expect(Object.keys(run.recap).sort()).to.deep.equal(HOSTS);
    // Each host counted once: 4 tasks of the first play and the assert of the second.
    for (const h of HOSTS) expect(run.recap[h]!.ok, h).to.equal(5);
    expect(run.events.filter((e) => e.type === 'recap')).to.have.length(1);
    const results = run.events.filter((e): e is HostResult => e.type === 'host_result');
    expect(results.every((r) => typeof r.worker === 'string' && ['w1', 'w2', 'w3'].includes(r.worker))).to.equal(true);
    expect(run.events.some((e) => e.type === 'warning' && /stopped answering/.test(e.msg))).to.equal(true);
    // The killed worker's hosts finished elsewhere: the last result for each host is another worker's.
    for (const h of HOSTS) {
      const last = results.filter((r) => r.host === h).at(-1)!;
      expect(last.worker).to.not.equal(victim!.name);
    }
    // The vault value reached the hosts, and neither the output nor Redis ever held it in clear.
    for (const h of HOSTS) expect((await onHost(lab, h, 'cat /tmp/rbq/marker')).stdout.trim()).to.equal(SECRET_WORD);
    expect(run.stdout + run.stderr).to.not.include(SECRET_WORD);
    // --diff would show the marker's new content: the worker knew the vault value was a secret and hid it.
    const markerDiffs = results.filter((r) => r.task === 'marker holds the secret' && r.status === 'changed').flatMap((r) => r.diffs ?? []);
    expect(markerDiffs.length).to.be.greaterThan(0);
    for (const d of markerDiffs) expect(d).to.include({ path: '/tmp/rbq/marker', before: '', after: '', hidden: 'the file will hold a secret' });
    expect(run.stdout + run.stderr).to.not.include(redis.userPassword);
    const dump = await redisDump();
    expect(dump).to.not.include(SECRET_WORD);
    expect(dump).to.not.include(VAULT_PASSWORD);
    expect(dump).to.not.include(redis.userPassword);
    const html = await readFile(report, 'utf8');
    expect(html).to.match(/data-worker="w[123]"/);
    for (const w of ws) expect(w.log()).to.not.include(redis.userPassword);
  });

  it('a second run changes nothing, and --queue-chunk keeps a batch together on one worker', async () => {
    const run = await apply('site.yml', ['--queue-chunk', '4']);
    expect(run.code, describeRun(run)).to.equal(0);
    for (const h of HOSTS) expect(run.recap[h]!.changed, h).to.equal(0);
    const byWorker = new Set(run.events.filter((e): e is HostResult => e.type === 'host_result' && e.task === 'marker folder').map((e) => e.worker));
    expect(byWorker.size).to.equal(1);
  });

  it('keeps serial batches in order and stops the rollout over max_fail_percentage with exit 8 and a resume hint', async () => {
    const run = await apply('rollout.yml');
    expect(run.code, describeRun(run)).to.equal(8);
    const batches = run.events.filter((e) => e.type === 'batch_start').map((e) => (e as { hosts: string[] }).hosts);
    expect(batches).to.deep.equal([['host1', 'host2'], ['host3', 'host4']]);
    const aborted = run.events.find((e) => e.type === 'aborted') as Extract<RunEvent, { type: 'aborted' }>;
    expect(aborted.reason).to.match(/max_fail_percentage 0% exceeded/);
    expect(aborted.resume?.hosts).to.include('host3');
    // The resume command leaves the queue password out (it was never on the command line anyway).
    expect(aborted.resume?.command ?? '').to.include('--queue');
    expect(run.recap.host3!.failed).to.equal(1);
  });

  it('`runbook runs` lists runs with status and exit code; `runbook follow` replays one, live while it runs, to its recap and exit code', async () => {
    const queueArgs = ['--queue', redis.url];
    const runsJson = async (): Promise<{ id: string; status: string; exitCode: number | null; playbook: string }[]> => {
      const r = await runbook(['runs', ...queueArgs, '--json'], { cwd: dir, env: env() });
      expect(r.code, r.stderr).to.equal(0);
      return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; status: string; exitCode: number | null; playbook: string });
    };
    const outputs: string[] = [];
    // The rollout just stopped (exit 8): newest first, with its status and code; the first runs finished ok.
    const rows = await runsJson();
    expect(rows[0]).to.include({ status: 'aborted', exitCode: 8 });
    expect(rows[0]!.playbook).to.match(/rollout\.yml$/);
    expect(rows.some((r) => r.status === 'ok' && r.exitCode === 0)).to.equal(true);
    // The right password from a file (--queue-password-file) works as the variable does.
    const pwFile = join(dir, 'queue.pw');
    await writeFile(pwFile, `${redis.userPassword}\n`, { mode: 0o600 });
    const table = await runbook(['runs', ...queueArgs, '--queue-password-file', pwFile], { cwd: dir, env: { RUNBOOK_QUEUE_PASSWORD: '' } });
    expect(table.code).to.equal(0);
    expect(table.stdout).to.match(/^RUN +STATUS +EXIT +PLAYBOOK/).and.include(`${rows[0]!.id}  aborted`);
    outputs.push(table.stdout + table.stderr);

    // A finished run: the same lines a local run prints, its recap, its exit code.
    const human = await runbook(['follow', rows[0]!.id, ...queueArgs], { cwd: dir, env: env() });
    expect(human.code, human.stdout + human.stderr).to.equal(8);
    expect(human.stdout).to.include('TASK [host3 is broken]').and.include('PLAY RECAP').and.match(/host3 +: .*failed=1/);
    const json = await runbook(['follow', rows[0]!.id, ...queueArgs, '--json'], { cwd: dir, env: env() });
    expect(json.code).to.equal(8);
    expect(json.events.filter((e) => e.type === 'batch_start')).to.have.length(2);
    expect(json.events.some((e) => e.type === 'aborted')).to.equal(true);
    expect((json.events.at(-1) as Extract<RunEvent, { type: 'recap' }>).exitCode).to.equal(8);
    outputs.push(human.stdout + human.stderr, json.stdout + json.stderr);

    // A running one: follow waits for its events and ends with its recap.
    const running = apply('site.yml', ['-e', 'pause=4', '--limit', 'host1']);
    let live: string | undefined;
    for (let i = 0; i < 60 && live === undefined; i++) {
      live = (await runsJson()).find((r) => r.status === 'running')?.id;
      if (live === undefined) await new Promise((r) => setTimeout(r, 200));
    }
    expect(live, 'a running run').to.be.a('string');
    const followed = await runbook(['follow', live!, ...queueArgs, '--json'], { cwd: dir, env: env() });
    const run = await running;
    expect(run.code, describeRun(run)).to.equal(0);
    expect(followed.code, followed.stderr).to.equal(0);
    expect(followed.recap.host1).to.deep.equal(run.recap.host1);
    expect(followed.events.filter((e) => e.type === 'host_result' && e.task === 'slow step')).to.have.length(1);
    outputs.push(followed.stdout + followed.stderr);

    // An unknown id: exit 1, pointing at `runbook runs`.
    const unknown = await runbook(['follow', '20000101T000000-00000000', ...queueArgs], { cwd: dir, env: env() });
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.include("no run '20000101T000000-00000000'").and.include('runbook runs');
    outputs.push(unknown.stdout + unknown.stderr);
    for (const o of outputs) expect(o).to.not.include(redis.userPassword);
  });

  it('any_errors_fatal across workers: a host failing in batch 1 stops the rollout at the end of the batch, batch 2 never starts (exit 8, resume hint)', async () => {
    const run = await apply('fatal.yml');
    expect(run.code, describeRun(run)).to.equal(8);
    const aborted = run.events.find((e) => e.type === 'aborted') as Extract<RunEvent, { type: 'aborted' }>;
    expect(aborted.reason).to.match(/any_errors_fatal: host1 failed/);
    expect(aborted.notRun).to.deep.equal(['host3', 'host4']);
    expect(aborted.resume?.hosts).to.include.members(['host1', 'host3', 'host4']);
    expect(aborted.resume?.command ?? '').to.match(/ --limit \S*host1\S*$/);
    expect(run.events.filter((e) => e.type === 'batch_start')).to.have.length(1);
    expect(run.events.some((e) => e.type === 'host_result' && ['host3', 'host4'].includes(e.host))).to.equal(false);
    expect(run.recap.host1!.failed).to.equal(1);
    for (const h of ['host3', 'host4']) expect(Object.values(run.recap[h]!).every((n) => n === 0), h).to.equal(true);
  });

  it('a submitter killed with -9 mid-run does not stop it: the workers drive it to the end, and `runbook follow` prints the rest, the recap and the exit code', async () => {
    const submitter = spawn(process.execPath, [join(REPO, 'bin/runbook.js'), 'apply', join(dir, 'serial.yml'), '-i', join(dir, 'inventory.yml'), '--queue', redis.url, '--json', '-e', 'pause=3'], {
      cwd: dir, env: { ...process.env, ...env(), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    submitter.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => submitter.once('exit', r));
    // Killed once the first batch has started and before the last one could have.
    await waitFor('the first batch', () => out.includes('"batch_start"'));
    const id = await runOf(submitter.pid!);
    submitter.kill('SIGKILL');
    await exited;
    expect(out).to.not.include('"recap"');
    const followed = await runbook(['follow', id, '--queue', redis.url, '--json'], { cwd: dir, env: env() });
    expect(followed.code, followed.stdout + followed.stderr).to.equal(0);
    expect(followed.events.filter((e) => e.type === 'batch_start').map((e) => (e as { hosts: string[] }).hosts)).to.deep.equal([['host1'], ['host2'], ['host3']]);
    expect(Object.keys(followed.recap).sort()).to.deep.equal(['host1', 'host2', 'host3']);
    for (const h of ['host1', 'host2', 'host3']) expect(followed.recap[h]!.ok, h).to.equal(1);
    const rows = await runbook(['runs', '--queue', redis.url, '--json'], { cwd: dir, env: env() });
    expect(rows.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; status: string }).find((r) => r.id === id)?.status).to.equal('ok');
  });

  it('a worker driving a run killed with -9: another worker takes the driving over, and each host is counted once', async () => {
    const extra = ['d1', 'd2'].map((n) => startWorker(n));
    await waitFor('the extra workers', () => extra.every((w) => w.log().includes('waiting for jobs')));
    const alive = (): WorkerProc[] => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    const drivingBefore = new Map(alive().map((w) => [w.name, (w.log().match(/driving run/g) ?? []).length]));
    const running = apply('serial.yml', ['-e', 'pause=3']);
    let driver: WorkerProc | undefined;
    await waitFor('a driver', () => (driver = alive().find((w) => (w.log().match(/driving run/g) ?? []).length > (drivingBefore.get(w.name) ?? 0))) !== undefined);
    await waitFor('the first batch to be under way', () => workers.some((w) => /p0\.b1\.c0|p0\.b2\.c0/.test(w.log())));
    await new Promise((r) => setTimeout(r, 1500));
    driver!.child.kill('SIGKILL');
    const run = await running;
    expect(run.code, describeRun(run)).to.equal(0);
    expect(alive().some((w) => /taking over from/.test(w.log()))).to.equal(true);
    expect(Object.keys(run.recap).sort()).to.deep.equal(['host1', 'host2', 'host3']);
    for (const h of ['host1', 'host2', 'host3']) expect(run.recap[h]!.ok, h).to.equal(1);
    expect(run.events.filter((e) => e.type === 'batch_start')).to.have.length(3);
    expect(run.events.filter((e) => e.type === 'recap')).to.have.length(1);
    // Replayed from the stream, where both drivers wrote: still one recap, the same counts.
    const followed = await runbook(['follow', await lastRunId(), '--queue', redis.url, '--json'], { cwd: dir, env: env() });
    expect(followed.code, followed.stderr).to.equal(0);
    expect(followed.events.filter((e) => e.type === 'recap')).to.have.length(1);
    expect(followed.recap).to.deep.equal(run.recap);
  });

  it('a worker given SIGTERM finishes the job it holds, takes no new one, and exits 0', async () => {
    await stopWorkers();
    const w = startWorker('term1');
    await waitFor('the worker', () => w.log().includes('waiting for jobs'));
    const running = apply('site.yml', ['-e', 'pause=3', '--limit', 'host1']);
    await waitFor('its job', () => w.log().includes('play 1,'));
    w.child.kill('SIGTERM');
    const exit = new Promise<number | null>((r) => w.child.once('exit', (code) => r(code)));
    // The job it holds finishes (its result names it); the next play's job waits for another worker.
    await waitFor('the job to finish', () => /p0\.b1\.c0: done/.test(w.log()));
    expect(await exit).to.equal(0);
    const other = startWorker('term2');
    const run = await running;
    expect(run.code, describeRun(run)).to.equal(0);
    const results = run.events.filter((e): e is HostResult => e.type === 'host_result');
    expect(results.filter((r) => r.task === 'slow step').map((r) => r.worker)).to.deep.equal(['term1']);
    expect(results.filter((r) => r.task.startsWith('a value registered')).map((r) => r.worker)).to.deep.equal([other.name]);
    // The run term1 drove went back to the queue at once and term2 drove it on.
    expect(w.log()).to.match(/run \S+: handed back to the queue for another worker/);
    expect(other.log()).to.include('(taking over from term1)');
    startWorker('w4');
  });

  it('Ctrl-C on apply cancels the run on every worker: the running tasks are cut, the waiting hosts never start, exit 130', async () => {
    const alive = (): WorkerProc[] => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    await waitFor('two workers', () => alive().length >= 2 && alive().every((w) => w.log().includes('waiting for jobs')));
    for (const h of HOSTS) await onHost(lab, h, 'rm -f /tmp/rbq-after; touch /tmp/rbq-hold');
    const submitter = spawn(process.execPath, [join(REPO, 'bin/runbook.js'), 'apply', join(dir, 'hold.yml'), '-i', join(dir, 'inventory.yml'), '--queue', redis.url, '--json'], {
      cwd: dir, env: { ...process.env, ...env(), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    submitter.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => submitter.once('exit', (code) => r(code)));
    const events = (): RunEvent[] => out.split('\n').filter((l) => l.startsWith('{') && l.endsWith('}')).map((l) => JSON.parse(l) as RunEvent);
    const started = (): string[] => events().filter((e): e is HostResult => e.type === 'host_result' && e.task === 'first step').map((e) => e.host);
    // Two workers with one job each: two hosts are held, the other two wait in the queue.
    await waitFor('two hosts held', () => started().length >= 2);
    const id = await runOf(submitter.pid!);
    submitter.kill('SIGINT');
    const code = await exited;
    try {
      expect(code, out).to.equal(130);
      const recap = events().find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap');
      expect(recap?.exitCode).to.equal(130);
      // The held hosts' jobs were cut on both workers; the waiting ones never ran a task.
      const ran = new Set(events().filter((e): e is HostResult => e.type === 'host_result').map((e) => e.host));
      expect([...ran].sort()).to.deep.equal(started().sort());
      expect(ran.size).to.equal(2);
      await waitFor('both workers to cut their job', () => workers.reduce((n, w) => n + (w.log().match(new RegExp(`job ${id}\\.p0\\.b1\\.c\\d: cancelled`, 'g')) ?? []).length, 0) === 2);
      for (const h of HOSTS) expect((await onHost(lab, h, 'test -e /tmp/rbq-after && echo after || echo none')).stdout.trim(), h).to.equal('none');
      const rows = await runbook(['runs', '--queue', redis.url, '--json'], { cwd: dir, env: env() });
      expect(rows.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; status: string; exitCode: number }).find((r) => r.id === id)).to.include({ status: 'cancelled', exitCode: 130 });
    } finally {
      for (const h of HOSTS) await onHost(lab, h, 'rm -f /tmp/rbq-hold');
    }
  });

  it('exits 1 within seconds naming host:port, never the password, when Redis is unreachable or refuses the password', async () => {
    const closed = await runbook(['apply', join(dir, 'site.yml'), '-i', join(dir, 'inventory.yml'), '--queue', 'redis://127.0.0.1:1'], { cwd: dir, env: env() });
    expect(closed.code).to.equal(1);
    expect(closed.stderr).to.include('127.0.0.1:1').and.include('ECONNREFUSED');
    expect(closed.stderr).to.not.include(redis.userPassword);
    for (const cmd of [['runs'], ['follow', '20000101T000000-00000000']]) {
      const gone = await runbook([...cmd, '--queue', 'redis://127.0.0.1:1'], { cwd: dir, env: env() });
      expect(gone.code, cmd[0]).to.equal(1);
      expect(gone.stderr, cmd[0]).to.include('127.0.0.1:1').and.include('ECONNREFUSED');
      expect(gone.stdout + gone.stderr).to.not.include(redis.userPassword);
    }
    const wrong = 'not-the-password-xyz';
    const refused = await runbook(['apply', join(dir, 'site.yml'), '-i', join(dir, 'inventory.yml'), '--queue', redis.url, '--json'], { cwd: dir, env: { ...env(), RUNBOOK_QUEUE_PASSWORD: wrong } });
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include(`127.0.0.1:${redis.port}`).and.match(/refused the credentials/);
    expect(refused.stdout + refused.stderr).to.not.include(wrong);
    const worker = await runbook(['worker', '--queue', `redis://runbook:${wrong}@127.0.0.1:${redis.port}`], { cwd: workDir });
    expect(worker.code).to.equal(1);
    expect(worker.stderr).to.match(/refused the credentials/);
    expect(worker.stdout + worker.stderr).to.not.include(wrong);
    const noRedis = await runbook(['worker', '--queue', 'redis://127.0.0.1:1'], { cwd: workDir });
    expect(noRedis.code).to.equal(1);
    expect(noRedis.stderr).to.include('127.0.0.1:1').and.include('ECONNREFUSED');
    // The password from a file: a wrong one is refused by runs and follow alike, and never printed.
    const pwFile = join(workDir, 'wrong.pw');
    await writeFile(pwFile, `${wrong}\n`, { mode: 0o600 });
    for (const cmd of [['runs'], ['follow', '20000101T000000-00000000']]) {
      const r = await runbook([...cmd, '--queue', redis.url, '--queue-password-file', pwFile], { cwd: dir, env: { RUNBOOK_QUEUE_PASSWORD: '' } });
      expect(r.code, cmd[0]).to.equal(1);
      expect(r.stderr, cmd[0]).to.include(`127.0.0.1:${redis.port}`).and.match(/refused the credentials/);
      expect(r.stdout + r.stderr).to.not.include(wrong);
    }
  });

  it('two runs on one host from two workers: the second waits for the first run\'s lock on the host, then runs', async () => {
    const alive = (): WorkerProc[] => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    await waitFor('two workers', () => alive().length >= 2 && alive().every((w) => w.log().includes('waiting for jobs')));
    await onHost(lab, 'host1', 'rm -f /tmp/rbq-lock.log; touch /tmp/rbq-lockhold');
    try {
      const first = apply('locked.yml', ['-e', 'tag=a']);
      const until = Date.now() + 120_000;
      while (!(await onHost(lab, 'host1', 'cat /tmp/rbq-lock.log 2>/dev/null')).stdout.includes('start-a')) {
        if (Date.now() > until) throw new Error('the first run never started its task');
        await new Promise((r) => setTimeout(r, 200));
      }
      const idA = await lastRunId();
      const second = apply('locked.yml', ['-e', 'tag=b']);
      // The second run's job is on the other worker (each takes one job), and its lock holder is
      // blocked in flock(1) on the host: only then let the first run go on.
      let idB = idA;
      while (idB === idA) {
        if (Date.now() > until) throw new Error('the second run was never listed');
        idB = await lastRunId();
        await new Promise((r) => setTimeout(r, 200));
      }
      await waitFor('a worker to take the second run', () => alive().some((w) => w.log().includes(`job ${idB}.p0`)), 120_000);
      while ((await onHost(lab, 'host1', 'pgrep -x flock >/dev/null && echo waiting || echo none')).stdout.trim() !== 'waiting') {
        if (Date.now() > until) throw new Error('the second run never waited for the lock');
        await new Promise((r) => setTimeout(r, 200));
      }
      await onHost(lab, 'host1', 'rm -f /tmp/rbq-lockhold');
      const [a, b] = await Promise.all([first, second]);
      expect(a.code, describeRun(a)).to.equal(0);
      expect(b.code, describeRun(b)).to.equal(0);
      // Never interleaved: the second run's task began only after the first run's ended.
      expect((await onHost(lab, 'host1', 'cat /tmp/rbq-lock.log')).stdout.split('\n').filter(Boolean)).to.deep.equal(['start-a', 'end-a', 'start-b', 'end-b']);
      const workerOf = (r: CliRun): string | undefined => r.events.find((e): e is HostResult => e.type === 'host_result')?.worker;
      expect(workerOf(a)).to.be.a('string');
      expect(workerOf(b)).to.be.a('string').and.not.equal(workerOf(a));
    } finally {
      await onHost(lab, 'host1', 'rm -f /tmp/rbq-lockhold /tmp/rbq-lock.log');
    }
  });

  it('Redis killed mid-run: the recap says the run was interrupted, counts each host once, names only the unfinished hosts in the resume hint (exit 8), and the hint finishes them', async () => {
    const alive = (): WorkerProc[] => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    await waitFor('two workers', () => alive().length >= 2);
    // Batch 2's hosts wait on a file the test removes: no clock decides where the run is when Redis goes.
    for (const h of ['host3', 'host4']) await onHost(lab, h, 'touch /tmp/rbq-hold');
    const submitter = spawn(process.execPath, [join(REPO, 'bin/runbook.js'), 'apply', join(dir, 'lost.yml'), '-i', join(dir, 'inventory.yml'), '--queue', redis.url, '--json'], {
      cwd: dir, env: { ...process.env, ...env(), NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    submitter.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    submitter.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => submitter.once('exit', (code) => r(code)));
    const events = (): RunEvent[] => out.split('\n').filter((l) => l.startsWith('{') && l.endsWith('}')).map((l) => JSON.parse(l) as RunEvent);
    // Batch 1 finished (its hosts' `d` entries come before batch 2's banner in the stream) and batch 2's hosts are waiting.
    await waitFor('batch 2 holding', () => events().some((e) => e.type === 'batch_start' && e.batch === 2)
      && ['host3', 'host4'].every((h) => events().some((e) => e.type === 'host_result' && e.host === h && e.task === 'first step')));
    // The test's own redis-server, by its PID.
    process.kill(redis.pid, 'SIGKILL');
    await redis.stop();
    const code = await exited;
    const evs = events();
    expect(code, `${err}\n${out}`).to.equal(8);
    const aborted = evs.find((e): e is Extract<RunEvent, { type: 'aborted' }> => e.type === 'aborted');
    expect(aborted?.reason).to.match(new RegExp(`lost the queue at 127\\.0\\.0\\.1:${redis.port} before the run ended: 2 of 4 hosts had finished; not finished: host3, host4`));
    expect(aborted?.resume?.hosts).to.deep.equal(['host3', 'host4']);
    expect(aborted?.resume?.command).to.match(/ --limit host3,host4$/);
    const recaps = evs.filter((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap');
    expect(recaps).to.have.length(1);
    const recap = recaps[0]!;
    expect(recap.interrupted).to.match(/lost the queue at/);
    expect(recap.exitCode).to.equal(8);
    expect(recap.resume).to.deep.equal(aborted?.resume);
    // The finished hosts once each (three tasks), the held ones with the one result they printed.
    expect(recap.hosts).to.deep.equal({
      host1: { ok: 3, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
      host2: { ok: 3, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
      host3: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
      host4: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 0, rescued: 0, ignored: 0 },
    });
    expect(out + err).to.not.include(redis.userPassword);

    // Redis back on the same address, empty (no persistence); the workers reconnect by themselves.
    redis = await startRedis({ port: redis.port, password: redis.password, userPassword: redis.userPassword });
    for (const h of ['host3', 'host4']) await onHost(lab, h, 'rm -f /tmp/rbq-hold');
    const resumed = await new Promise<CliRun>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', aborted!.resume!.command!], { cwd: aborted!.resume!.cwd, env: { ...process.env, ...env(), NO_COLOR: '1' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (c) => {
        const e = stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RunEvent);
        const r = e.find((x): x is Extract<RunEvent, { type: 'recap' }> => x.type === 'recap');
        resolve({ code: c ?? -1, stdout, stderr, events: e, recap: r?.hosts ?? {} });
      });
    });
    expect(resumed.code, describeRun(resumed)).to.equal(0);
    expect(Object.keys(resumed.recap).sort()).to.deep.equal(['host3', 'host4']);
    for (const h of ['host3', 'host4']) expect(resumed.recap[h]!.ok, h).to.equal(3);
    expect(resumed.events.find((e) => e.type === 'recap')).to.not.have.property('interrupted');
  });
});
