// Issue 5's rollout on lab hosts: serial 2 with max_fail_percentage 0 stops at a broken second batch,
// leaving batch 1 converged and sharing sessions, batch 3 untouched, and a printed command that resumes it.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { HostCounters, RunEvent } from '../../src/executor/events.js';
import { getLab, onHost, type Lab } from './lab/fixture.js';
import { getCounter } from './support/counter-page.js';
import { parseHumanRecap } from './support/human-recap.js';
import { REPO, describeRun, runbook, type CliRun } from './support/runbook.js';

const WEB = ['web1', 'web2', 'web3', 'web4', 'web5', 'web6'];
const HOSTS = [{ name: 'redis1', groups: ['redis'] }, ...WEB.map((name) => ({ name, groups: ['web'] }))];
const ALL = HOSTS.map((h) => h.name);
const PLAYBOOK = join(REPO, 'test/fixtures/rollout/rollout.yml');
/** The fault: web3 keeps its sessions in a Redis on its own loopback, where none listens. */
const FAULT = { php_redis_address: '127.0.0.1' };

type Aborted = Extract<RunEvent, { type: 'aborted' }>;

/** The resume hint under the recap: where to run it and the command, exactly as printed. */
function printedResume(stdout: string): { hosts: number; cwd: string; command: string } | undefined {
  const m = /^To resume on the (\d+) hosts? that did not finish, run \(in (.+)\):\n {2}(.+)$/m.exec(stdout);
  return m ? { hosts: Number(m[1]), cwd: m[2]!, command: m[3]! } : undefined;
}

/** Runs a printed command line with /bin/sh, as a person pasting it would. */
function runShell(command: string, cwd: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, events: [], recap: {} }));
  });
}

describe('rolling rollout on lab hosts (issue 5)', function () {
  this.timeout(1_200_000);
  let lab: Lab;
  let dir: string;
  let inventory: string;
  let secrets: string;
  let lbDir: string;
  let password: string;
  let stopped: CliRun;
  let resume: { hosts: number; cwd: string; command: string };

  const address = (name: string): string => lab.hosts.find((h) => h.name === name)!.address;
  const args = (extra: string[] = []): string[] => ['apply', PLAYBOOK, '-i', inventory, '-e', `@${secrets}`, '-e', `lb_dir=${lbDir}`, ...extra];

  async function writeInventory(faulty: boolean): Promise<void> {
    const doc = parse(await readFile(lab.inventoryFile, 'utf8')) as { all: { hosts: Record<string, Record<string, unknown>> } };
    if (faulty) doc.all.hosts.web3 = { ...doc.all.hosts.web3, ...FAULT };
    await writeFile(inventory, stringify(doc));
  }

  /** One cookie through `hosts` in turn: the counts it got back, and which session handler PHP used. */
  async function sessionThrough(hosts: string[]): Promise<{ counts: number[]; handlers: string[] }> {
    const first = await getCounter(address(hosts[0]!), '/test.php');
    expect(first.status, first.body).to.equal(200);
    const seen = [first];
    for (const host of hosts.slice(1)) seen.push(await getCounter(address(host), '/test.php', first.sessionId));
    return { counts: seen.map((a) => a.count), handlers: seen.map((a) => a.handler) };
  }

  before(async () => {
    lab = await getLab({ hosts: HOSTS });
    dir = await mkdtemp(join(tmpdir(), 'runbook-rollout-'));
    inventory = join(dir, 'inventory.yml');
    secrets = join(dir, 'secrets.yml');
    lbDir = join(dir, 'lb');
    await mkdir(lbDir);
    password = randomBytes(18).toString('base64url');
    await writeFile(secrets, stringify({ redis_password: password }), { mode: 0o600 });
    await writeInventory(true);
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('stops at the broken second batch: exit 8, the never-run hosts named, and the command to resume printed', async () => {
    stopped = await runbook(args());
    const out = stopped.stdout;
    expect(stopped.code, `${describeRun(stopped)}\n${out}`).to.equal(8);
    expect(out).to.match(/RUN ABORTED \*+\nmax_fail_percentage 0% exceeded: 2 of 2 hosts failed \(web3, web4\)/);

    const recap: Record<string, HostCounters> = parseHumanRecap(out);
    expect(Object.keys(recap).sort()).to.deep.equal([...ALL].sort());
    for (const host of ['redis1', 'web1', 'web2']) expect(recap[host], host).to.include({ failed: 0, unreachable: 0 });
    // The batch's session check ran on web3 and failed; run_once fails web4 with it, as Ansible does.
    expect(recap.web3!.failed, 'web3').to.equal(1);
    expect(recap.web4!.failed, 'web4').to.equal(1);
    expect(out).to.include('fatal: [web4]: FAILED! => the run_once task failed on web3');
    for (const host of ['web5', 'web6']) expect(Object.values(recap[host]!), `${host} never ran`).to.deep.equal([0, 0, 0, 0, 0, 0, 0]);
    expect(out.slice(out.lastIndexOf('PLAY RECAP'))).to.include('NOT RUN (aborted): web5, web6\n');

    // Delegated steps read as Ansible's `host -> delegate`: one Redis ping per batch, the pool on the controller.
    expect(out).to.include('ok: [web1 -> redis1]');
    expect(out).to.include('ok: [web3 -> redis1]');
    expect(out).to.include('changed: [web1 -> localhost]');
    expect(out).to.include('changed: [web2 -> localhost]');
    expect((await readdir(lbDir)).sort(), 'only batch 1 passed its checks and went back into the pool').to.deep.equal(['web1', 'web2']);

    const hint = printedResume(out);
    expect(hint, out).to.not.equal(undefined);
    resume = hint!;
    expect(resume.hosts).to.equal(4);
    expect(resume.cwd).to.equal(REPO);
    expect(resume.command).to.match(/ --limit web3,web4,web5,web6$/);
    // web4 was cut short and web5, web6 never ran: they need every task, so no --start-at-task.
    expect(resume.command).to.not.include('--start-at-task');
    expect(resume.command).to.include(`-e @${secrets} -e lb_dir=${lbDir}`);
    expect(out + stopped.stderr).to.not.include(password);
  });

  it('batch 1 converged: web1 and web2 share one session through Redis (1, 2, 3, 4)', async () => {
    const { counts, handlers } = await sessionThrough(['web1', 'web2', 'web1', 'web2']);
    expect(handlers).to.deep.equal(['redis', 'redis', 'redis', 'redis']);
    expect(counts).to.deep.equal([1, 2, 3, 4]);
  });

  it('the web play changed nothing on batch 3: no php-redis, no PHP, no test.php on web5 and web6', async () => {
    const probe = [
      'for p in php-redis php-fpm nginx redis-tools; do',
      '  case "$(dpkg-query -W -f=\'${Status}\' "$p" 2>/dev/null)" in *" installed") echo "installed: $p";; esac',
      'done',
      'for f in /var/www/html/test.php /etc/php; do [ -e "$f" ] && echo "exists: $f"; done',
      'true',
    ].join('\n');
    for (const host of ['web5', 'web6']) {
      const res = await onHost(lab, host, probe);
      expect(res.code, `${host}: ${res.stderr}`).to.equal(0);
      expect(res.stdout.trim(), host).to.equal('');
    }
    // Control: the same probe does see what the play installed on batch 1.
    const web1 = await onHost(lab, 'web1', probe);
    expect(web1.stdout).to.include('installed: php-redis').and.include('exists: /var/www/html/test.php');
  });

  it('--json: the aborted event and the recap carry the same hosts and command; batch 1 changes nothing the second time', async () => {
    const json = await runbook(args(['--json']));
    expect(json.code, describeRun(json)).to.equal(8);
    const aborted = json.events.find((e): e is Aborted => e.type === 'aborted');
    expect(aborted?.notRun).to.deep.equal(['web5', 'web6']);
    expect(aborted?.resume?.hosts).to.deep.equal(['web3', 'web4', 'web5', 'web6']);
    expect(aborted?.resume?.command).to.equal(resume.command.replace(' --limit ', ' --json --limit '));
    const recap = json.events.find((e) => e.type === 'recap');
    expect(recap && recap.type === 'recap' ? recap.resume : undefined).to.deep.equal(aborted?.resume);
    for (const host of ['redis1', 'web1', 'web2']) expect(json.recap[host], host).to.include({ changed: 0, failed: 0 });
    const delegated = json.events.filter((e) => e.type === 'host_result' && e.delegate !== undefined);
    expect(delegated.map((e) => e.type === 'host_result' && `${e.host}->${e.delegate}`)).to.include.members(['web1->redis1', 'web1->localhost', 'web2->localhost', 'web3->redis1']);
  });

  it('the printed command, once the fault is gone, finishes the rollout (exit 0), and a re-run changes nothing', async () => {
    await writeInventory(false);
    const resumed = await runShell(resume.command, resume.cwd);
    expect(resumed.code, `${resumed.stderr}\n${resumed.stdout}`).to.equal(0);
    const recap = parseHumanRecap(resumed.stdout);
    expect(Object.keys(recap).sort(), 'only the hosts that had not finished').to.deep.equal(['web3', 'web4', 'web5', 'web6']);
    for (const host of ['web3', 'web4', 'web5', 'web6']) expect(recap[host], host).to.include({ failed: 0, unreachable: 0 });
    expect(recap.web5!.changed, 'web5 was bare').to.be.greaterThan(0);
    expect(printedResume(resumed.stdout), 'nothing left to resume').to.equal(undefined);
    expect((await readdir(lbDir)).sort()).to.deep.equal(WEB);
    expect(existsSync(join(lbDir, 'web6'))).to.equal(true);

    // The whole fleet now shares sessions: one cookie through all six web servers counts 1 to 6.
    const { counts, handlers } = await sessionThrough(WEB);
    expect(handlers).to.deep.equal(WEB.map(() => 'redis'));
    expect(counts).to.deep.equal([1, 2, 3, 4, 5, 6]);

    const again = await runbook(args(['--json']));
    expect(again.code, describeRun(again)).to.equal(0);
    expect(Object.keys(again.recap).sort()).to.deep.equal([...ALL].sort());
    for (const host of ALL) expect(again.recap[host], host).to.include({ changed: 0, failed: 0, unreachable: 0 });
    const finalRecap = again.events.find((e) => e.type === 'recap');
    expect(finalRecap && finalRecap.type === 'recap' ? finalRecap.resume : 'no recap').to.equal(undefined);
  });
});
