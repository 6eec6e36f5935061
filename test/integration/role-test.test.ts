// `runbook test` end to end on real lab hosts: a fresh scaffold passes as created, the seed role
// redis_server passes its scenario, a non-idempotent role fails naming its task, --keep leaves
// reachable hosts, and the hosts are removed on failure and on Ctrl-C.
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUNTIME_DIR } from '../../src/lab/names.js';
import { labDown } from '../../src/lab/lab.js';
import { sshRun } from '../../src/lab/ssh.js';
import type { CycleReport } from '../../src/testing/cycle.js';
import { REPO, runbook } from './support/runbook.js';

const BIN = join(REPO, 'bin/runbook.js');
const readReport = (file: string): CycleReport => JSON.parse(readFileSync(file, 'utf8')) as CycleReport;
const stage = (r: CycleReport, name: string) => r.stages.find((s) => s.name === name);
/** Nothing of the lab is left: no runtime folder (hosts, overlays) and no lab folder (keys, inventory). */
function expectRemoved(report: CycleReport): void {
  expect(report.lab).to.match(/^rt\d+$/);
  expect(existsSync(join(RUNTIME_DIR, report.lab!)), `${report.lab} runtime left behind`).to.equal(false);
  expect(existsSync(join(tmpdir(), 'runbook-test', report.lab!)), `${report.lab} lab folder left behind`).to.equal(false);
}

describe('runbook test (lab hosts)', function () {
  this.timeout(600_000);
  let work: string;
  before(() => {
    work = mkdtempSync(join(tmpdir(), 'runbook-role-test-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('a role from runbook init passes as created: every stage, JUnit and JSON written, hosts removed', async () => {
    expect((await runbook(['init', 'role', 'demo'], { cwd: work })).code).to.equal(0);
    const run = await runbook(['test', 'demo', '--junit', 'demo.xml', '--json', 'demo.json'], { cwd: work });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const report = readReport(join(work, 'demo.json'));
    expect(report.stages.map((s) => `${s.name}:${s.status}`)).to.deep.equal(
      ['create:passed', 'check:passed', 'converge:passed', 'idempotence:passed', 'verify:passed', 'destroy:passed'],
    );
    const junit = readFileSync(join(work, 'demo.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).to.have.length(6);
    expect(junit).to.contain('failures="0"');
    expectRemoved(report);
  });

  it('a role that changes something on every run fails in idempotence, naming that task only; hosts removed', async () => {
    const json = join(work, 'ni.json');
    const run = await runbook(['test', 'test/fixtures/test-roles/not_idempotent', '--json', json, '--junit', join(work, 'ni.xml')]);
    expect(run.code, run.stdout + run.stderr).to.equal(2);
    expect(run.stdout).to.match(/idempotence +failed: not idempotent: 1 task\(s\) changed on the second run: 'not_idempotent : Stamp the time of each run' on instance/);
    const report = readReport(json);
    expect(stage(report, 'converge')!.status).to.equal('passed');
    expect(stage(report, 'idempotence')!.changedTasks!.map((t) => t.task)).to.deep.equal(['not_idempotent : Stamp the time of each run']);
    expect(stage(report, 'verify')).to.include({ status: 'skipped' });
    expect(readFileSync(join(work, 'ni.xml'), 'utf8')).to.match(/<failure message="not idempotent: [^"]*Stamp the time of each run/);
    expectRemoved(report);
  });

  it('the seed role redis_server passes its scenario (check on a fresh host, converge, idempotence, verify)', async () => {
    const json = join(work, 'redis.json');
    const run = await runbook(['test', 'roles/redis_server', '--json', json]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const report = readReport(json);
    expect(report.stages.every((s) => s.status === 'passed'), JSON.stringify(report.stages)).to.equal(true);
    // The scenario's password is a secret of the role (no_log): never in the output.
    expect(run.stdout).not.to.contain('lab-only-&=+!@%-password');
    expectRemoved(report);
  });

  it('--keep --only check: the forecast alone, hosts left running and reachable with the printed ssh command', async () => {
    const json = join(work, 'keep.json');
    const run = await runbook(['test', join(work, 'demo'), '--keep', '--only', 'check', '--json', json]);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const report = readReport(json);
    try {
      expect(report.stages.map((s) => `${s.name}:${s.status}`)).to.deep.equal(['create:passed', 'check:passed', 'destroy:skipped']);
      expect(run.stdout).to.contain(`remove with: runbook lab down --dir ${report.kept!.dir}`);
      expect(run.stdout).to.contain(`inventory:   ${report.kept!.inventory}`);
      const ssh = /ssh -i (\S+) -o UserKnownHostsFile=(\S+) root@(\S+)/.exec(report.kept!.ssh)!;
      const probe = await sshRun({ keyFile: ssh[1]!, knownHostsFile: ssh[2]!, address: ssh[3]!, user: 'root' }, 'test ! -e /etc/demo.conf && echo fresh');
      // Reachable, and check mode changed nothing.
      expect(probe.stdout.trim(), probe.stderr).to.equal('fresh');
    } finally {
      await labDown({ dir: report.kept!.dir, name: report.lab });
      rmSync(report.kept!.dir, { recursive: true, force: true });
    }
  });

  it('Ctrl-C during converge stops, removes the hosts and exits 130', async () => {
    const child = spawn(process.execPath, [BIN, 'test', join(work, 'demo'), '--json', join(work, 'int.json')], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // The signal goes in once the converge stage has begun: the hosts exist then.
      if (stdout.includes('--- converge') && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stdout + stderr).to.equal(130);
    expect(stderr).to.contain('interrupted');
    const report = readReport(join(work, 'int.json'));
    expect(stage(report, 'destroy')!.status).to.equal('passed');
    expect(stage(report, 'verify')).to.include({ status: 'skipped', message: 'interrupted' });
    expectRemoved(report);
  });
});
